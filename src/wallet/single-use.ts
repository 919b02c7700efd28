import type { Connection } from 'mongoose';
import type { IndexDefinition } from '../store/indexes';
import { randomToken } from './secrets';

/**
 * Single use, made atomic by a unique index: spending a key is an insert, and of any number of concurrent inserts
 * of one key exactly one succeeds (duplicate key 11000 for the others). This holds on MongoDB and on FerretDB,
 * whose findOneAndUpdate / findOneAndDelete are not atomic under concurrency (the wallet tests caught several
 * winners for one pre-authorized code), the same reason issued-credentials relies on a unique index.
 *
 * Keys: `code:<hash>` (a pre-authorized code redeemed or burnt), `nonce:<hash>` (a c_nonce used). A mark may be
 * swept once `expiresAt` passes: by then what it guards has expired by itself. Also counts failures per scope
 * (wrong transaction codes), one document per failure, so no increment can be lost.
 */
const COLLECTION = 'wallet_single_use';

export class SingleUseRegistry {
  private indexReady: Promise<unknown> | null = null;

  constructor(
    private readonly connection: Connection,
    private readonly now: () => number = Date.now,
  ) {}

  private get col() {
    return this.connection.collection(COLLECTION);
  }

  /** The unique index is what makes spend() safe: make sure it exists even if ensureIndexes() was not wired. */
  private ready() {
    this.indexReady ??= this.col.createIndex({ key: 1 }, { unique: true }).catch((err) => {
      this.indexReady = null;
      throw err;
    });
    return this.indexReady;
  }

  /** True for the one caller that spends `key`; false for every other, concurrent or later. */
  async spend(key: string, expiresAt: Date): Promise<boolean> {
    await this.ready();
    try {
      await this.col.insertOne({ key, spentAt: new Date(this.now()), expiresAt });
      return true;
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return false;
      throw err;
    }
  }

  /** Records one failure under `scope` and returns how many there are now. */
  async fail(scope: string, expiresAt: Date): Promise<number> {
    await this.ready();
    await this.col.insertOne({ key: `fail:${randomToken(16)}`, scope, spentAt: new Date(this.now()), expiresAt });
    return this.col.countDocuments({ scope });
  }

  static indexes(): IndexDefinition[] {
    return [
      { collection: COLLECTION, key: { key: 1 }, unique: true },
      { collection: COLLECTION, key: { scope: 1 } },
      { collection: COLLECTION, key: { expiresAt: 1 }, ttl: true },
    ];
  }
  static readonly collection = COLLECTION;
}
