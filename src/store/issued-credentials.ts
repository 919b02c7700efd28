import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { IndexDefinition } from './indexes';

/**
 * Issued credentials. One per award: the idempotency key (platform, deployment, learner, badge version) has a
 * unique index, so concurrent claims create one record. A record is first claimed (`issuing`, with a claim
 * token), then completed with the signed forms; only completed records are ever shown to anyone.
 */
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
  statusSlot: { listId: string; index: number } | null;
  /** Data Integrity form (JSON with proof) and VC-JWT form, once issued. */
  json: Record<string, unknown> | null;
  jwt: string | null;
  achievementName: string;
  issuedAt: Date | null;
  claimedAt: Date;
  claimToken: string;
  statusReason: string | null;
  statusChangedAt: Date | null;
}

const COLLECTION = 'credentials';

export const idempotencyKeyOf = (k: { platformId: string; deploymentId: string; userId: string; badgeId: string; badgeVersion: number }) =>
  [k.platformId, k.deploymentId, k.userId, k.badgeId, k.badgeVersion].map((p) => encodeURIComponent(String(p))).join('|');

export class IssuedCredentialRepository {
  constructor(private readonly connection: Connection, private readonly now: () => number = Date.now) {}

  private get col() {
    return this.connection.collection(COLLECTION);
  }

  /**
   * Claims the award: returns the record and whether this caller owns the issuing. A stale claim (a crashed
   * issuer) is taken over after `staleMs`.
   */
  async claim(
    fields: Omit<IssuedCredential, 'id' | 'state' | 'status' | 'statusSlot' | 'json' | 'jwt' | 'issuedAt' | 'claimedAt' | 'claimToken' | 'statusReason' | 'statusChangedAt'>,
    staleMs = 60_000,
  ): Promise<{ record: IssuedCredential; owner: boolean; fresh: boolean }> {
    const claimToken = randomUUID();
    const fresh: IssuedCredential = {
      ...fields,
      id: randomUUID(),
      state: 'issuing',
      status: 'active',
      statusSlot: null,
      json: null,
      jwt: null,
      issuedAt: null,
      claimedAt: new Date(this.now()),
      claimToken,
      statusReason: null,
      statusChangedAt: null,
    };
    try {
      // `_id` is the credential id: the pipeline's writes then go by primary key on any MongoDB-protocol server
      await this.col.insertOne({ _id: fresh.id as never, ...fresh });
      return { record: fresh, owner: true, fresh: true };
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
    }
    const existing = (await this.col.findOne({ idempotencyKey: fields.idempotencyKey }, { projection: { _id: 0 } })) as unknown as IssuedCredential;
    if (existing.state === 'issuing' && this.now() - new Date(existing.claimedAt).getTime() > staleMs) {
      const taken = await this.col.findOneAndUpdate(
        { idempotencyKey: fields.idempotencyKey, state: 'issuing', claimToken: existing.claimToken },
        { $set: { claimToken, claimedAt: new Date(this.now()) } },
        // no projection: FerretDB 1.24 does not implement it for findAndModify
        { returnDocument: 'after' },
      );
      if (taken) {
        const { _id, ...record } = taken;
        return { record: record as unknown as IssuedCredential, owner: true, fresh: false };
      }
    }
    return { record: existing, owner: false, fresh: false };
  }

  /**
   * Completes the claim with the signed forms and the status slot they reference; false when the claim was lost
   * to a take-over. Until then the slot is known from the status list (a retry finds it there).
   */
  async complete(
    id: string,
    claimToken: string,
    forms: { json: Record<string, unknown>; jwt: string; issuedAt: Date; statusSlot: { listId: string; index: number } },
  ): Promise<boolean> {
    const res = await this.col.updateOne({ _id: id as never, claimToken, state: 'issuing' }, { $set: { ...forms, state: 'issued' } });
    return res.modifiedCount === 1;
  }

  async findById(id: string): Promise<IssuedCredential | null> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return null;
    const d = await this.col.findOne({ id }, { projection: { _id: 0 } });
    return (d as unknown as IssuedCredential) ?? null;
  }

  async findByKey(idempotencyKey: string): Promise<IssuedCredential | null> {
    const d = await this.col.findOne({ idempotencyKey }, { projection: { _id: 0 } });
    return (d as unknown as IssuedCredential) ?? null;
  }

  async listForLearner(platformId: string, userId: string): Promise<IssuedCredential[]> {
    const docs = await this.col.find({ platformId, userId, state: 'issued' }, { projection: { _id: 0 } }).sort({ issuedAt: -1 }).toArray();
    return docs as unknown as IssuedCredential[];
  }

  async listForPlatform(platformId: string, filter: { courseId?: string; badgeId?: string; status?: CredentialStatus } = {}): Promise<IssuedCredential[]> {
    const docs = await this.col.find({ platformId, state: 'issued', ...filter }, { projection: { _id: 0 } }).sort({ issuedAt: -1 }).toArray();
    return docs as unknown as IssuedCredential[];
  }

  async setStatus(id: string, status: CredentialStatus, reason: string): Promise<void> {
    await this.col.updateOne({ id }, { $set: { status, statusReason: reason, statusChangedAt: new Date(this.now()) } });
  }

  async revokedInPlatform(platformId: string): Promise<IssuedCredential[]> {
    const docs = await this.col.find({ platformId, status: 'revoked' }, { projection: { _id: 0 } }).toArray();
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
