import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createDocumentLoader } from '../../../../src/credentials/contexts/document-loader';
import { DID_CONTEXT_V1, MULTIKEY_CONTEXT_V1 } from '../../../../src/credentials/keys';
import { ed25519PublicKeyMultibase } from '../../../../src/credentials/keys/multibase';
import { verifyCredential } from '../../../../src/credentials/proof';
import { eddsaRdfc2022 } from '../../../../src/credentials/proof/libs';

const DIR = path.resolve(__dirname, '../../../fixtures/ob3/vectors/impl-guide');
const read = (name: string) => readFileSync(path.join(DIR, name), 'utf8');

describe('the official OB 3.0 eddsa-rdfc-2022 test vector (Implementation Guide)', () => {
  const vector = JSON.parse(read('ob-eddsa-rdfc-2022-signed.json'));
  const key = JSON.parse(read('ob-eddsa-rdfc-2022-key.json'));
  // The vector's verification method is an https URL; its controller document and Multikey are built from the
  // published key file and served by the loader (offline), as the issuer's server would serve them.
  const documentLoader = createDocumentLoader({
    extra: new Map<string, unknown>([
      [
        key.verificationMethod,
        {
          '@context': [DID_CONTEXT_V1, MULTIKEY_CONTEXT_V1],
          id: key.verificationMethod,
          type: 'Multikey',
          controller: key.controller,
          publicKeyMultibase: key.publicKeyMultibase,
        },
      ],
      [key.controller, { '@context': [DID_CONTEXT_V1, MULTIKEY_CONTEXT_V1], id: key.controller, assertionMethod: [key.verificationMethod] }],
    ]),
  });

  it('its key file is self-consistent: the hex key encodes to the given Multikey', () => {
    assert.equal(ed25519PublicKeyMultibase(Buffer.from(key.publicKeyHex, 'hex')), key.publicKeyMultibase);
  });

  it('verifies with our verifier', async () => {
    const result = await verifyCredential(vector, { documentLoader, now: new Date('2026-01-01T00:00:00Z') });
    assert.equal(result.verified, true, JSON.stringify(result.checks, null, 2));
    assert.equal(result.format, 'data-integrity');
  });

  it('canonicalises (RDFC-1.0) the document to document-canon.txt and the proof options to proof-canon.txt', async () => {
    const { proof, ...document } = vector;
    assert.equal(await eddsaRdfc2022.canonize(document, { documentLoader }), read('document-canon.txt'));
    // the proof options: the proof without proofValue, under the document's @context (VC DI EdDSA §3.3.1)
    const { proofValue: _signature, ...proofOptions } = proof;
    assert.equal(await eddsaRdfc2022.canonize({ '@context': vector['@context'], ...proofOptions }, { documentLoader }), read('proof-canon.txt'));
  });

  it('fails once a byte of its content changes', async () => {
    const tampered = structuredClone(vector);
    tampered.credentialSubject.achievement.name = 'Teamwork!';
    const result = await verifyCredential(tampered, { documentLoader, now: new Date('2026-01-01T00:00:00Z') });
    assert.equal(result.verified, false);
    assert.equal(result.checks.find((c) => c.check === 'signature')?.ok, false);
  });
});
