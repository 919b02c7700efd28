/**
 * The OB 3.0 test resources of 1EdTech's validator (test/fixtures/ob3/vectors/1edtech-validator, see SOURCE.md).
 * Every file there is in exactly one list below; a file that is in none fails the first test, so nothing is
 * skipped silently.
 *
 * Keys: the validator's files name verification methods `https://<issuer>#<Ed25519 Multikey>` and the validator
 * takes the key from the fragment. Those URLs cannot be fetched offline, so the test loader below applies the same
 * convention, for tests only: a production verifier must not trust a key because a URL fragment names it.
 * did:key is resolved offline by resolveDidKey().
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createDocumentLoader } from '../../../../src/credentials/contexts/document-loader';
import { DID_CONTEXT_V1, MULTIKEY_CONTEXT_V1, didUrlResolver, resolveDidKey } from '../../../../src/credentials/keys';
import { ed25519PublicKeyFromMultibase } from '../../../../src/credentials/keys/multibase';
import { verifyCredential, type CheckName } from '../../../../src/credentials/proof';

const DIR = path.resolve(__dirname, '../../../fixtures/ob3/vectors/1edtech-validator');
const NOW = new Date('2026-01-01T00:00:00Z');

/** VCDM 2.0 + eddsa-rdfc-2022, keys resolvable offline: valid, so they verify. */
const VALID = [
  'complete.json', // with status (1EdTechRevocationList, answered "not revoked" here), refresh service, schema
  'endorsement-valid.json',
  'simple.json',
  'simple-context-alias.json',
  'simple-context-version.json', // OB context 3.0.2
  'simple-did-web-method.json',
  'simple-multiple-proofs.json', // an unknown proof type next to an eddsa-rdfc-2022 one: any one proof suffices
];

/** The validator's negative cases (and two more), with the check that must fail. */
const INVALID: Record<string, CheckName> = {
  'simple-err-context.json': 'proof', // no VC context
  'simple-err-issuer.json': 'proof', // no issuer
  'simple-err-expired.json': 'expiry',
  'simple-err-issued.json': 'notYetValid', // validFrom in 2040
  'simple-err-proof-value.json': 'signature',
  'simple-err-proof-method.json': 'issuerKey', // fragment is not a valid Multikey
  'simple-err-proof-method-no-scheme.json': 'issuerKey',
  'simple-err-proof-method-unknown-did-method.json': 'issuerKey',
  'simple-err-proof-method-unknown-scheme.json': 'issuerKey',
  // the *-type cases use types or properties no context defines: the JSON-LD safe mode of the signature check fails
  'simple-err-type.json': 'signature',
  'simple-err-credential-subject-type.json': 'signature',
  'simple-err-credential-subject-profile-type.json': 'signature',
  'simple-err-credential-subject-identifier-type.json': 'signature',
  'simple-err-credential-subject-result-type.json': 'signature',
  'simple-err-credential-subject-achievement-result-description-type.json': 'signature',
  'simple-err-evidence-type.json': 'signature',
  'simple-err-issuer-type.json': 'signature',
  'simple-err-issuer-otheridentifier-type.json': 'signature',
  'simple-err-issuer-parentorg-type.json': 'signature',
  // Valid for the validator, refused by us on purpose: the proof's verificationMethod is a bare did:key (a DID,
  // not a verification method URL) and the issuer (urn:uuid) is not the key's controller, so nothing binds the key
  // to the issuer.
  'simple-did-key-method.json': 'issuerKey',
};

/**
 * Proof formats this tool does not verify (VCDM 1.1 with Ed25519Signature2020 or the legacy eddsa-2022 suite),
 * or no proof at all: reported as verified false with a failing `proof` check.
 */
const UNSUPPORTED_PROOF = [
  'complete_v1.json',
  'simple_v1.json',
  'credential-status-revoked.json',
  'endorsement-err-schema-status-refresh.json',
  'simple-eddsa-2022.json',
  'simple-noproof.json',
];

/**
 * RS256 VC-JWTs whose keys are not resolvable offline: simple.jwt has neither kid nor jwk (VCDM 1.1, `vc` claim),
 * velocity.jwt names a did:velocity key (a blockchain DID). Their signatures cannot be checked here; the test pins
 * that they parse as VC-JWTs and fail on the issuer key, not on anything else.
 */
