import { isObject } from './credential-fields';
import type { JsonObject } from './libs';
import { verifyDataIntegrity } from './verify-data-integrity';
import { verifyVcJwt } from './verify-vc-jwt';
import { errorMessage, fail, type VerificationResult, type VerifyOptions } from './verification-result';

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Verifies an OB 3.0 credential: a compact JWS string is a VC-JWT; an object (or a JSON string of one) is checked
 * for an embedded eddsa-rdfc-2022 proof. Checks: proof (format), issuerKey, signature, jwtClaims (VC-JWT),
 * notYetValid, expiry, status. Never throws: malformed input gives `verified: false` with a check saying why.
 */
export async function verifyCredential(input: object | string, options: VerifyOptions): Promise<VerificationResult> {
  try {
    if (typeof input === 'string') {
      const text = input.trim();
      if (COMPACT_JWS.test(text)) return await verifyVcJwt(text, options);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return { verified: false, format: 'vc-jwt', checks: [fail('proof', 'Neither a compact JWS nor a JSON credential')] };
      }
      return await verifyObject(parsed, options);
    }
    return await verifyObject(input, options);
  } catch (err) {
    // the format verifiers catch what they expect; this is the last line for the unexpected
    return {
      verified: false,
      format: typeof input === 'string' ? 'vc-jwt' : 'data-integrity',
      checks: [fail('proof', `Verification failed: ${errorMessage(err)}`)],
    };
  }
}

async function verifyObject(value: unknown, options: VerifyOptions): Promise<VerificationResult> {
  if (!isObject(value)) {
    return { verified: false, format: 'data-integrity', checks: [fail('proof', 'The credential is not a JSON object')] };
  }
  return verifyDataIntegrity(value as JsonObject, options);
}
