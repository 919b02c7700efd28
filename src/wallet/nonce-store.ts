import type { Connection } from 'mongoose';
import type { IndexDefinition } from '../store/indexes';
import { randomToken, sha256 } from './secrets';
import type { SingleUseRegistry } from './single-use';

/**
 * c_nonce values handed out by the Nonce Endpoint (OID4VCI 1.0 §7). Each is unpredictable, short-lived and
 * single-use: a key proof that carries it spends it in the SingleUseRegistry (atomic through a unique index), so a
 * captured proof cannot be replayed, not even concurrently.
 * Stored as hashes; expiry is a read filter (no TTL index needed).
 */
const COLLECTION = 'wallet_nonces';

export class NonceRepository {
  constructor(
    private readonly connection: Connection,
    private readonly spent: SingleUseRegistry,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  private get col() {
    return this.connection.collection(COLLECTION);
  }

  async issue(): Promise<{ nonce: string; expiresAt: Date }> {
    const nonce = randomToken();
    const expiresAt = new Date(this.now() + this.ttlSeconds * 1000);
    await this.col.insertOne({ nonceHash: sha256(nonce), createdAt: new Date(this.now()), expiresAt });
    return { nonce, expiresAt };
  }

  /** True once for a live nonce of ours; false for unknown, expired or already used ones. */
  async consume(nonce: string): Promise<boolean> {
    const nonceHash = sha256(nonce);
    const doc = await this.col.findOne({ nonceHash, expiresAt: { $gt: new Date(this.now()) } });
    if (!doc || !(await this.spent.spend(`nonce:${nonceHash}`, doc.expiresAt as Date))) return false;
    await this.col.deleteOne({ nonceHash });
    return true;
  }

  static indexes(): IndexDefinition[] {
    return [
      { collection: COLLECTION, key: { nonceHash: 1 }, unique: true },
      { collection: COLLECTION, key: { expiresAt: 1 }, ttl: true },
    ];
  }
  static readonly collection = COLLECTION;
}
