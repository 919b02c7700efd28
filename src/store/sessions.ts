import { createHmac, randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { IndexDefinition } from './indexes';

/**
 * The product's own session after a launch. It is carried by a bearer token in the page (links, forms,
 * Authorization header), never by a cookie: Moodle frames the tool from another site and browsers drop
 * third-party cookies. Only an HMAC of the token is stored, so a database dump does not yield sessions.
 */
export interface Session<C> {
  id: string;
  /** What the session carries (the web layer stores the launch context): kept as given, never interpreted here. */
  context: C;
  createdAt: Date;
  expiresAt: Date;
}

const COLLECTION = 'sessions';

export class SessionRepository<C extends object> {
  constructor(
    private readonly connection: Connection,
    private readonly secret: string,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private get col() {
    return this.connection.collection(COLLECTION);
  }

  private hash(token: string) {
    return createHmac('sha256', this.secret).update(token).digest('base64url');
  }

  async create(context: C): Promise<{ token: string; session: Session<C> }> {
    const token = randomBytes(32).toString('base64url');
    const createdAt = new Date(this.now());
    const expiresAt = new Date(createdAt.getTime() + this.ttlMs);
    const res = await this.col.insertOne({ tokenHash: this.hash(token), context, createdAt, expiresAt });
    return { token, session: { id: String(res.insertedId), context, createdAt, expiresAt } };
  }

  async find(token: string): Promise<Session<C> | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const d = await this.col.findOne({ tokenHash: this.hash(token), expiresAt: { $gt: new Date(this.now()) } });
    if (!d) return null;
    return { id: String(d._id), context: d.context as C, createdAt: d.createdAt, expiresAt: d.expiresAt };
  }

  async count(): Promise<number> {
    return this.col.countDocuments();
  }

  static indexes(): IndexDefinition[] {
    return [
      { collection: COLLECTION, key: { tokenHash: 1 }, unique: true },
      { collection: COLLECTION, key: { expiresAt: 1 }, ttl: true },
    ];
  }
  static readonly collection = COLLECTION;
}
