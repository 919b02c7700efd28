import { isObject, issuerIdOf } from './credential-fields';
import { resolveAssertionMethod, statusCheck, validityChecks } from './common-checks';
import { DataIntegrityProof, eddsaRdfc2022, vc, type JsonObject } from './libs';
import { withStaticContexts } from './static-contexts';
import { errorMessage, fail, pass, type VerificationCheck, type VerificationResult, type VerifyOptions } from './verification-result';

// a suite without a signer holds no per-call state, so one serves every verification
let verifySuite: InstanceType<typeof DataIntegrityProof> | undefined;

/** Verifies a credential secured with an embedded eddsa-rdfc-2022 DataIntegrityProof. Never throws. */
export async function verifyDataIntegrity(credential: JsonObject, options: VerifyOptions): Promise<VerificationResult> {
  const checks: VerificationCheck[] = [];
  const done = (): VerificationResult => ({
    verified: checks.length > 0 && checks.every((c) => c.ok),
    format: 'data-integrity',
    credential,
    checks,
  });

  const proofs = (Array.isArray(credential.proof) ? credential.proof : [credential.proof]).filter(isObject);
  // OB 3.0 §9.1: with several proofs, any one supported proof may be verified
  const proof = proofs.find((p) => p.type === 'DataIntegrityProof' && p.cryptosuite === eddsaRdfc2022.name && p.proofPurpose === 'assertionMethod');
  if (!proof) {
    checks.push(fail('proof', 'No DataIntegrityProof with cryptosuite eddsa-rdfc-2022 and proofPurpose assertionMethod'));
    return done();
  }
  try {
    // structure only (context, type, issuer, subject, date formats): dates against `now` get their own checks
    vc._checkCredential({ credential, mode: 'verify', maxClockSkew: Number.POSITIVE_INFINITY });
    checks.push(pass('proof', 'A well-formed credential with an eddsa-rdfc-2022 DataIntegrityProof'));
  } catch (err) {
    checks.push(fail('proof', `Not a well-formed credential: ${errorMessage(err)}`));
    return done();
  }

  const { check: keyCheck } = await resolveAssertionMethod(proof.verificationMethod, issuerIdOf(credential), options.documentLoader);
  checks.push(keyCheck);
  if (!keyCheck.ok) {
    checks.push(fail('signature', 'Not checked: the signing key is not an assertion method of the issuer'));
  } else {
    verifySuite ??= new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });
    try {
      const result = await vc.verifyCredential({
        credential,
        suite: verifySuite,
        documentLoader: withStaticContexts(options.documentLoader),
        // dates and status are reported by their own checks below
        maxClockSkew: Number.POSITIVE_INFINITY,
        checkStatus: async () => ({ verified: true }),
      });
      checks.push(
        result.verified
          ? pass('signature', 'The eddsa-rdfc-2022 signature is valid')
          : fail('signature', `Invalid proof: ${errorMessage(result.error ?? result.results?.find((r) => r.error)?.error)}`),
      );
    } catch (err) {
      checks.push(fail('signature', `The proof could not be verified: ${errorMessage(err)}`));
    }
  }

  checks.push(...validityChecks(credential, options));
  checks.push(await statusCheck(credential, options));
  return done();
}
