import { compactVerify, decodeProtectedHeader, importJWK, type JWK, type ProtectedHeaderParameters } from 'jose';
import { isObject, issuerIdOf, legacySubjectRefOf, numericDate, parseDateTime, subjectIdOf, validFromOf, validUntilOf } from './credential-fields';
import { resolveAssertionMethod, statusCheck, validityChecks } from './common-checks';
import type { JsonObject } from './libs';
import { errorMessage, fail, pass, type VerificationCheck, type VerificationResult, type VerifyOptions } from './verification-result';

const ALGORITHMS = new Set(['RS256', 'ES256']);
const REGISTERED_CLAIMS = ['iss', 'sub', 'jti', 'nbf', 'exp', 'iat'] as const;

/**
 * The credential inside a VC-JWT: the `vc` claim when present (VCDM 1.1 style, as in the 1EdTech samples), else the
 * payload without the registered claims (OB 3.0 §8.2.4.1). An `exp` claim sets validUntil when the credential
 * has none (§8.2.6.1).
 */
function credentialOf(payload: JsonObject): JsonObject {
  if (isObject(payload.vc)) return payload.vc;
  const credential = { ...payload };
  for (const claim of REGISTERED_CLAIMS) delete credential[claim];
  if (typeof payload.exp === 'number' && validUntilOf(credential) === undefined) {
    credential.validUntil = new Date(payload.exp * 1000).toISOString().replace('.000Z', 'Z');
  }
  return credential;
}

/** OB 3.0 §8.2.6.1: the registered claims must agree with the credential they wrap. */
function claimsCheck(payload: JsonObject, credential: JsonObject): VerificationCheck {
  const problems: string[] = [];
  const iss = issuerIdOf(credential);
  if (payload.iss !== iss) problems.push(`iss ${JSON.stringify(payload.iss)} is not the issuer ${JSON.stringify(iss)}`);
  if (payload.jti !== credential.id) problems.push(`jti ${JSON.stringify(payload.jti)} is not the credential id ${JSON.stringify(credential.id)}`);
  const sub = subjectIdOf(credential);
  // tokens signed by earlier versions named an id-less subject by its identifier hash; they still verify here
  const legacy = sub === undefined && payload.sub !== undefined && payload.sub === legacySubjectRefOf(credential);
  if (payload.sub !== sub && !legacy) {
    problems.push(
      sub === undefined
        ? `sub ${JSON.stringify(payload.sub)} is given but the credential subject has no id`
        : `sub ${JSON.stringify(payload.sub)} is not credentialSubject.id ${JSON.stringify(sub)}`,
    );
  }
  const from = parseDateTime(validFromOf(credential));
  if (typeof payload.nbf !== 'number') problems.push('nbf is missing');
  else if (!from || payload.nbf !== numericDate(from)) problems.push(`nbf ${payload.nbf} is not validFrom`);
  const rawUntil = validUntilOf(credential);
  if (payload.exp !== undefined || rawUntil !== undefined) {
    const until = parseDateTime(rawUntil);
    if (typeof payload.exp !== 'number' || !until || payload.exp !== numericDate(until)) problems.push(`exp ${String(payload.exp)} is not validUntil`);
  }
  return problems.length ? fail('jwtClaims', problems.join('; ')) : pass('jwtClaims', 'iss, sub, jti, nbf and exp match the credential');
}

/** The public key for the token: from `resolveIssuerKey`, else the `kid` DID URL, which must be an assertion method of the issuer. */
async function resolveKey(
  header: ProtectedHeaderParameters,
  issuer: string | undefined,
  options: VerifyOptions,
): Promise<{ check: VerificationCheck; jwk?: JWK }> {
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  if (options.resolveIssuerKey) {
    try {
      const jwk = await options.resolveIssuerKey({
        alg: header.alg!,
        ...(kid ? { kid } : {}),
        ...(isObject(header.jwk) ? { jwk: header.jwk } : {}),
        ...(issuer ? { issuer } : {}),
      });
      if (jwk) return { check: pass('issuerKey', `Key ${kid ?? '(jwk header)'} vouched for by the issuer key resolver`), jwk: jwk as JWK };
    } catch (err) {
      return { check: fail('issuerKey', `The issuer key resolver failed: ${errorMessage(err)}`) };
    }
  }
  if (!kid) {
    return {
      check: fail('issuerKey', header.jwk ? 'The header jwk is not bound to the issuer (no kid to resolve)' : 'The header names no key (kid)'),
    };
  }
  if (!kid.startsWith('did:')) return { check: fail('issuerKey', `kid ${kid} is not a DID URL and no resolver knows it`) };
  const { check, method } = await resolveAssertionMethod(kid, issuer, options.documentLoader);
  if (!check.ok) return { check };
  if (!isObject(method!.publicKeyJwk)) return { check: fail('issuerKey', `${kid} has no publicKeyJwk`) };
  return { check, jwk: method!.publicKeyJwk as JWK };
}

/** Verifies a compact-JWS VC-JWT. Never throws. */
export async function verifyVcJwt(token: string, options: VerifyOptions): Promise<VerificationResult> {
  const checks: VerificationCheck[] = [];
  // eslint-disable-next-line prefer-const -- done() may run before the payload is parsed, so it is set later
  let credential: JsonObject | undefined;
  const done = (): VerificationResult => ({
    verified: checks.length > 0 && checks.every((c) => c.ok),
    format: 'vc-jwt',
    ...(credential ? { credential } : {}),
    checks,
  });

  let header: ProtectedHeaderParameters;
  let payload: JsonObject;
  try {
    const parts = token.split('.');
    if (parts.length !== 3) throw new Error('a compact JWS has three dot-separated parts');
    header = decodeProtectedHeader(token);
    const parsed: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    if (!isObject(parsed)) throw new Error('the payload is not a JSON object');
    payload = parsed;
  } catch (err) {
    checks.push(fail('proof', `Not a VC-JWT: ${errorMessage(err)}`));
    return done();
  }
  if (!ALGORITHMS.has(String(header.alg))) {
    checks.push(fail('proof', `Unsupported alg ${String(header.alg)}: RS256 or ES256 expected`));
    return done();
  }
  credential = credentialOf(payload);
  checks.push(pass('proof', `A VC-JWT signed with ${header.alg}`));

  const { check: keyCheck, jwk } = await resolveKey(header, issuerIdOf(credential), options);
  checks.push(keyCheck);
  if (!jwk) {
    checks.push(fail('signature', 'Not checked: no trusted key'));
  } else {
    try {
      const key = await importJWK(jwk, header.alg);
      await compactVerify(token, key, { algorithms: [header.alg!] });
      checks.push(pass('signature', `The ${header.alg} signature is valid`));
    } catch (err) {
      checks.push(fail('signature', `Invalid signature: ${errorMessage(err)}`));
    }
  }

  checks.push(claimsCheck(payload, credential));
  checks.push(...validityChecks(credential, options));
  checks.push(await statusCheck(credential, options));
  return done();
}
