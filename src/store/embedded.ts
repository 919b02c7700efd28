import { mkdirSync } from 'node:fs';
import path from 'node:path';

export interface EmbeddedMongo {
  uri: string;
  stop(): Promise<void>;
}

/**
 * A MongoDB for running the tool on a laptop without configuring one: mongodb-memory-server with its data
 * kept under DATA_DIR/db so it survives restarts. Production sets MONGODB_URI (a replica set).
 */
export async function startEmbeddedMongo(dataDir: string): Promise<EmbeddedMongo> {
  const dbPath = path.resolve(dataDir, 'db');
  mkdirSync(dbPath, { recursive: true });
  const { MongoMemoryServer } = await import('mongodb-memory-server');
  const server = await MongoMemoryServer.create({ instance: { dbPath, storageEngine: 'wiredTiger' } });
  return {
    uri: server.getUri('openbadges'),
    stop: async () => {
      await server.stop({ doCleanup: false });
    },
  };
}
