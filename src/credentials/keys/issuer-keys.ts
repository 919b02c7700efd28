import { sign as cryptoSign, type KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import { AppError } from '../../errors';
import type { IssuerKeyType } from '../../store/issuer-keys';

export type JwsAlgorithm = 'RS256' | 'ES256';

export interface PublicIssuerKey {
  readonly type: IssuerKeyType;
  readonly kid: string;
  readonly publicJwk: Readonly<Record<string, string>>;
  readonly publicKeyMultibase?: string;
}

/** What the Data Integrity suite calls to sign (id = the verification method of the proof). */
export interface DataIntegritySigner {
  readonly id: string;
  readonly algorithm: 'Ed25519';
  sign(input: { data: Uint8Array }): Promise<Uint8Array>;
}

export interface JwsSigner {
  readonly kid: string;
  readonly alg: JwsAlgorithm;
  /** The JWS signature over `data` (for ES256 the 64-byte R||S form JWS requires). */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

const ALG_KEY_TYPE: Record<JwsAlgorithm, IssuerKeyType> = { RS256: 'RSA', ES256: 'P-256' };

/**
 * The active keys of one issuer. Private keys live in a private field and only ever leave as signing functions;
 * toJSON and util.inspect show public material only, so the holder can be logged or serialised by mistake safely.
 */
export class IssuerKeys {
  readonly issuerId: string;
  readonly keys: Readonly<Record<IssuerKeyType, PublicIssuerKey>>;
  readonly #privateKeys: ReadonlyMap<IssuerKeyType, KeyObject>;
  readonly #diSigners = new Map<string, DataIntegritySigner>();
  readonly #jwsSigners = new Map<JwsAlgorithm, JwsSigner>();

  constructor(issuerId: string, keys: Array<PublicIssuerKey & { privateKey: KeyObject }>) {
    this.issuerId = issuerId;
    const publicKeys = {} as Record<IssuerKeyType, PublicIssuerKey>;
    const privateKeys = new Map<IssuerKeyType, KeyObject>();
    for (const { privateKey, ...pub } of keys) {
      publicKeys[pub.type] = Object.freeze({ ...pub, publicJwk: Object.freeze({ ...pub.publicJwk }) });
      privateKeys.set(pub.type, privateKey);
    }
    for (const type of ['Ed25519', 'RSA', 'P-256'] as const) {
      if (!publicKeys[type]) throw new AppError('issuer_keys_incomplete', `Issuer ${issuerId} has no active ${type} key`);
    }
    this.keys = Object.freeze(publicKeys);
    this.#privateKeys = privateKeys;
  }

  kid(type: IssuerKeyType): string {
    return this.keys[type].kid;
  }

  /** Signer for eddsa-rdfc-2022 proofs; `verificationMethod` is `${controller}#${kid}`. */
  dataIntegritySigner(verificationMethod: string): DataIntegritySigner {
    let signer = this.#diSigners.get(verificationMethod);
    if (!signer) {
      const key = this.#privateKeys.get('Ed25519')!;
      signer = Object.freeze({
        id: verificationMethod,
        algorithm: 'Ed25519' as const,
        // Ed25519 signing takes microseconds: synchronous is cheaper than a thread-pool hop
        sign: async ({ data }: { data: Uint8Array }) => new Uint8Array(cryptoSign(null, data, key)),
      });
      if (this.#diSigners.size < 16) this.#diSigners.set(verificationMethod, signer);
    }
    return signer;
  }

  jwsSigner(alg: JwsAlgorithm): JwsSigner {
    let signer = this.#jwsSigners.get(alg);
    if (!signer) {
      const type = ALG_KEY_TYPE[alg];
      if (!type) throw new AppError('jws_alg_unsupported', `Unsupported JWS algorithm ${String(alg)}`, { status: 400 });
      const key = this.#privateKeys.get(type)!;
      const options = alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' as const } : key;
      signer = Object.freeze({
        kid: this.keys[type].kid,
        alg,
        // RSA signing costs about a millisecond: the callback form runs it on the thread pool
        sign: (data: Uint8Array) =>
          new Promise<Uint8Array>((resolve, reject) => cryptoSign('sha256', data, options, (err, sig) => (err ? reject(err) : resolve(new Uint8Array(sig))))),
      });
      this.#jwsSigners.set(alg, signer);
    }
    return signer;
  }

  toJSON() {
    return { issuerId: this.issuerId, keys: this.keys };
  }

  [inspect.custom]() {
    return `IssuerKeys ${inspect(this.toJSON(), { depth: 4 })}`;
  }
}
