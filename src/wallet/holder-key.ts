import { ECDH } from 'node:crypto';
import type { JWK } from 'jose';
import { base58btcDecode } from '../credentials/keys/multibase';

/** JWK members that only a private (or symmetric) key has: a proof header carrying one is refused. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

export const hasPrivateMembers = (jwk: Record<string, unknown>) => PRIVATE_MEMBERS.some((m) => m in jwk);

/** A public JWK of a kind a key proof may use, or null. */
export function publicJwk(value: unknown): JWK | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const jwk = value as Record<string, unknown>;
  if (hasPrivateMembers(jwk)) return null;
  if (!['EC', 'OKP', 'RSA'].includes(String(jwk.kty))) return null;
  return jwk as JWK;
}

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** Multicodec public key headers (unsigned varints) of did:key, with what the key bytes become. */
const DID_KEY_CODECS: Array<{ header: [number, number]; length: number; toJwk(bytes: Uint8Array): JWK }> = [
  { header: [0xed, 0x01], length: 32, toJwk: (b) => ({ kty: 'OKP', crv: 'Ed25519', x: b64url(b) }) },
  { header: [0x80, 0x24], length: 33, toJwk: (b) => ecJwk(b, 'prime256v1', 'P-256', 32) },
  { header: [0x81, 0x24], length: 49, toJwk: (b) => ecJwk(b, 'secp384r1', 'P-384', 48) },
];

function ecJwk(compressed: Uint8Array, curve: string, crv: string, size: number): JWK {
  const point = ECDH.convertKey(Buffer.from(compressed), curve, undefined, undefined, 'uncompressed') as Buffer;
  return { kty: 'EC', crv, x: b64url(point.subarray(1, 1 + size)), y: b64url(point.subarray(1 + size)) };
}

/** The public key of a `did:key` (Ed25519, P-256, P-384; multibase base58-btc), or null. */
export function jwkFromDidKey(did: string): JWK | null {
  const match = /^did:key:(z[1-9A-HJ-NP-Za-km-z]+)$/.exec(did);
  if (!match) return null;
  const bytes = base58btcDecode(match[1]!.slice(1));
  if (!bytes) return null;
  const codec = DID_KEY_CODECS.find((c) => bytes[0] === c.header[0] && bytes[1] === c.header[1] && bytes.length === c.length + 2);
  if (!codec) return null;
  try {
    return codec.toJwk(bytes.slice(2));
  } catch {
    return null; // not a point on the curve
  }
}

/** The public key of a `did:jwk` (base64url JSON of the JWK), or null. */
export function jwkFromDidJwk(did: string): JWK | null {
  const match = /^did:jwk:([A-Za-z0-9_-]+)$/.exec(did);
  if (!match) return null;
  try {
    return publicJwk(JSON.parse(Buffer.from(match[1]!, 'base64url').toString('utf8')));
  } catch {
    return null;
  }
}

/**
 * The key a proof's `kid` names, when it is a DID URL we can resolve offline: `did:key:z…` (fragment, if any,
 * equal to the key's multibase) or `did:jwk:…` (fragment `#0`, if any). Other DID methods and plain key ids are
 * not resolved (null): the tool fetches nothing on a wallet's behalf.
 */
export function jwkFromKid(kid: string): JWK | null {
  const [did, fragment, ...rest] = kid.split('#');
  if (rest.length || !did) return null;
  if (did.startsWith('did:key:')) {
    if (fragment !== undefined && fragment !== did.slice('did:key:'.length)) return null;
    return jwkFromDidKey(did);
  }
  if (did.startsWith('did:jwk:')) {
    if (fragment !== undefined && fragment !== '0') return null;
    return jwkFromDidJwk(did);
  }
  return null;
}

/** The public members of each key type (RFC 7638 §3.2), the only ones a did:jwk made here carries. */
const PUBLIC_MEMBERS: Record<string, readonly string[]> = { EC: ['crv', 'kty', 'x', 'y'], OKP: ['crv', 'kty', 'x'], RSA: ['e', 'kty', 'n'] };

/** `did:jwk:` of a public key (its public members only, so the same key always gives the same DID). */
export function didJwkOf(jwk: JWK): string {
  const members = PUBLIC_MEMBERS[String(jwk.kty)] ?? [];
  const key = Object.fromEntries(members.filter((m) => (jwk as Record<string, unknown>)[m] !== undefined).map((m) => [m, (jwk as Record<string, unknown>)[m]]));
  return `did:jwk:${Buffer.from(JSON.stringify(key)).toString('base64url')}`;
}
