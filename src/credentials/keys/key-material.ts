import { createHash, createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { IssuerKeyType } from '../../store/issuer-keys';
import { ed25519PublicKeyMultibase } from './multibase';

const generate = promisify(generateKeyPair);

export const ISSUER_KEY_TYPES: readonly IssuerKeyType[] = ['Ed25519', 'RSA', 'P-256'];

export interface GeneratedKey {
  type: IssuerKeyType;
  kid: string;
  publicJwk: Record<string, string>;
  publicKeyMultibase?: string;
  privateKey: KeyObject;
}

/** Only the members that define the public key, in the order RFC 7638 hashes them. */
export function publicJwkOf(key: KeyObject): Record<string, string> {
  const jwk = createPublicKey(key).export({ format: 'jwk' }) as Record<string, string>;
  switch (jwk.kty) {
    case 'RSA':
      return { e: jwk.e!, kty: 'RSA', n: jwk.n! };
    case 'EC':
      return { crv: jwk.crv!, kty: 'EC', x: jwk.x!, y: jwk.y! };
    case 'OKP':
      return { crv: jwk.crv!, kty: 'OKP', x: jwk.x! };
    default:
      throw new Error(`Unsupported key type ${jwk.kty}`);
  }
}

/** RFC 7638 JWK thumbprint (SHA-256, base64url): a stable key id derived from the public key alone. */
export function jwkThumbprint(publicJwk: Record<string, string>): string {
  const members = Object.keys(publicJwk).sort();
  const canonical = `{${members.map((k) => `${JSON.stringify(k)}:${JSON.stringify(publicJwk[k])}`).join(',')}}`;
  return createHash('sha256').update(canonical).digest('base64url');
}

/**
 * Key ids: the Multikey value for Ed25519 (the usual fragment of a Multikey verification method), the JWK
 * thumbprint for RSA and P-256. Both are derived from the public key, so a kid can never name two keys.
 */
export function describeKey(type: IssuerKeyType, privateKey: KeyObject): Omit<GeneratedKey, 'privateKey'> {
  const publicJwk = publicJwkOf(privateKey);
  if (type === 'Ed25519') {
    if (publicJwk.crv !== 'Ed25519') throw new Error('Not an Ed25519 key');
    const publicKeyMultibase = ed25519PublicKeyMultibase(Buffer.from(publicJwk.x!, 'base64url'));
    return { type, kid: publicKeyMultibase, publicJwk, publicKeyMultibase };
  }
  if (type === 'RSA' && publicJwk.kty !== 'RSA') throw new Error('Not an RSA key');
  if (type === 'P-256' && publicJwk.crv !== 'P-256') throw new Error('Not a P-256 key');
  return { type, kid: jwkThumbprint(publicJwk), publicJwk };
}

export async function generateIssuerKey(type: IssuerKeyType): Promise<GeneratedKey> {
  let privateKey: KeyObject;
  if (type === 'Ed25519') ({ privateKey } = await generate('ed25519'));
  else if (type === 'RSA') ({ privateKey } = await generate('rsa', { modulusLength: 2048, publicExponent: 0x10001 }));
  else ({ privateKey } = await generate('ec', { namedCurve: 'P-256' }));
  return { ...describeKey(type, privateKey), privateKey };
}

export function exportPrivateKeyDer(key: KeyObject): Buffer {
  return key.export({ format: 'der', type: 'pkcs8' });
}

export function importPrivateKeyDer(der: Buffer): KeyObject {
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}
