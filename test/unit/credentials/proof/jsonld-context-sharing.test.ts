import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildAchievementCredential } from '../../../../src/credentials/build/build-credential';
import { createDocumentLoader } from '../../../../src/credentials/contexts/document-loader';
import { euExtensionContextDocuments } from '../../../../src/credentials/eu-extension/context';
import { signDataIntegrity } from '../../../../src/credentials/proof';
import { allowContextSharing, checkContextSharing, contextSharingEnabled, setContextSharing } from '../../../../src/credentials/proof/jsonld-context-sharing';
import { eddsaRdfc2022 } from '../../../../src/credentials/proof/libs';
import { BASE_URL, fullInput, minimalInput } from '../build/fixtures';
import { ephemeralIssuer } from './issuer-fixture';

const FIXTURES = path.resolve(__dirname, '../../../fixtures/ob3');
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
const withoutProof = ({ proof: _proof, ...doc }: Record<string, unknown>) => doc;

describe('jsonld context sharing (faster canonicalisation, same output)', () => {
  // contexts not marked static: jsonld keeps no processed contexts between runs, so each run builds all of them
  const documentLoader = createDocumentLoader({ extra: euExtensionContextDocuments(BASE_URL) });
  const canonize = (doc: object) => eddsaRdfc2022.canonize(doc, { documentLoader });
  let wasOn: boolean;
  before(() => {
    wasOn = contextSharingEnabled();
  });
  after(() => {
    setContextSharing(wasOn);
  });

  const samples: Array<[string, () => Record<string, unknown>]> = [
    ['the product credential, every field', () => buildAchievementCredential(fullInput()) as unknown as Record<string, unknown>],
    ['the product credential, minimal', () => buildAchievementCredential(minimalInput()) as unknown as Record<string, unknown>],
    ['the Implementation Guide test vector', () => withoutProof(readJson(path.join(FIXTURES, 'vectors/impl-guide/ob-eddsa-rdfc-2022-signed.json')))],
    ...readdirSync(path.join(FIXTURES, 'examples'))
      .filter((f) => f.endsWith('.json'))
      .map((f): [string, () => Record<string, unknown>] => [`the OB 3.0 example ${f}`, () => withoutProof(readJson(path.join(FIXTURES, 'examples', f)))]),
  ];

  for (const [name, sample] of samples) {
    it(`canonicalises ${name} to the same N-Quads with and without sharing`, async () => {
      setContextSharing(false);
      const stock = await canonize(sample());
      assert.ok(setContextSharing(true), 'this jsonld is the one sharing was made for');
      const shared = await canonize(sample());
      assert.ok(stock.length > 500);
      assert.equal(shared, stock);
    });
  }

  it('the check keeps sharing on for an unchanged canonical form', async () => {
    setContextSharing(false);
    assert.equal(await checkContextSharing(buildAchievementCredential(fullInput()), documentLoader), 'shared');
    assert.equal(contextSharingEnabled(), true);
  });

  it('the check leaves jsonld stock when sharing would change the canonical form', async () => {
    // a canonicaliser whose answer depends on the clone in use stands in for a jsonld whose internals changed
    const differs = async () => (contextSharingEnabled() ? 'shared output' : 'stock output');
    assert.equal(await checkContextSharing({}, documentLoader, differs), 'stock');
    assert.equal(contextSharingEnabled(), false);
  });

  it('a sample that cannot be canonicalised decides nothing', async () => {
    const failing = async () => {
      throw new Error('Document not available offline');
    };
    assert.equal(await checkContextSharing({}, documentLoader, failing), 'unchecked');
    assert.equal(contextSharingEnabled(), false);
  });

  it('signing turns sharing on and signs the same proof as stock jsonld', async () => {
    setContextSharing(false);
    const issuer = await ephemeralIssuer();
    const loader = async (url: string) => (url.startsWith('did:') ? issuer.documentLoader(url) : documentLoader(url));
    const built = buildAchievementCredential(fullInput());
    const unsigned = { ...built, issuer: { ...(built.issuer as object), id: issuer.did } };
    const options = { issuerKeys: issuer.keys, documentLoader: loader, now: new Date('2026-11-28T10:00:00Z') };
    const signed = await signDataIntegrity(unsigned, options);
    assert.equal(contextSharingEnabled(), true);
    allowContextSharing(false);
    const stockAgain = await signDataIntegrity(unsigned, options);
    allowContextSharing(true);
    // Ed25519 is deterministic: the same bytes signed give the same proof value
    assert.deepEqual(signed.proof, stockAgain.proof);
  });
});
