import type { Logger } from 'pino';
import type { Config } from '../config';
import { openDatabase, type Database } from './connection';
import { startEmbeddedMongo } from './embedded';

/** MONGODB_URI when configured, else the embedded MongoDB under DATA_DIR (with a clear way out when it fails). */
export async function openConfiguredDatabase(config: Config, logger: Logger): Promise<{ db: Database; stop(): Promise<void> }> {
  if (config.mongodbUri) {
    const db = await openDatabase(config.mongodbUri);
    return { db, stop: () => db.close() };
  }
  let embedded;
  try {
    embedded = await startEmbeddedMongo(config.dataDir);
  } catch (err) {
    throw new Error(
      `No MONGODB_URI is set and an embedded MongoDB could not be started under ${config.dataDir}/db (${(err as Error).message}).\n` +
        'Set MONGODB_URI to your MongoDB, e.g. MONGODB_URI=mongodb://127.0.0.1:27017/openbadges',
    );
  }
  logger.warn({ dataDir: config.dataDir }, 'MONGODB_URI is not set: using an embedded MongoDB that keeps its data under DATA_DIR/db (for trying the tool, not for production)');
  const db = await openDatabase(embedded.uri);
  return {
    db,
    async stop() {
      await db.close();
      await embedded.stop();
    },
  };
}
