import type { Logger } from 'pino';
import type { Config } from '../config';
import { openDatabase, type Database } from './connection';
import { startLocalDatabase } from './embedded';

/**
 * MONGODB_URI when configured, else a local server keeping its data under DATA_DIR: FerretDB when it can be
 * found or built with Go, else a downloaded MongoDB (embedded.ts); stop() closes the connection and stops it.
 */
export async function openConfiguredDatabase(config: Config, logger: Logger): Promise<{ db: Database; stop(): Promise<void> }> {
  if (config.mongodbUri) {
    const db = await openDatabase(config.mongodbUri);
    return { db, stop: () => db.close() };
  }
  let local;
  try {
    local = await startLocalDatabase({ database: 'openbadges', dataDir: config.dataDir, log: (line) => logger.info(line) });
  } catch (err) {
    throw new Error(
      `No MONGODB_URI is set and no local database could be started under ${config.dataDir} (${(err as Error).message}).\n` +
        'Install Go (FerretDB is then built from the Go module proxy) or set MONGODB_URI to your MongoDB, e.g. MONGODB_URI=mongodb://127.0.0.1:27017/openbadges',
      { cause: err },
    );
  }
  logger.warn(
    { database: local.kind, serverPid: local.pid, dataDir: config.dataDir },
    `MONGODB_URI is not set: started ${local.description}; for trying the tool, not for production`,
  );
  const db = await openDatabase(local.uri);
  return {
    db,
    async stop() {
      await db.close();
      await local.stop();
    },
  };
}
