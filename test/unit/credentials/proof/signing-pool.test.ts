import assert from 'node:assert/strict';
import { buildAchievementCredential } from '../../../../src/credentials/build/build-credential';
import { createDocumentLoader } from '../../../../src/credentials/contexts/document-loader';
import { euExtensionContextDocuments } from '../../../../src/credentials/eu-extension/context';
import { signDataIntegrity, verifyCredential } from '../../../../src/credentials/proof';
import { DataIntegritySigningPool } from '../../../../src/credentials/proof/signing-pool';
import { BASE_URL, fullInput, minimalInput } from '../build/fixtures';
import { ephemeralIssuer } from './issuer-fixture';

describe('Data Integrity signing threads', () => {
  let issuer: Awaited<ReturnType<typeof ephemeralIssuer>>;
  let pool: DataIntegritySigningPool;
  const eu = createDocumentLoader({ extra: euExtensionContextDocuments(BASE_URL) });
  const loader = async (url: string) => (url.startsWith('did:') ? issuer.documentLoader(url) : eu(url));
  const credential = (input = fullInput()) => {
    const built = buildAchievementCredential(input);
    return { ...built, issuer: { ...(built.issuer as object), id: issuer.did } };
  };
  const now = new Date('2026-11-28T10:00:00Z');
  /** Proof, issuer key and signature checks pass (status lists are not served in this test). */
  const proofVerifies = async (signed: object) => {
    const result = await verifyCredential(signed as Record<string, unknown>, { documentLoader: loader, now });
    const failed = result.checks.filter((c) => !c.ok && c.check !== 'status');
    assert.deepEqual(failed, []);
    assert.ok(result.checks.some((c) => c.check === 'signature' && c.ok));
  };

  before(async () => {
    issuer = await ephemeralIssuer();
    pool = new DataIntegritySigningPool({ threads: 2, documents: euExtensionContextDocuments(BASE_URL) });
  });
  after(() => pool.close());

  it('signs exactly what signing on this thread gives (Ed25519 is deterministic), and it verifies', async () => {
    const unsigned = credential();
    const threaded = await pool.sign(unsigned, { issuerKeys: issuer.keys, now });
    const here = await signDataIntegrity(unsigned, { issuerKeys: issuer.keys, documentLoader: loader, now });
    assert.deepEqual(threaded, here);
    await proofVerifies(threaded);
  });

  it('signs many at once on both threads; each one verifies', async () => {
    const inputs = Array.from({ length: 8 }, (_, i) => credential(i % 2 ? fullInput() : minimalInput()));
    const signed = await Promise.all(inputs.map((c) => pool.sign(c, { issuerKeys: issuer.keys, now })));
    for (const s of signed) await proofVerifies(s);
  });

  it('a credential that cannot be signed fails with a clear error; the threads go on signing', async () => {
    const broken = { ...credential(), '@context': [...(credential()['@context'] as string[]), 'https://unknown.example/context.json'] };
    await assert.rejects(pool.sign(broken, { issuerKeys: issuer.keys, now }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'credential_sign_failed');
      assert.match(err.message, /unknown\.example/);
      return true;
    });
    const ok = await pool.sign(credential(), { issuerKeys: issuer.keys, now });
    await proofVerifies(ok);
  });

  it('a credential that is not plain data is refused for itself alone; the pool goes on and can close', async () => {
    const odd = { ...credential(), credentialSubject: { ...credential().credentialSubject, toString: () => 'x' } };
    await assert.rejects(pool.sign(odd, { issuerKeys: issuer.keys, now }), { code: 'credential_sign_failed' });
    await proofVerifies(await pool.sign(credential(), { issuerKeys: issuer.keys, now }));
  });

  it('a credential without an issuer id is refused before any thread is asked', async () => {
    const { issuer: _issuer, ...noIssuer } = credential();
    assert.throws(() => pool.sign(noIssuer, { issuerKeys: issuer.keys, now }), { code: 'credential_issuer_missing' });
  });

  it('after close() it refuses to sign', async () => {
    const closed = new DataIntegritySigningPool({ threads: 1, documents: euExtensionContextDocuments(BASE_URL) });
    await closed.close();
    await assert.rejects(closed.sign(credential(), { issuerKeys: issuer.keys, now }), { code: 'credential_sign_failed' });
  });
});
