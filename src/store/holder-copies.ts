import type { Connection } from 'mongoose';
import type { IndexDefinition } from './indexes';

/**
 * Wallet copies of an award, each bound to one holder's DID (OpenID4VCI key proof). A copy shares its award's
 * status entry, so the award's status is the copy's. The `_id` is (award, holder): one copy per wallet key, and
 * of concurrent inserts exactly one is stored.
 */
export interface HolderCopy {
  id: string;
  parentId: string;
  platformId: string;
  holderDid: string;
  json: Record<string, unknown>;
  jwt: string;
  issuedAt: Date;
}

const COLLECTION = 'holder_copies';
const keyOf = (parentId: string, holderDid: string) => `${parentId}|${holderDid}`;

export class HolderCopyRepository {
  constructor(private readonly connection: Connection) {}

  private get col() {
    return this.connection.collection(COLLECTION);
  }

  async find(parentId: string, holderDid: string): Promise<HolderCopy | null> {
    return this.col.findOne({ _id: keyOf(parentId, holderDid) as never }, { projection: { _id: 0 } }) as Promise<HolderCopy | null>;
  }

  async findById(id: string): Promise<HolderCopy | null> {
    return this.col.findOne({ id }, { projection: { _id: 0 } }) as Promise<HolderCopy | null>;
  }

  /** Stores the copy unless this holder already has one of the award; returns the stored one either way. */
  async insert(copy: HolderCopy): Promise<{ copy: HolderCopy; stored: boolean }> {
    try {
      await this.col.insertOne({ _id: keyOf(copy.parentId, copy.holderDid) as never, ...copy });
      return { copy, stored: true };
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      const existing = await this.find(copy.parentId, copy.holderDid);
      if (!existing) throw err;
      return { copy: existing, stored: false };
    }
  }

  /** How many copies each award has, for the registrar's list. */
  async countByParent(parentIds: string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (parentIds.length === 0) return counts;
    const docs = await this.col.find({ parentId: { $in: parentIds } }, { projection: { _id: 0, parentId: 1 } }).toArray();
    for (const d of docs) counts.set(String(d.parentId), (counts.get(String(d.parentId)) ?? 0) + 1);
    return counts;
  }

  static indexes(): IndexDefinition[] {
    return [
      { collection: COLLECTION, key: { id: 1 }, unique: true },
      { collection: COLLECTION, key: { parentId: 1 } },
    ];
  }
  static readonly collection = COLLECTION;
}
