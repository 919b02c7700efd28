import type { JWK } from 'jose';
import type { PublishedIssuerKey } from '../../store/issuer-keys';

export const DID_CONTEXT_V1 = 'https://www.w3.org/ns/did/v1';
export const MULTIKEY_CONTEXT_V1 = 'https://w3id.org/security/multikey/v1';

/**
 * `JsonWebKey` and `publicKeyJwk` are not defined by the DID v1 or Multikey contexts, and no context defining them
 * is pinned; an embedded term definition keeps the document valid JSON-LD without a remote context.
 */
export const JSON_WEB_KEY_TERMS = {
  JsonWebKey: {
    '@id': 'https://w3id.org/security#JsonWebKey',
    '@context': {
      '@protected': true,
      id: '@id',
      type: '@type',
      controller: { '@id': 'https://w3id.org/security#controller', '@type': '@id' },
      publicKeyJwk: { '@id': 'https://w3id.org/security#publicKeyJwk', '@type': '@json' },
    },
  },
} as const;

export interface VerificationMethod {
  id: string;
  type: 'Multikey' | 'JsonWebKey';
  controller: string;
  publicKeyMultibase?: string;
  publicKeyJwk?: Record<string, string>;
}

export interface DidDocument {
  '@context': unknown[];
  id: string;
  verificationMethod: VerificationMethod[];
  assertionMethod: string[];
}

const JWS_ALG = { RSA: 'RS256', 'P-256': 'ES256' } as const;

/** Active keys first, then retired ones newest first, so consumers that take the first key take the current one. */
function ordered(keys: PublishedIssuerKey[]): PublishedIssuerKey[] {
  const rank = (k: PublishedIssuerKey) => (k.status === 'active' ? 0 : 1);
  return [...keys].sort((a, b) => rank(a) - rank(b) || b.createdAt.getTime() - a.createdAt.getTime());
}

/** JWKS of the VC-JWT keys (RSA and P-256), active and retired: retired keys stay so older credentials verify. */
export function buildJwks(keys: PublishedIssuerKey[]): { keys: JWK[] } {
  return {
    keys: ordered(keys)
      .filter((k): k is PublishedIssuerKey & { type: 'RSA' | 'P-256' } => k.type === 'RSA' || k.type === 'P-256')
      .map((k) => ({ ...k.publicJwk, kid: k.kid, alg: JWS_ALG[k.type], use: 'sig' })),
  };
}

/**
 * The issuer's DID document. Verification method ids are absolute (`${did}#${kid}`) and assertionMethod lists them
 * as strings: the 1EdTech validator matches both by exact string.
 */
export function buildDidDocument(did: string, keys: PublishedIssuerKey[]): DidDocument {
  const verificationMethod = ordered(keys).map((k): VerificationMethod => {
    const id = `${did}#${k.kid}`;
    return k.type === 'Ed25519'
      ? { id, type: 'Multikey', controller: did, publicKeyMultibase: k.publicKeyMultibase! }
      : { id, type: 'JsonWebKey', controller: did, publicKeyJwk: { ...k.publicJwk } };
  });
  return {
    '@context': [DID_CONTEXT_V1, MULTIKEY_CONTEXT_V1, JSON_WEB_KEY_TERMS],
    id: did,
    verificationMethod,
    assertionMethod: verificationMethod.map((vm) => vm.id),
  };
}
