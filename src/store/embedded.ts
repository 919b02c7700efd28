/**
 * A MongoDB-protocol server on this machine when no MONGODB_URI is given, for `npm start`, the demo, the tests and
 * the bench (one implementation): FerretDB (on SQLite) from .ci/bin/ferretdb, built first with
 * .ci/install-ferretdb.sh when Go is available; else mongodb-memory-server, which downloads MongoDB once (so it
 * needs internet). Production sets MONGODB_URI (a replica set).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { projectRoot } from '../config/paths';

export const FERRETDB_BIN = path.join(projectRoot(), '.ci', 'bin', 'ferretdb');

export interface FerretDb {
  /** mongodb://127.0.0.1:<port>/<database> */
  uri: string;
  port: number;
  /** The server's process id (for CPU accounting from /proc). */
  pid: number | undefined;
  /** The directory of its SQLite files and state. */
  dir: string;
  /** Why the server has exited, or null while it runs. */
  exited(): string | null;
  /** SIGTERM (SIGKILL after 5 s); a temporary directory is then removed. */
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
      if (Date.now() > deadline) throw new Error(`the MongoDB-protocol server at ${uri} did not start: ${(err as Error).message}`, { cause: err });
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
    const built = spawnSync('bash', [path.join(projectRoot(), '.ci', 'install-ferretdb.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (built.status !== 0) log?.('FerretDB could not be built; falling back to mongodb-memory-server.');
  }
  return existsSync(FERRETDB_BIN);
}

/**
 * Starts .ci/bin/ferretdb on `dir` (kept: its data survives restarts) or on a fresh temporary directory (named
 * `tmpPrefix`…, removed by stop()) and resolves once it accepts connections on `database`. The server is killed
 * when this process exits without stop().
 */
export async function startFerretDb(options: { database?: string; dir?: string; tmpPrefix?: string } = {}): Promise<FerretDb> {
  if (!existsSync(FERRETDB_BIN)) throw new Error(`${FERRETDB_BIN} does not exist: run .ci/install-ferretdb.sh or set MONGODB_URI`);
  const port = await freePort();
  const temporary = !options.dir;
  const dir = options.dir ? path.resolve(options.dir) : mkdtempSync(path.join(os.tmpdir(), options.tmpPrefix ?? 'ferretdb-'));
  mkdirSync(dir, { recursive: true });
  const child = spawn(
    FERRETDB_BIN,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${dir}/`,
      `--state-dir=${dir}`,
      `--listen-addr=127.0.0.1:${port}`,
      '--telemetry=disable',
      '--debug-addr=-',
      '--log-level=error',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  let exit: string | null = null;
  child.once('exit', (code, signal) => (exit = `FerretDB exited (${signal ?? `code ${code}`})`));
  child.on('error', (err) => (exit ??= `FerretDB could not start: ${err.message}`));
  const removeTemporary = () => temporary && rmSync(dir, { recursive: true, force: true });
  // never leave FerretDB behind, even when this process dies
  const killOnExit = () => {
    if (!exit) child.kill('SIGKILL');
    removeTemporary();
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
      removeTemporary();
    },
  };
}

export interface LocalDatabase {
  uri: string;
  kind: 'ferretdb' | 'mongodb';
  /** What serves it and where its files are, for the start-up log. */
  description: string;
  /** The server's process id when it is a child process (FerretDB). */
  pid: number | undefined;
  stop(): Promise<void>;
}

const hasFiles = (dir: string) => existsSync(dir) && readdirSync(dir).length > 0;

/**
 * FerretDB when it can be found or built, else the downloaded MongoDB. With `dataDir` the files are kept under
 * it (DATA_DIR/ferretdb or DATA_DIR/db; a directory that already holds MongoDB's files and no FerretDB's keeps
 * MongoDB, so nothing stored seems lost); without, they are temporary.
 */
export async function startLocalDatabase(o: { database: string; dataDir?: string; tmpPrefix?: string; log?: (line: string) => void }): Promise<LocalDatabase> {
  const ferretDir = o.dataDir && path.resolve(o.dataDir, 'ferretdb');
  const mongoDir = o.dataDir && path.resolve(o.dataDir, 'db');
  const keepMongo = !!mongoDir && hasFiles(mongoDir) && !existsSync(ferretDir!);
  if (!keepMongo && buildFerretDbIfMissing(o.log)) {
    const ferret = await startFerretDb({ database: o.database, dir: ferretDir, tmpPrefix: o.tmpPrefix });
    const where = ferretDir ? `SQLite files in ${ferret.dir}` : `SQLite files in ${ferret.dir}, removed when it stops`;
    return {
      uri: ferret.uri,
      kind: 'ferretdb',
      description: `FerretDB ${path.relative(projectRoot(), FERRETDB_BIN)} on 127.0.0.1:${ferret.port} (${where})`,
      pid: ferret.pid,
      stop: () => ferret.stop(),
    };
  }
  o.log?.('No FerretDB: starting mongodb-memory-server (the first run downloads MongoDB)…');
  const { MongoMemoryServer } = await import('mongodb-memory-server');
  if (mongoDir) mkdirSync(mongoDir, { recursive: true });
  const server = await MongoMemoryServer.create({
    instance: { ip: '127.0.0.1', ...(mongoDir ? { dbPath: mongoDir, storageEngine: 'wiredTiger' as const } : {}) },
  });
  const uri = server.getUri(o.database);
  await waitForServer(uri, 30_000);
  return {
    uri,
    kind: 'mongodb',
    description: mongoDir ? `MongoDB (mongodb-memory-server) with its files in ${mongoDir}` : 'MongoDB (mongodb-memory-server, in memory, gone when it stops)',
    pid: undefined,
    async stop() {
      await server.stop({ doCleanup: !mongoDir });
    },
  };
}
