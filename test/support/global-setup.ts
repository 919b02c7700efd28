/**
 * Mocha root hooks: a real MongoDB-protocol server for the whole run.
 * - MONGODB_URI set (CI starts FerretDB in .ci/run): use it.
 * - else FerretDB from .ci/bin/ferretdb, built first by .ci/install-ferretdb.sh when Go is available; started on a temp dir.
 * - else mongodb-memory-server (needs to download MongoDB once; works on a machine with internet).
 * Each test file then opens its own database (see db.ts), so files never see each other's data.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';

let ferret: ChildProcess | null = null;
let ferretDir: string | null = null;
let memoryServer: { stop(): Promise<unknown> } | null = null;

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

async function waitForServer(uri: string, ms: number) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const c = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 500 }).asPromise();
      await c.close();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`MongoDB-protocol server at ${uri} did not start: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(300_000);
    if (process.env.MONGODB_URI) return;
    const root = path.resolve(__dirname, '..', '..');
    const bin = path.join(root, '.ci', 'bin', 'ferretdb');
    if (!existsSync(bin) && spawnSync('go', ['version']).status === 0) {
      spawnSync('bash', [path.join(root, '.ci', 'install-ferretdb.sh')], { stdio: 'inherit' });
    }
    if (existsSync(bin)) {
      const port = await freePort();
      ferretDir = mkdtempSync(path.join(os.tmpdir(), 'ferretdb-'));
      ferret = spawn(
        bin,
        ['--handler=sqlite', `--sqlite-url=file:${ferretDir}/`, `--state-dir=${ferretDir}`, `--listen-addr=127.0.0.1:${port}`, '--telemetry=disable', '--debug-addr=-', '--log-level=error'],
        { stdio: ['ignore', 'ignore', 'inherit'] },
      );
      process.env.MONGODB_URI = `mongodb://127.0.0.1:${port}/test`;
    } else {
      const { MongoMemoryServer } = await import('mongodb-memory-server');
      const server = await MongoMemoryServer.create();
      memoryServer = server;
      process.env.MONGODB_URI = server.getUri('test');
    }
    await waitForServer(process.env.MONGODB_URI, 30_000);
  },
  async afterAll() {
    ferret?.kill('SIGTERM');
    if (ferretDir) rmSync(ferretDir, { recursive: true, force: true });
    await memoryServer?.stop();
  },
};
