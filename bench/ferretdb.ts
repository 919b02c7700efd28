/**
 * A MongoDB-protocol server for the bench: MONGODB_URI when it is set, else FerretDB from .ci/bin/ferretdb
 * on a temporary SQLite directory (as test/support/global-setup.ts does), stopped by stop().
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';

export interface MongoServer {
  uri: string;
  /** 'external' (MONGODB_URI) or 'ferretdb' (started here). */
  kind: 'external' | 'ferretdb';
  /** CPU time the server has used so far in ms (FerretDB started here, on Linux), else null. */
  cpuMs(): number | null;
  stop(): Promise<void>;
}

/** utime + stime of a process from /proc (clock ticks of 10 ms on Linux). */
function procCpuMs(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export async function waitForServer(uri: string, ms: number, isAlive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const c = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 500 }).asPromise();
      await c.close();
      return;
    } catch (err) {
      if (!isAlive()) throw new Error(`MongoDB-protocol server at ${uri} exited during start-up`);
      if (Date.now() > deadline) throw new Error(`MongoDB-protocol server at ${uri} did not start: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export async function startMongoServer(): Promise<MongoServer> {
  const given = process.env.MONGODB_URI;
  if (given) {
    await waitForServer(given, 10_000);
    return { uri: given, kind: 'external', cpuMs: () => null, async stop() {} };
  }
  const bin = path.resolve(__dirname, '..', '.ci', 'bin', 'ferretdb');
  if (!existsSync(bin)) throw new Error(`MONGODB_URI is not set and ${bin} does not exist: run .ci/install-ferretdb.sh or set MONGODB_URI`);
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-ferretdb-'));
  const child: ChildProcess = spawn(
    bin,
    ['--handler=sqlite', `--sqlite-url=file:${dir}/`, `--state-dir=${dir}`, `--listen-addr=127.0.0.1:${port}`, '--telemetry=disable', '--debug-addr=-', '--log-level=error'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  // never leave FerretDB behind, even when the bench dies
  const killOnExit = () => {
    if (!exited) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  const uri = `mongodb://127.0.0.1:${port}/bench`;
  try {
    await waitForServer(uri, 30_000, () => !exited);
  } catch (err) {
    killOnExit();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    uri,
    kind: 'ferretdb',
    cpuMs: () => procCpuMs(child.pid),
    async stop() {
      process.removeListener('exit', killOnExit);
      if (!exited) {
        const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await gone;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
