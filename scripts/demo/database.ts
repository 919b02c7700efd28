/**
 * A MongoDB-protocol server for the demo, chosen as the test suite does (test/support/global-setup.ts):
 * MONGODB_URI when set (the demo then uses a database of its own on it and drops it at the end); else FerretDB
 * from .ci/bin/ferretdb, built first with .ci/install-ferretdb.sh when Go is available, on a temporary directory;
 * else mongodb-memory-server (which downloads MongoDB once).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';

export interface DemoDatabase {
  /** Connection string of the demo's own, fresh database. */
  uri: string;
  /** What serves it, for the start-up message. */
  description: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitForServer(uri: string, ms: number, exited: () => string | null): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const gone = exited();
    if (gone) throw new Error(gone);
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

const withDatabase = (uri: string, name: string) => {
  const url = new URL(uri);
  url.pathname = `/${name}`;
  return url.toString();
};

async function dropDatabase(uri: string) {
  const c = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 2_000 }).asPromise();
  try {
    await c.dropDatabase();
  } finally {
    await c.close();
  }
}

export async function startDemoDatabase(root: string, log: (line: string) => void): Promise<DemoDatabase> {
  const name = `ob3_demo_${randomBytes(4).toString('hex')}`;
  if (process.env.MONGODB_URI) {
    const uri = withDatabase(process.env.MONGODB_URI, name);
    await waitForServer(uri, 10_000, () => null);
    return {
      uri,
      description: `MONGODB_URI (database ${name}, dropped when the demo stops)`,
      stop: () => dropDatabase(uri).catch(() => undefined),
    };
  }

  const bin = path.join(root, '.ci', 'bin', 'ferretdb');
  if (!existsSync(bin) && spawnSync('go', ['version']).status === 0) {
    log('Building FerretDB with Go (.ci/install-ferretdb.sh), once…');
    const built = spawnSync('bash', [path.join(root, '.ci', 'install-ferretdb.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (built.status !== 0) log('FerretDB could not be built; falling back to mongodb-memory-server.');
  }
  if (existsSync(bin)) {
    const port = await freePort();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ob3-demo-ferretdb-'));
    let exit: string | null = null;
    const child: ChildProcess = spawn(
      bin,
      ['--handler=sqlite', `--sqlite-url=file:${dir}/`, `--state-dir=${dir}`, `--listen-addr=127.0.0.1:${port}`, '--telemetry=disable', '--debug-addr=-', '--log-level=error'],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    child.on('exit', (code, signal) => (exit = `FerretDB exited (${signal ?? `code ${code}`})`));
    child.on('error', (err) => (exit = `FerretDB could not start: ${err.message}`));
    const uri = `mongodb://127.0.0.1:${port}/${name}`;
    try {
      await waitForServer(uri, 30_000, () => exit);
    } catch (err) {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    return {
      uri,
      description: `FerretDB ${path.relative(root, bin)} on 127.0.0.1:${port} (SQLite files in ${dir}, removed when the demo stops)`,
      async stop() {
        if (child.exitCode === null && child.signalCode === null) {
          const gone = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          await Promise.race([gone, new Promise((r) => setTimeout(r, 3_000))]);
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  log('No MONGODB_URI and no FerretDB: starting mongodb-memory-server (the first run downloads MongoDB)…');
  const { MongoMemoryServer } = await import('mongodb-memory-server');
  const server = await MongoMemoryServer.create({ instance: { ip: '127.0.0.1' } });
  return {
    uri: server.getUri(name),
    description: 'mongodb-memory-server (in memory, gone when the demo stops)',
    async stop() {
      await server.stop();
    },
  };
}
