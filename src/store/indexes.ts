import type { Connection } from 'mongoose';

type IndexSpec = Record<string, 1 | -1>;

export interface IndexDefinition {
  collection: string;
  key: IndexSpec;
  unique?: boolean;
  /** Documents carry an `expiresAt` date; a TTL index removes them on MongoDB, the sweeper everywhere. */
  ttl?: boolean;
}

/**
 * Creates indexes. A TTL index is a convenience on MongoDB; FerretDB 1.24 refuses `expireAfterSeconds`,
 * so expiry never depends on it: every read filters on `expiresAt` and sweepExpired() deletes old documents.
 */
export async function ensureIndexes(connection: Connection, defs: IndexDefinition[]): Promise<string[]> {
  const skipped: string[] = [];
  for (const def of defs) {
    const options: Record<string, unknown> = {};
    if (def.unique) options.unique = true;
    if (def.ttl) options.expireAfterSeconds = 0;
    try {
      await connection.collection(def.collection).createIndex(def.key, options);
    } catch (err) {
      if (!def.ttl) throw err;
      skipped.push(`${def.collection}: TTL index refused (${(err as Error).message}); expiry handled in code`);
      // keep an ordinary index so the sweeper's range delete stays cheap
      await connection.collection(def.collection).createIndex(def.key);
    }
  }
  return skipped;
}

export async function sweepExpired(connection: Connection, collections: string[], now = new Date()): Promise<number> {
  let removed = 0;
  for (const name of collections) {
    const res = await connection.collection(name).deleteMany({ expiresAt: { $lte: now } });
    removed += res.deletedCount ?? 0;
  }
  return removed;
}
