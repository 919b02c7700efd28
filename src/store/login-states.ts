import type { Connection } from 'mongoose';
import type { IndexDefinition } from './indexes';

/**
 * The OIDC login state held server-side, keyed by `state`: which platform and client it was sent for and the
 * nonce sent with it. A launch must consume its state (once) and carry the same nonce, whether or not the
 * browser returned ltijs's state cookie.
 */
export interface LoginState {
  state: string;
  nonce: string;
  issuer: string;
  clientId: string;
  deploymentId: string | null;
  expiresAt: Date;
}

const COLLECTION = 'lti_login_states';

export class LoginStateRepository {
  constructor(
    private readonly connection: Connection,
    private readonly now: () => number = Date.now,
  ) {}

  private get col() {
    return this.connection.collection<LoginState>(COLLECTION);
  }

  async save(s: LoginState): Promise<void> {
    await this.col.insertOne({ ...s });
  }

  /** Atomically takes the state: a second launch with the same state finds nothing. */
  async consume(state: string): Promise<LoginState | null> {
    const doc = await this.col.findOneAndDelete({ state, expiresAt: { $gt: new Date(this.now()) } });
    if (!doc) return null;
    const { _id, ...rest } = doc as LoginState & { _id: unknown };
    return rest;
  }

  static indexes(): IndexDefinition[] {
    return [
      { collection: COLLECTION, key: { state: 1 }, unique: true },
      { collection: COLLECTION, key: { expiresAt: 1 }, ttl: true },
    ];
  }
  static readonly collection = COLLECTION;
}