const JWT_KEY_UNRESOLVABLE = ['simple.jwt', 'velocity.jwt'];

const MULTIKEY_FRAGMENT = /^(https?:\/\/[^#]+)#(z6Mk[1-9A-HJ-NP-Za-km-z]+)$/;

/** Test-only loader: `https://…#z6Mk…` methods as the validator reads them, did:key offline. */
function loaderFor(credential: any) {
  const extra = new Map<string, unknown>();
  const proofs = Array.isArray(credential?.proof) ? credential.proof : [credential?.proof];
  for (const proof of proofs) {
    const match = MULTIKEY_FRAGMENT.exec(proof?.verificationMethod ?? '');
    if (!match || !ed25519PublicKeyFromMultibase(match[2]!)) continue;
    const [vm, controller, multibase] = match as unknown as [string, string, string];
    const context = [DID_CONTEXT_V1, MULTIKEY_CONTEXT_V1];
    extra.set(vm, { '@context': context, id: vm, type: 'Multikey', controller, publicKeyMultibase: multibase });
    extra.set(controller, { '@context': context, id: controller, assertionMethod: [vm] });
  }
  return createDocumentLoader({ extra, resolveDid: didUrlResolver(async (did) => resolveDidKey(did)) });
}

const readVector = (file: string) => readFileSync(path.join(DIR, file), 'utf8');
const notRevoked = async () => ({ revoked: false, suspended: false });

describe('1EdTech validator test resources', () => {
  it('every copied file is covered by exactly one list', () => {
    const listed = [...VALID, ...Object.keys(INVALID), ...UNSUPPORTED_PROOF, ...JWT_KEY_UNRESOLVABLE];
    assert.equal(new Set(listed).size, listed.length, 'a file is in two lists');
    assert.deepEqual(
      [...listed].sort(),
      readdirSync(DIR)
        .filter((f) => f !== 'SOURCE.md')
        .sort(),
    );
  });

  for (const file of VALID) {
    it(`${file} verifies`, async () => {
      const credential = JSON.parse(readVector(file));
      const result = await verifyCredential(credential, { documentLoader: loaderFor(credential), now: NOW, checkStatus: notRevoked });
      assert.equal(result.verified, true, JSON.stringify(result.checks.filter((c) => !c.ok)));
    });
  }

  for (const [file, check] of Object.entries(INVALID)) {
    it(`${file} fails (${check})`, async () => {
      const credential = JSON.parse(readVector(file));
      const result = await verifyCredential(credential, { documentLoader: loaderFor(credential), now: NOW, checkStatus: notRevoked });
      assert.equal(result.verified, false);
      const failedChecks = result.checks.filter((c) => !c.ok).map((c) => c.check);
      assert.ok(failedChecks.includes(check), JSON.stringify(result.checks));
    });
  }

  for (const file of UNSUPPORTED_PROOF) {
    it(`${file} is reported as an unsupported proof`, async () => {
      const credential = JSON.parse(readVector(file));
      const result = await verifyCredential(credential, { documentLoader: loaderFor(credential), now: NOW, checkStatus: notRevoked });
      assert.equal(result.verified, false);
      assert.deepEqual(
        result.checks.map((c) => [c.check, c.ok]),
        [['proof', false]],
      );
    });
  }

  for (const file of JWT_KEY_UNRESOLVABLE) {
    it(`${file} parses as a VC-JWT and fails only for want of a resolvable key`, async () => {
      const result = await verifyCredential(readVector(file), { documentLoader: loaderFor(null), now: NOW, checkStatus: notRevoked });
      assert.equal(result.format, 'vc-jwt');
      assert.equal(result.verified, false);
      const byName = Object.fromEntries(result.checks.map((c) => [c.check, c.ok]));
      assert.equal(byName.proof, true);
      assert.equal(byName.issuerKey, false);
      assert.equal(byName.signature, false);
      assert.equal(typeof (result.credential as any)?.credentialSubject, 'object', 'the credential is extracted');
    });
  }

  it('simple.jwt’s registered claims agree with its credential under our claim rules', async () => {
    const result = await verifyCredential(readVector('simple.jwt'), { documentLoader: loaderFor(null), now: NOW });
    assert.equal(result.checks.find((c) => c.check === 'jwtClaims')?.ok, true);
  });
});
