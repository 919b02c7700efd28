import { Schema, type Connection, type Model } from 'mongoose';
import type { IndexDefinition } from './indexes';

/**
 * Credential signing keys of each issuer. Private keys are stored only as ciphertext (sealed by
 * src/credentials/keys/key-encryption.ts); this repository never sees them in the clear.
 */
export type IssuerKeyType = 'Ed25519' | 'RSA' | 'P-256';
export type IssuerKeyStatus = 'active' | 'retired';

/** AES-256-GCM ciphertext of a PKCS#8 DER private key, under a key derived with HKDF-SHA256 from the KEK. */
export interface SealedPrivateKey {
  v: 1;
  kdf: 'hkdf-sha256';
  salt: string;
  iv: string;
  tag: string;
  ciphertext: string;
}

export interface IssuerKeyRecord {
  issuerId: string;
  kid: string;
  type: IssuerKeyType;
  status: IssuerKeyStatus;
  /** Public JWK (kty, crv/n/e/x/y); never holds `d`. */
  publicJwk: Record<string, string>;
  /** Ed25519 only: the Multikey encoding used in DID documents. */
  publicKeyMultibase?: string;
  sealedPrivateKey: SealedPrivateKey;
  createdAt: Date;
  retiredAt?: Date;
}

export type PublishedIssuerKey = Omit<IssuerKeyRecord, 'sealedPrivateKey'>;

const COLLECTION = 'issuer_keys';
/**
 * `slot` is 'active' for the one active key of (issuerId, type) and the kid once retired: a plain unique index on
 * (issuerId, type, slot) then allows one active key per type without `partialFilterExpression`, which
 * FerretDB 1.24 does not support.
 */
const ACTIVE = 'active';

interface IssuerKeyDoc extends IssuerKeyRecord {
  slot: string;
}

const sealedSchema = new Schema<SealedPrivateKey>(
  {
    v: { type: Number, required: true },
    kdf: { type: String, required: true },
    salt: { type: String, required: true },
    iv: { type: String, required: true },
    tag: { type: String, required: true },
    ciphertext: { type: String, required: true },
  },
  { _id: false },
);

const schema = new Schema<IssuerKeyDoc>(
  {
    issuerId: { type: String, required: true },
    kid: { type: String, required: true },
    type: { type: String, enum: ['Ed25519', 'RSA', 'P-256'], required: true },
    status: { type: String, enum: ['active', 'retired'], required: true },
    slot: { type: String, required: true },
    publicJwk: { type: Schema.Types.Mixed, required: true },
    publicKeyMultibase: { type: String },
    sealedPrivateKey: { type: sealedSchema, required: true },
    createdAt: { type: Date, required: true },
    retiredAt: { type: Date },
  },
  { collection: COLLECTION, versionKey: false, minimize: false },
);

const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;

const toPublished = (d: Omit<IssuerKeyDoc, 'sealedPrivateKey'>): PublishedIssuerKey => ({
  issuerId: d.issuerId,
  kid: d.kid,
  type: d.type,
  status: d.status,
  publicJwk: { ...d.publicJwk },
  ...(d.publicKeyMultibase ? { publicKeyMultibase: d.publicKeyMultibase } : {}),
  createdAt: d.createdAt,
  ...(d.retiredAt ? { retiredAt: d.retiredAt } : {}),
});

const toRecord = (d: IssuerKeyDoc): IssuerKeyRecord => ({ ...toPublished(d), sealedPrivateKey: { ...d.sealedPrivateKey } });

export class IssuerKeyRepository {
  private readonly model: Model<IssuerKeyDoc>;
  private indexesReady: Promise<void> | null = null;

  constructor(private readonly connection: Connection) {
    this.model = connection.models.IssuerKey ?? connection.model<IssuerKeyDoc>('IssuerKey', schema);
  }

  /**
   * Creates the unique indexes the one-active-key rule depends on. Idempotent; the key manager calls it before
   * its first write so correctness never depends on start-up code remembering to.
   */
  ensureIndexes(): Promise<void> {
    this.indexesReady ??= (async () => {
      for (const def of IssuerKeyRepository.indexes()) {
        await this.connection.collection(def.collection).createIndex(def.key, def.unique ? { unique: true } : {});
      }
    })().catch((err) => {
      this.indexesReady = null;
      throw err;
    });
    return this.indexesReady;
  }

  /** Active keys of an issuer (at most one per type), with their sealed private keys. */
  async findActive(issuerId: string): Promise<IssuerKeyRecord[]> {
    const docs = await this.model.find({ issuerId, slot: ACTIVE }).lean<IssuerKeyDoc[]>();
    return docs.map(toRecord);
  }

  /** Every key still published (active and retired), newest first, without private material. */
  async listPublished(issuerId: string): Promise<PublishedIssuerKey[]> {
    const docs = await this.model.find({ issuerId }, { sealedPrivateKey: 0 }).sort({ createdAt: -1, kid: 1 }).lean<Omit<IssuerKeyDoc, 'sealedPrivateKey'>[]>();
    return docs.map(toPublished);
  }

  /** Inserts a new active key; false when (issuerId, type) already has one (another caller won the race). */
  async insertActive(record: Omit<IssuerKeyRecord, 'status' | 'retiredAt'>): Promise<boolean> {
    try {
      await this.model.collection.insertOne({ ...record, status: 'active', slot: ACTIVE } as IssuerKeyDoc);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /** Retires the active key with this kid; it stays stored and published. False when it is not active. */
  async retire(issuerId: string, kid: string, at: Date): Promise<boolean> {
    const res = await this.model.updateOne({ issuerId, kid, slot: ACTIVE }, { $set: { status: 'retired', slot: kid, retiredAt: at } });
    return res.modifiedCount === 1;
  }

  static indexes(): IndexDefinition[] {
    return [
      { collection: COLLECTION, key: { issuerId: 1, kid: 1 }, unique: true },
      { collection: COLLECTION, key: { issuerId: 1, type: 1, slot: 1 }, unique: true },
    ];
  }
}
