import type { Connection } from 'mongoose';
import type { IndexDefinition } from './indexes';

/**
 * A lease per key (e.g. one course's sync) held in the database, so that when several instances of the tool
 * share one MongoDB, exactly one runs a given job at a time. A lease expires unless renewed, so a crashed
 * instance's work is taken over. Acquisition is one atomic update; the unique index on `key` settles races
 * between two first acquisitions.
 */
export interface Lease {
  key: string;
  owner: string;
  expiresAt: Date;
}

const COLLECTION = 'leases';

export class LeaseRepository {
  constructor(
    private readonly connection: Connection,
    private readonly now: () => number = Date.now,
  ) {}

  private get col() {
    return this.connection.collection<Lease>(COLLECTION);
  }

  /** Takes the lease when free, expired or already ours; null when another owner holds it. */
  async acquire(key: string, owner: string, ttlMs: number): Promise<Lease | null> {
    const now = new Date(this.now());
    const expiresAt = new Date(now.getTime() + ttlMs);
    const taken = await this.col.findOneAndUpdate(
      { key, $or: [{ owner }, { expiresAt: { $lte: now } }] },
      { $set: { owner, expiresAt } },
      { returnDocument: 'after' },
    );
    if (taken) return { key, owner, expiresAt };
    try {
      await this.col.insertOne({ key, owner, expiresAt });
      return { key, owner, expiresAt };
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return null; // held by someone else
      throw err;
    }
  }

  /** Extends our lease; false when it was lost (expired and taken over). */
  async renew(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const res = await this.col.updateOne({ key, owner }, { $set: { expiresAt: new Date(this.now() + ttlMs) } });
    return res.matchedCount === 1;
  }

  async release(key: string, owner: string): Promise<void> {
    await this.col.deleteOne({ key, owner });
  }

  static indexes(): IndexDefinition[] {
    return [{ collection: COLLECTION, key: { key: 1 }, unique: true }];
  }
}
