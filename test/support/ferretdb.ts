/**
 * FerretDB (a MongoDB-protocol server on SQLite) from .ci/bin/ferretdb, started on a temporary directory and a free
 * port of 127.0.0.1, for the test run (global-setup.ts), the bench (bench/ferretdb.ts) and the demo
 * (scripts/demo/database.ts). .ci/install-ferretdb.sh builds the binary; buildFerretDbIfMissing() runs it when Go
 * is available.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';

const ROOT = path.resolve(__dirname, '..', '..');
export const FERRETDB_BIN = path.join(ROOT, '.ci', 'bin', 'ferretdb');

export interface FerretDb {
  /** mongodb://127.0.0.1:<port>/<database> */
  uri: string;
  port: number;
  /** The server's process id (for CPU accounting from /proc). */
  pid: number | undefined;
  /** The temporary directory of its SQLite files and state, removed by stop(). */
  dir: string;
  /** Why the server has exited, or null while it runs. */
  exited(): string | null;
  /** SIGTERM (SIGKILL after 5 s), then removes the directory. */
  stop(): Promise<void>;
}

/** A port of 127.0.0.1 that nothing listens on right now. */
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

/** Waits until the MongoDB-protocol server at `uri` accepts connections; `exited` ends the wait early with its reason. */
export async function waitForServer(uri: string, ms: number, exited: () => string | null = () => null): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const gone = exited();
    if (gone) throw new Error(`the MongoDB-protocol server at ${uri} did not start: ${gone}`);
    try {
      const c = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 500 }).asPromise();
      await c.close();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`the MongoDB-protocol server at ${uri} did not start: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/**
 * Builds .ci/bin/ferretdb with .ci/install-ferretdb.sh when it is missing and Go is available (saying so through
 * `log` when given); true when the binary is there afterwards.
 */
export function buildFerretDbIfMissing(log?: (line: string) => void): boolean {
  if (!existsSync(FERRETDB_BIN) && spawnSync('go', ['version']).status === 0) {
    log?.('Building FerretDB with Go (.ci/install-ferretdb.sh), once…');
    const built = spawnSync('bash', [path.join(ROOT, '.ci', 'install-ferretdb.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (built.status !== 0) log?.('FerretDB could not be built; falling back to mongodb-memory-server.');
  }
  return existsSync(FERRETDB_BIN);
}

/**
 * Starts .ci/bin/ferretdb on a fresh temporary directory (named `tmpPrefix`…) and resolves once it accepts
 * connections on `database`. The server is killed and its directory removed when this process exits without stop().
 */
export async function startFerretDb(options: { database?: string; tmpPrefix?: string } = {}): Promise<FerretDb> {
  if (!existsSync(FERRETDB_BIN)) throw new Error(`${FERRETDB_BIN} does not exist: run .ci/install-ferretdb.sh or set MONGODB_URI`);
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), options.tmpPrefix ?? 'ferretdb-'));
  const child = spawn(
    FERRETDB_BIN,
    ['--handler=sqlite', `--sqlite-url=file:${dir}/`, `--state-dir=${dir}`, `--listen-addr=127.0.0.1:${port}`, '--telemetry=disable', '--debug-addr=-', '--log-level=error'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  let exit: string | null = null;
  child.once('exit', (code, signal) => (exit = `FerretDB exited (${signal ?? `code ${code}`})`));
  child.on('error', (err) => (exit ??= `FerretDB could not start: ${err.message}`));
  // never leave FerretDB behind, even when this process dies
  const killOnExit = () => {
    if (!exit) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  const uri = `mongodb://127.0.0.1:${port}/${options.database ?? 'test'}`;
  try {
    await waitForServer(uri, 30_000, () => exit);
  } catch (err) {
    process.removeListener('exit', killOnExit);
    killOnExit();
    throw err;
  }
  return {
    uri,
    port,
    pid: child.pid,
    dir,
    exited: () => exit,
    async stop() {
      process.removeListener('exit', killOnExit);
      if (!exit) {
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
