/**
 * Mocha root hooks: a real MongoDB-protocol server for the whole run.
 * - MONGODB_URI set (CI starts FerretDB in .ci/run): use it.
 * - else the chain `npm start` uses (src/store/embedded.ts) on temporary files: FerretDB from .ci/bin/ferretdb,
 *   built first by .ci/install-ferretdb.sh when Go is available; else mongodb-memory-server (downloads MongoDB once).
 * Each test file then opens its own database (see db.ts), so files never see each other's data.
 */
import { startLocalDatabase, type LocalDatabase } from '../../src/store/embedded';

let local: LocalDatabase | null = null;

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(300_000);
    if (process.env.MONGODB_URI) return;
    local = await startLocalDatabase({ database: 'test' });
    process.env.MONGODB_URI = local.uri;
  },
  async afterAll() {
    await local?.stop();
  },
};
