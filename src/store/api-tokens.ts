import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { IndexDefinition } from './indexes';

/**
 * Registrar API tokens: one platform (institution) each, for machine access to the registrar API
 * (`/api/v1/…`, e.g. the credential export). The token is 32 random bytes, shown once when created; only its
 * SHA-256 hash is stored, so a database dump reveals no usable token. A revoked token is kept (who made it,
 * when it was revoked) but never authenticates again.
 */
export interface ApiToken {
  id: string;
  platformId: string;
  label: string;
  createdAt: Date;
  createdBy: string;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

interface ApiTokenDoc extends ApiToken {
  tokenHash: string;
}

const COLLECTION = 'api_tokens';
/** Recognisable prefix (secret scanners, logs), then base64url of 32 random bytes: 43 characters. */
export const API_TOKEN_PREFIX = 'ob3x_';
const TOKEN_SHAPE = /^ob3x_[A-Za-z0-9_-]{43}$/;
/** lastUsedAt is written at most this often per token, so a busy integration does not write on every call. */
const LAST_USED_RESOLUTION_MS = 60_000;

export const hashApiToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

const toDomain = (d: ApiTokenDoc): ApiToken => ({
  id: d.id,
  platformId: d.platformId,
  label: d.label,
  createdAt: d.createdAt,
  createdBy: d.createdBy,
  lastUsedAt: d.lastUsedAt ?? null,
  revokedAt: d.revokedAt ?? null,
});

export class ApiTokenRepository {
  constructor(
    private readonly connection: Connection,
    private readonly now: () => number = Date.now,
  ) {}

  private get col() {
    return this.connection.collection(COLLECTION);
  }

  /** A new token for the platform; `token` is the only time the secret exists outside the caller's hands. */
  async create(platformId: string, label: string, createdBy: string): Promise<{ token: string; record: ApiToken }> {
    const token = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const record: ApiToken = {
      id: randomUUID(),
      platformId,
      label: label.trim().slice(0, 100),
      createdAt: new Date(this.now()),
      createdBy,
      lastUsedAt: null,
      revokedAt: null,
    };
    await this.col.insertOne({ ...record, tokenHash: hashApiToken(token) });
    return { token, record };
  }

  /** The platform's tokens, newest first, without hashes. */
  async list(platformId: string): Promise<ApiToken[]> {
    const docs = await this.col
      .find({ platformId }, { projection: { _id: 0, tokenHash: 0 } })
      .sort({ createdAt: -1 })
      .toArray();
    return (docs as unknown as ApiTokenDoc[]).map(toDomain);
  }

  /** Revokes a token of this platform; false when there is no such active token (another platform's is not found). */
  async revoke(platformId: string, id: string): Promise<boolean> {
    const res = await this.col.updateOne({ id, platformId, revokedAt: null }, { $set: { revokedAt: new Date(this.now()) } });
    return res.modifiedCount === 1;
  }

  /** The active token a presented secret belongs to, or null (unknown, malformed or revoked). */
  async authenticate(token: string): Promise<ApiToken | null> {
    if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) return null;
    const d = (await this.col.findOne({ tokenHash: hashApiToken(token) }, { projection: { _id: 0, tokenHash: 0 } })) as unknown as ApiTokenDoc | null;
    if (!d || d.revokedAt) return null;
    const now = this.now();
    if (!d.lastUsedAt || now - new Date(d.lastUsedAt).getTime() > LAST_USED_RESOLUTION_MS) {
      await this.col.updateOne({ id: d.id }, { $set: { lastUsedAt: new Date(now) } });
    }
    return toDomain(d);
  }

  /** The platform a token belongs to, or null. */
  async platformOf(token: string): Promise<string | null> {
    return (await this.authenticate(token))?.platformId ?? null;
  }

  static indexes(): IndexDefinition[] {
    return [
      { collection: COLLECTION, key: { tokenHash: 1 }, unique: true },
      { collection: COLLECTION, key: { id: 1 }, unique: true },
      { collection: COLLECTION, key: { platformId: 1, createdAt: -1 } },
    ];
  }
}
