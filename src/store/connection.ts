import mongoose, { type Connection } from 'mongoose';

export interface Database {
  readonly connection: Connection;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Opens a dedicated mongoose connection (never the global one, so several apps can share a process in tests). */
export async function openDatabase(uri: string): Promise<Database> {
  const connection = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: 10_000,
    autoIndex: false, // indexes are created by ensureIndexes(), which tolerates servers that refuse TTL indexes
  });
  await connection.asPromise();
  return {
    connection,
    async ping() {
      await connection.db!.admin().command({ ping: 1 });
    },
    async close() {
      await connection.close();
    },
  };
}
