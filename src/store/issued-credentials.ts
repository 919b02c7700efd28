import type { Connection } from 'mongoose';
import type { IndexDefinition } from './indexes';
import { insertUnordered } from './insert-unordered';

/**
 * Issued credentials. One per award: the idempotency key (site, learner, badge version) is the
 * document's `_id`, so of any number of concurrent inserts for one award exactly one is stored, and looking an
 * award up goes by primary key on any MongoDB-protocol server. A record is written once, complete (signed
 * forms, status slot): nothing half-made is ever stored or shown.
 */
/** Always 'issued' for what this version writes; kept so that every query can still say so. */
export type CredentialState = 'issuing' | 'issued';
export type CredentialStatus = 'active' | 'revoked' | 'suspended';

export interface IssuedCredential {
  id: string;
  idempotencyKey: string;
  state: CredentialState;
  platformId: string;
  deploymentId: string;
  courseId: string;
  userId: string;
  badgeId: string;
  badgeVersion: number;
  status: CredentialStatus;
  /** `issuerId`: the id whose list holds the slot, when it is not `platformId` (a registration merged into its site). */
  statusSlot: { listId: string; index: number; issuerId?: string } | null;
  /** Data Integrity form (JSON with proof) and VC-JWT form, once issued. */
  json: Record<string, unknown> | null;
  jwt: string | null;
  achievementName: string;
  issuedAt: Date | null;
  statusReason: string | null;
  statusChangedAt: Date | null;
}

const COLLECTION = 'credentials';

/** One award: a learner and a badge version of one site, whichever registration or deployment it was claimed through. */
export const idempotencyKeyOf = (k: { platformId: string; userId: string; badgeId: string; badgeVersion: number }) =>
  [k.platformId, k.userId, k.badgeId, k.badgeVersion].map((p) => encodeURIComponent(String(p))).join('|');

export class IssuedCredentialRepository {
  constructor(
    private readonly connection: Connection,
    private readonly now: () => number = Date.now,
  ) {}

  private get col() {
    return this.connection.collection(COLLECTION);
  }

  /**
   * Stores a newly issued credential unless the award already has one. `stored: false` means another request
   * stored first: its record is returned, and the caller's was not written.
   * Records written before the key became the `_id` (an ObjectId or the credential id as `_id`) still hold the
   * award through the unique `idempotencyKey` index: the conflict is read back by that field. Such a record
   * left half-made ('issuing', from a crashed request of that version) was never shown to anyone, so it gives
   * way to this one.
   */
  async insertIssued(record: IssuedCredential): Promise<{ record: IssuedCredential; stored: boolean }> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.col.insertOne({ _id: record.idempotencyKey as never, ...record });
        return { record, stored: true };
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
      }
      const existing = (await this.col.findOne({ idempotencyKey: record.idempotencyKey }, { projection: { _id: 0 } })) as unknown as IssuedCredential | null;
      if (existing?.state === 'issued') return { record: existing, stored: false };
      if (!existing || attempt > 0) throw new Error(`credential ${record.idempotencyKey} conflicted on insert but cannot be read`);
      await this.col.deleteOne({ idempotencyKey: record.idempotencyKey, state: 'issuing' });
    }
  }

  /**
   * Bulk form of insertIssued(): one unordered insert for many awards. An award another request stored first is
   * refused by its key exactly as there: its stored record is the answer (`stored: false`). Results follow the
   * order of `records`.
   */
  async insertManyIssued(records: readonly IssuedCredential[]): Promise<Array<{ record: IssuedCredential; stored: boolean }>> {
    const refused = await insertUnordered(
      this.col,
      records.map((r) => ({ _id: r.idempotencyKey as never, ...r })),
    );
    const out = records.map((record) => ({ record, stored: true }));
    if (!refused.size) return out;
    const keys = [...refused].map((i) => records[i]!.idempotencyKey);
    const winners = new Map<string, IssuedCredential>();
    const found = await this.col.find({ idempotencyKey: { $in: keys } }, { projection: { _id: 0 } }).toArray();
    for (const d of found as unknown as IssuedCredential[]) if (d.state === 'issued') winners.set(d.idempotencyKey, d);
    for (const i of refused) {
      const winner = winners.get(records[i]!.idempotencyKey);
      // no issued winner: a record of an older version in the way, which insertIssued() settles one by one
      out[i] = winner ? { record: winner, stored: false } : await this.insertIssued(records[i]!);
    }
    return out;
  }

  /** Award keys issued in a course (for finding what is left to issue without reading the credentials themselves). */
  async issuedKeysInCourse(platformId: string, courseId: string): Promise<Set<string>> {
    const docs = await this.col.find({ platformId, courseId, state: 'issued' }, { projection: { idempotencyKey: 1, _id: 0 } }).toArray();
    return new Set(docs.map((d) => String(d.idempotencyKey)));
  }

  async findById(id: string): Promise<IssuedCredential | null> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return null;
    const d = await this.col.findOne({ id }, { projection: { _id: 0 } });
    return (d as unknown as IssuedCredential) ?? null;
  }

  /**
   * The issued credential of an award, by primary key. (A record from before the key became the `_id` is not
   * found here; insertIssued still settles such an award correctly.)
   */
  async findIssuedByKey(idempotencyKey: string): Promise<IssuedCredential | null> {
    const d = (await this.col.findOne({ _id: idempotencyKey as never }, { projection: { _id: 0 } })) as unknown as IssuedCredential | null;
    return d?.state === 'issued' ? d : null;
  }

  async listForLearner(platformId: string, userId: string): Promise<IssuedCredential[]> {
    const docs = await this.col
      .find({ platformId, userId, state: 'issued' }, { projection: { _id: 0 } })
      .sort({ issuedAt: -1 })
      .toArray();
    return docs as unknown as IssuedCredential[];
  }

  async listForPlatform(platformId: string, filter: { courseId?: string; badgeId?: string; status?: CredentialStatus } = {}): Promise<IssuedCredential[]> {
    const docs = await this.col
      .find({ platformId, state: 'issued', ...filter }, { projection: { _id: 0 } })
      .sort({ issuedAt: -1 })
      .toArray();
    return docs as unknown as IssuedCredential[];
  }

  async setStatus(id: string, status: CredentialStatus, reason: string): Promise<void> {
    await this.col.updateOne({ id }, { $set: { status, statusReason: reason, statusChangedAt: new Date(this.now()) } });
  }

  /** Revoked credentials whose status slot is on `issuerId`'s lists (a site's own, or a former registration's). */
  async revokedInPlatform(issuerId: string): Promise<IssuedCredential[]> {
    const onLists = { $or: [{ 'statusSlot.issuerId': issuerId }, { platformId: issuerId, 'statusSlot.issuerId': { $exists: false } }] };
    const docs = await this.col.find({ ...onLists, status: 'revoked' }, { projection: { _id: 0 } }).toArray();
    return docs as unknown as IssuedCredential[];
  }

  static indexes(): IndexDefinition[] {
    return [
      { collection: COLLECTION, key: { idempotencyKey: 1 }, unique: true },
      { collection: COLLECTION, key: { id: 1 }, unique: true },
      { collection: COLLECTION, key: { platformId: 1, userId: 1 } },
      { collection: COLLECTION, key: { platformId: 1, courseId: 1, badgeId: 1 } },
    ];
  }
}
