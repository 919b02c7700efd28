/**
 * Mocha root hooks: a real MongoDB-protocol server for the whole run.
 * - MONGODB_URI set (CI starts FerretDB in .ci/run): use it.
 * - else FerretDB from .ci/bin/ferretdb, built first by .ci/install-ferretdb.sh when Go is available; started on a temp dir.
 * - else mongodb-memory-server (needs to download MongoDB once; works on a machine with internet).
 * Each test file then opens its own database (see db.ts), so files never see each other's data.
 */
import { buildFerretDbIfMissing, startFerretDb, waitForServer, type FerretDb } from './ferretdb';

let ferret: FerretDb | null = null;
let memoryServer: { stop(): Promise<unknown> } | null = null;

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(300_000);
    if (process.env.MONGODB_URI) return;
    if (buildFerretDbIfMissing()) {
      ferret = await startFerretDb({ database: 'test' });
      process.env.MONGODB_URI = ferret.uri;
    } else {
      const { MongoMemoryServer } = await import('mongodb-memory-server');
      const server = await MongoMemoryServer.create();
      memoryServer = server;
      process.env.MONGODB_URI = server.getUri('test');
      await waitForServer(process.env.MONGODB_URI, 30_000);
    }
  },
  async afterAll() {
    await ferret?.stop();
    await memoryServer?.stop();
  },
};
