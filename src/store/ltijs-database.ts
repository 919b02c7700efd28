import type { Connection } from 'mongoose';
import type { IndexDefinition } from './indexes';
import { seal, unseal, type Sealed } from './sealing';

/**
 * The storage ltijs asks for (its "database plugin" interface: setup, Close, Get, Insert, Replace, Modify,
 * Delete), kept on the product's own connection instead of ltijs's global mongoose 7 connection.
 *
 * Why not ltijs's built-in store:
 * - its schemas ask for TTL indexes, which FerretDB refuses; here every expiring record carries `expiresAt`,
 *   reads ignore expired records and a sweeper removes them (a TTL index is added where the server allows);
 * - its nonce records live 10 s, shorter than Moodle's 60 s id_tokens, so a replay after 10 s was accepted
 *   (LTIJS-WITH-MOODLE row 7): nonces here live at least twice the accepted token age;
 * - nonce uniqueness is a unique index, so two concurrent replays cannot both pass its read-then-write check;
 * - encrypted records use AES-256-GCM (authenticated) instead of CBC.
 */
export const LTIJS_COLLECTION_PREFIX = 'ltijs_';

const collectionName = (c: string) => LTIJS_COLLECTION_PREFIX + c.toLowerCase();

export interface LtijsDatabaseOptions {
  nonceLifetimeSeconds: number;
  now?: () => number;
}

export function ltijsIndexes(): IndexDefinition[] {
  const c = collectionName;
  return [
    { collection: c('nonce'), key: { nonce: 1 }, unique: true },
    { collection: c('state'), key: { state: 1 }, unique: true },
    { collection: c('platform'), key: { platformUrl: 1, clientId: 1 }, unique: true },
    { collection: c('platform'), key: { kid: 1 }, unique: true },
    { collection: c('platformStatus'), key: { id: 1 }, unique: true },
    { collection: c('publickey'), key: { kid: 1 }, unique: true },
    { collection: c('privatekey'), key: { kid: 1 }, unique: true },
    { collection: c('accesstoken'), key: { platformUrl: 1, clientId: 1, scopes: 1 }, unique: true },
    { collection: c('idtoken'), key: { iss: 1, clientId: 1, deploymentId: 1, user: 1 } },
    { collection: c('contexttoken'), key: { contextId: 1, user: 1 } },
    ...['nonce', 'state', 'accesstoken', 'idtoken', 'contexttoken'].map((n) => ({
      collection: c(n),
      key: { expiresAt: 1 } as Record<string, 1>,
      ttl: true,
    })),
  ];
}

export const ltijsExpiringCollections = () => ['nonce', 'state', 'accesstoken', 'idtoken', 'contexttoken'].map(collectionName);

type Doc = Record<string, unknown>;

export class LtijsDatabase {
  private readonly lifetimes: Record<string, number>;
  private readonly now: () => number;

  constructor(
    private readonly connection: Connection,
    options: LtijsDatabaseOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.lifetimes = {
      nonce: options.nonceLifetimeSeconds,
      state: 600,
      accesstoken: 3600,
      idtoken: 24 * 3600,
      contexttoken: 24 * 3600,
    };
  }

  // ltijs calls these two from deploy()/close(); the connection belongs to the app, so they do nothing.
  async setup() {
    return true;
  }
  async Close() {
    return true;
  }

  private col(name: string) {
    return this.connection.collection(collectionName(name));
  }

  private liveFilter(collection: string, query: Doc = {}): Doc {
    return this.lifetimes[collection] ? { ...query, expiresAt: { $gt: new Date(this.now()) } } : query;
  }

  private stamp(collection: string, doc: Doc): Doc {
    const lifetime = this.lifetimes[collection];
    const createdAt = new Date(this.now());
    return lifetime ? { ...doc, createdAt, expiresAt: new Date(createdAt.getTime() + lifetime * 1000) } : { ...doc, createdAt };
  }

  async Get(encryptionKey: string | false, collection: string, query?: Doc) {
    if (!collection) throw new Error('MISSING_COLLECTION');
    const docs = await this.col(collection)
      .find(this.liveFilter(collection, query), { projection: { _id: 0, expiresAt: 0 } })
      .toArray();
    if (docs.length === 0) return false;
    if (!encryptionKey) return docs;
    return docs.map((d) => ({
      ...JSON.parse(decrypt(d as unknown as Sealed, encryptionKey)),
      createdAt: d.createdAt instanceof Date ? d.createdAt.getTime() : d.createdAt,
    }));
  }

  async Insert(encryptionKey: string | false, collection: string, item: Doc, index?: Doc) {
    if (!collection || !item || (encryptionKey && !index)) throw new Error('MISSING_PARAMS');
    const doc = encryptionKey ? { ...index, ...sealRecord(JSON.stringify(item), encryptionKey) } : { ...item };
    await this.col(collection).insertOne(this.stamp(collection, doc));
    return true;
  }

  async Replace(encryptionKey: string | false, collection: string, query: Doc, item: Doc, index?: Doc) {
    if (!collection || !item || (encryptionKey && !index)) throw new Error('MISSING_PARAMS');
    const doc = encryptionKey ? { ...index, ...sealRecord(JSON.stringify(item), encryptionKey) } : { ...item };
    await this.col(collection).replaceOne(query, this.stamp(collection, doc), { upsert: true });
    return true;
  }

  async Modify(encryptionKey: string | false, collection: string, query: Doc, modification: Doc) {
    if (!collection || !query || !modification) throw new Error('MISSING_PARAMS');
    if (!encryptionKey) {
      await this.col(collection).updateOne(query, { $set: modification });
      return true;
    }
    const current = await this.col(collection).findOne(query);
    if (!current) return true;
    const plain = { ...JSON.parse(decrypt(current as unknown as Sealed, encryptionKey)), ...modification };
    await this.col(collection).updateOne(query, { $set: sealRecord(JSON.stringify(plain), encryptionKey) });
    return true;
  }

  async Delete(collection: string, query: Doc) {
    if (!collection || !query) throw new Error('MISSING_PARAMS');
    await this.col(collection).deleteMany(query);
    return true;
  }
}

const PURPOSE = 'ltijs-records';
const sealRecord = (plain: string, secret: string) => seal(plain, secret, PURPOSE);
const decrypt = (sealed: Sealed, secret: string) => unseal(sealed, secret, PURPOSE);
