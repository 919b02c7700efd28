import { AppError } from '../../errors';
import type { IssuerKeys, JwsAlgorithm } from '../keys/issuer-keys';
import { issuerIdOf, numericDate, parseDateTime, subjectIdOf, validFromOf, validUntilOf } from './credential-fields';
import type { JsonObject } from './libs';

export interface SignVcJwtOptions {
  issuerKeys: IssuerKeys;
  alg: JwsAlgorithm;
  /** Unused since the token carries no `iat` (§8.2.4.2 lists none); kept so callers can pass one clock to both formats. */
  now?: Date;
}

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');

/**
 * Signs a credential as a VC-JWT (OB 3.0 §8.2) and returns the compact JWS.
 * - Header: `alg`, `typ: "JWT"` and `kid` = `${issuer id}#${kid}`, a DID URL that dereferences (through the
 *   issuer's did:web document) to a JsonWebKey verification method, which is how the 1EdTech validator resolves a
 *   `did:` kid. No `jwk` header: the key is found through the issuer, never trusted from the token itself.
 * - Payload: the credential itself (OB 3.0 §8.2.4.2; the validator reads a `vc` claim when present and the whole
 *   payload otherwise) plus exactly the claims §8.2.4.2 maps: `iss` = issuer.id, `jti` = id, `nbf` = validFrom,
 *   `exp` = validUntil when present, `sub` = credentialSubject.id only when the subject has one (a subject known by
 *   hashed identifiers has no `sub`: any other value would name a different subject). No `iat`: the token's bytes
 *   depend on the credential alone.
 * Throws AppError when the credential lacks what the claims need (misuse).
 */
export async function signVcJwt(credential: object, options: SignVcJwtOptions): Promise<string> {
  const body = credential as JsonObject;
  const iss = issuerIdOf(body);
  if (!iss) throw new AppError('credential_issuer_missing', 'The credential has no issuer id');
  const validFrom = parseDateTime(validFromOf(body));
  if (!validFrom) throw new AppError('credential_valid_from_invalid', 'The credential needs a validFrom date-time to become nbf');
  const rawUntil = validUntilOf(body);
  const validUntil = rawUntil === undefined ? null : parseDateTime(rawUntil);
  if (rawUntil !== undefined && !validUntil) throw new AppError('credential_valid_until_invalid', 'validUntil is not a date-time');
  if (typeof body.id !== 'string') throw new AppError('credential_id_missing', 'The credential needs an id to become jti');

  const signer = options.issuerKeys.jwsSigner(options.alg);
  const header = { alg: signer.alg, kid: `${iss}#${signer.kid}`, typ: 'JWT' };
  const sub = subjectIdOf(body);
  const payload: JsonObject = {
    ...body,
    iss,
    ...(sub !== undefined ? { sub } : {}),
    jti: body.id,
    nbf: numericDate(validFrom),
    ...(validUntil ? { exp: numericDate(validUntil) } : {}),
  };
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const signature = await signer.sign(Buffer.from(signingInput, 'ascii'));
  return `${signingInput}.${b64url(signature)}`;
}
