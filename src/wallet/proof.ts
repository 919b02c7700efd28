import { calculateJwkThumbprint, decodeProtectedHeader, errors, importJWK, jwtVerify, type JWK } from 'jose';
import { WalletError } from './errors';
import { didJwkOf, jwkFromKid, publicJwk } from './holder-key';
import { PROOF_SIGNING_ALGS } from './metadata';
import type { NonceRepository } from './nonce-store';
import { PROOF_JWT_TYP, type WalletTimings } from './protocol';

export interface VerifiedKeyProof {
  jwk: JWK;
  /** RFC 7638 thumbprint of the holder key, kept with the delivery for the record. */
  thumbprint: string;
  /** The holder's DID: the did:key / did:jwk the proof's kid names, else did:jwk of its jwk header. */
  did: string;
}

const invalid = (why: string) => new WalletError('invalid_proof', why);

/**
 * Verifies one `jwt` key proof (OID4VCI 1.0 Appendix F.1 and F.4): explicitly typed `openid4vci-proof+jwt`, an
 * asymmetric `alg` we accept, exactly one key reference (`jwk`, or a `kid` that is a did:key / did:jwk URL; `x5c`
 * is not supported), no private key material, a signature that verifies with that key, `aud` = the Credential
 * Issuer Identifier, an `iat` neither older than `proofMaxAgeSeconds` nor further ahead than the clock skew, and a
 * `nonce` that is a live c_nonce of ours, consumed here (single use). Throws WalletError `invalid_proof` or, for
 * the nonce alone, `invalid_nonce` (the wallet then fetches a new one).
 */
export async function verifyKeyProof(
  proof: unknown,
  o: { audience: string; now: () => number; timings: WalletTimings; nonces: Pick<NonceRepository, 'consume'> },
): Promise<VerifiedKeyProof> {
  if (typeof proof !== 'string' || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(proof)) throw invalid('The key proof must be a compact JWT.');
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(proof);
  } catch {
    throw invalid('The key proof header cannot be read.');
  }
  if (header.typ !== PROOF_JWT_TYP) throw invalid(`The key proof must have typ ${PROOF_JWT_TYP}.`);
  const alg = String(header.alg);
  if (!(PROOF_SIGNING_ALGS as readonly string[]).includes(alg))
    throw invalid(`The key proof algorithm ${alg} is not accepted; use one of ${PROOF_SIGNING_ALGS.join(', ')}.`);
  const references = (['jwk', 'kid', 'x5c'] as const).filter((h) => header[h] !== undefined);
  if (references.length !== 1) throw invalid('The key proof header must name its key with exactly one of jwk or kid.');
  if (references[0] === 'x5c') throw invalid('Key proofs with x5c are not supported; send the key as jwk or as a did:key or did:jwk kid.');

  let jwk: JWK | null;
  if (references[0] === 'jwk') {
    jwk = publicJwk(header.jwk);
    if (!jwk) throw invalid('The jwk header must be a public EC, OKP or RSA key, with no private parts.');
  } else {
    jwk = typeof header.kid === 'string' ? jwkFromKid(header.kid) : null;
    if (!jwk) throw invalid('The kid header must be a did:key or did:jwk URL naming a supported public key.');
  }

  let key: Awaited<ReturnType<typeof importJWK>>;
  try {
    key = await importJWK(jwk, alg);
  } catch {
    throw invalid(`The key in the proof header cannot be used with ${alg}.`);
  }

  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(proof, key, {
      algorithms: [alg],
      typ: PROOF_JWT_TYP,
      audience: o.audience,
      requiredClaims: ['aud', 'iat'],
      currentDate: new Date(o.now()),
      maxTokenAge: o.timings.proofMaxAgeSeconds,
      clockTolerance: o.timings.proofClockSkewSeconds,
    }));
  } catch (err) {
    if (err instanceof errors.JWTClaimValidationFailed) {
      if (err.claim === 'aud') throw invalid(`The key proof aud must be the Credential Issuer Identifier ${o.audience}.`);
      if (err.claim === 'iat') throw invalid('The key proof iat is missing, too old or in the future.');
      throw invalid(`The key proof claim ${err.claim} is not valid.`);
    }
    if (err instanceof errors.JWTExpired) throw invalid('The key proof has expired.');
    if (err instanceof errors.JWSSignatureVerificationFailed) throw invalid('The key proof signature does not verify with the key in its header.');
    throw invalid('The key proof cannot be verified.');
  }

  if (typeof payload.nonce !== 'string' || payload.nonce === '')
    throw invalid('The key proof must carry a c_nonce from the nonce endpoint in its nonce claim.');
  if (!(await o.nonces.consume(payload.nonce)))
    throw new WalletError('invalid_nonce', 'The c_nonce in the key proof is unknown, expired or already used; get a new one from the nonce endpoint.');
  const did = references[0] === 'kid' ? String(header.kid).split('#')[0]! : didJwkOf(jwk);
  return { jwk, thumbprint: await calculateJwkThumbprint(jwk), did };
}
