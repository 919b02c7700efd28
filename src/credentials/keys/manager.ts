import { inspect } from 'node:util';
import type { Connection } from 'mongoose';
import type { JWK } from 'jose';
import { AppError } from '../../errors';
import { IssuerKeyRepository, type IssuerKeyRecord, type IssuerKeyType, type PublishedIssuerKey } from '../../store/issuer-keys';
import { dereferenceDidUrl } from './did-resolver';
import { IssuerKeys } from './issuer-keys';
import { KeyEncryptionKey } from './key-encryption';
import { describeKey, exportPrivateKeyDer, generateIssuerKey, importPrivateKeyDer, ISSUER_KEY_TYPES, type GeneratedKey } from './key-material';
import { buildDidDocument, buildJwks, type DidDocument } from './publication';

export interface IssuerKeyManagerOptions {
  /** How long loaded keys are reused before the database is read again (another process may have rotated). */
  cacheTtlMs?: number;
  clock?: () => Date;
}

const MAX_ATTEMPTS = 5;

/** Additional authenticated data of a sealed key: it opens only on the record it was written for. */
const aad = (issuerId: string, kid: string, type: IssuerKeyType) => JSON.stringify(['issuer-key', issuerId, kid, type]);

const sameJwk = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

function assertIssuerId(issuerId: string) {
  if (typeof issuerId !== 'string' || issuerId.length === 0 || issuerId.length > 512) {
    throw new AppError('issuer_id_invalid', 'An issuer id is a non-empty string of at most 512 characters');
  }
}

/**
 * Issuer signing keys: one active Ed25519 (eddsa-rdfc-2022), RSA 2048 (RS256) and P-256 (ES256) key per issuer,
 * created on first use, private keys sealed at rest, rotation keeping old keys published.
 */
export class IssuerKeyManager {
  readonly #kek: KeyEncryptionKey;
  readonly #cache = new Map<string, { keys: IssuerKeys; expires: number }>();
  readonly #inflight = new Map<string, Promise<IssuerKeys>>();
  /** Bumped by rotation so a load that started before it cannot cache the keys it replaced. */
  readonly #generation = new Map<string, number>();
  readonly #cacheTtlMs: number;
  readonly #clock: () => Date;

  readonly #repository: IssuerKeyRepository;

  constructor(repository: IssuerKeyRepository, keyEncryptionKey: string, options: IssuerKeyManagerOptions = {}) {
    this.#repository = repository;
    this.#kek = new KeyEncryptionKey(keyEncryptionKey);
    this.#cacheTtlMs = options.cacheTtlMs ?? 60_000;
    this.#clock = options.clock ?? (() => new Date());
  }

  /** The issuer's active keys, generating any that are missing. Safe to call concurrently from many processes. */
  async ensureIssuerKeys(issuerId: string): Promise<IssuerKeys> {
    assertIssuerId(issuerId);
    const cached = this.#cache.get(issuerId);
    if (cached && cached.expires > Date.now()) return cached.keys;
    // one load per issuer at a time in this process; the unique index settles races between processes
    let pending = this.#inflight.get(issuerId);
    if (!pending) {
      pending = this.#load(issuerId).finally(() => this.#inflight.delete(issuerId));
      this.#inflight.set(issuerId, pending);
    }
    return pending;
  }

  /** New active keys of every type; the previous ones are retired and stay published so what they signed verifies. */
  async rotateIssuerKeys(issuerId: string): Promise<IssuerKeys> {
    assertIssuerId(issuerId);
    await this.#repository.ensureIndexes();
    const fresh = await Promise.all(ISSUER_KEY_TYPES.map(generateIssuerKey));
    for (const key of fresh) {
      for (let attempt = 0; ; attempt++) {
        if (attempt === MAX_ATTEMPTS) throw new AppError('issuer_key_rotation_failed', `Could not rotate the ${key.type} key of ${issuerId}`);
        const current = (await this.#repository.findActive(issuerId)).find((r) => r.type === key.type);
        if (current) await this.#repository.retire(issuerId, current.kid, this.#clock());
        // false: another caller made a key active in between; retire that one too on the next round
        if (await this.#repository.insertActive(this.#seal(issuerId, key))) break;
      }
    }
    this.#generation.set(issuerId, (this.#generation.get(issuerId) ?? 0) + 1);
    this.#cache.delete(issuerId);
    return this.#load(issuerId);
  }

  /** Public keys, active and retired, after making sure the issuer has keys. */
  async publishedKeys(issuerId: string): Promise<PublishedIssuerKey[]> {
    await this.ensureIssuerKeys(issuerId);
    return this.#repository.listPublished(issuerId);
  }

  /** The issuer's JWKS: RSA and P-256 public keys with their kid, active and retired. */
  async issuerJwks(issuerId: string): Promise<{ keys: JWK[] }> {
    return buildJwks(await this.publishedKeys(issuerId));
  }

  /** The DID document published for `did` (e.g. did:web of the issuer's URL), listing every key of the issuer. */
  async issuerDidDocument(issuerId: string, did: string): Promise<DidDocument> {
    if (typeof did !== 'string' || !did.startsWith('did:') || did.includes('#')) {
      throw new AppError('did_invalid', `Not a DID: ${String(did)}`);
    }
    return buildDidDocument(did, await this.publishedKeys(issuerId));
  }

  /**
   * A `resolveDid` for createDocumentLoader() that answers for this tool's own issuers: `issuerIdOf` maps a DID to
   * its issuer id (null when the DID is not ours).
   */
  didResolver(issuerIdOf: (did: string) => string | null): (didUrl: string) => Promise<object | null> {
    return async (didUrl) => {
      const did = didUrl.split('#', 1)[0]!;
      const issuerId = issuerIdOf(did);
      if (!issuerId) return null;
      return dereferenceDidUrl(await this.issuerDidDocument(issuerId, did), didUrl);
    };
  }

  async #load(issuerId: string): Promise<IssuerKeys> {
    const generation = this.#generation.get(issuerId) ?? 0;
    await this.#repository.ensureIndexes();
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const active = await this.#repository.findActive(issuerId);
      const missing = ISSUER_KEY_TYPES.filter((type) => !active.some((r) => r.type === type));
      if (missing.length === 0) {
        const keys = this.#open(issuerId, active);
        if ((this.#generation.get(issuerId) ?? 0) === generation) {
          this.#cache.set(issuerId, { keys, expires: Date.now() + this.#cacheTtlMs });
        }
        return keys;
      }
      // a losing insert (another process was first) returns false; the next read picks the winner up
      await Promise.all(missing.map(async (type) => this.#repository.insertActive(this.#seal(issuerId, await generateIssuerKey(type)))));
    }
    throw new AppError('issuer_keys_unavailable', `Could not create the keys of issuer ${issuerId}`);
  }

  #seal(issuerId: string, key: GeneratedKey): Omit<IssuerKeyRecord, 'status' | 'retiredAt'> {
    const der = exportPrivateKeyDer(key.privateKey);
    try {
      return {
        issuerId,
        kid: key.kid,
        type: key.type,
        publicJwk: key.publicJwk,
        ...(key.publicKeyMultibase ? { publicKeyMultibase: key.publicKeyMultibase } : {}),
        sealedPrivateKey: this.#kek.seal(der, aad(issuerId, key.kid, key.type)),
        createdAt: this.#clock(),
      };
    } finally {
      der.fill(0);
    }
  }

  #open(issuerId: string, records: IssuerKeyRecord[]): IssuerKeys {
    return new IssuerKeys(
      issuerId,
      records.map((r) => {
        const der = this.#kek.open(r.sealedPrivateKey, aad(issuerId, r.kid, r.type));
        try {
          const privateKey = importPrivateKeyDer(der);
          // the stored public half must be the private key's, or signatures would not verify against what we publish
          const derived = describeKey(r.type, privateKey);
          if (derived.kid !== r.kid || !sameJwk(derived.publicJwk, r.publicJwk)) {
            throw new AppError('issuer_key_mismatch', `Stored public key of ${issuerId}/${r.kid} does not match its private key`);
          }
          return { ...derived, privateKey };
        } finally {
          der.fill(0);
        }
      }),
    );
  }

  toJSON() {
    return { kind: 'IssuerKeyManager' };
  }

  [inspect.custom]() {
    return 'IssuerKeyManager {}';
  }
}

export function createIssuerKeyManager(connection: Connection, keyEncryptionKey: string, options?: IssuerKeyManagerOptions) {
  return new IssuerKeyManager(new IssuerKeyRepository(connection), keyEncryptionKey, options);
}
