import assert from 'node:assert/strict';
import encodeChunks from 'png-chunks-encode';
import extractChunks from 'png-chunks-extract';
import { parseBadgeDefinition } from '../../../../src/badges/definition';
import { credentialToText, type BakeableCredential } from '../../../../src/credentials/bake/credential-text';
import { bakePng, PngBaker, PNG_CREDENTIAL_KEYWORD, unbakePng } from '../../../../src/credentials/bake/png';
import { encodeITXt, textChunkKeyword } from '../../../../src/credentials/bake/png-text-chunk';
import { AppError } from '../../../../src/errors';
import { badgePng } from '../../../../src/issuance/badge-image';
import { INSTITUTION } from '../../../support/award';
import { badgeDefinitionInput } from '../../../support/builders';
import { realisticCredential } from './sample-credentials';

/** The baker as it was written first: every chunk re-encoded by png-chunks-encode (CRC in JavaScript). */
function referenceBake(png: Buffer, credential: BakeableCredential): Buffer {
  const chunks = extractChunks(png).filter((c) => textChunkKeyword(c) !== PNG_CREDENTIAL_KEYWORD);
  chunks.splice(
    chunks.findIndex((c) => c.name === 'IEND'),
    0,
    { name: 'iTXt', data: encodeITXt(PNG_CREDENTIAL_KEYWORD, credentialToText(credential)) },
  );
  return Buffer.from(encodeChunks(chunks));
}

describe('PngBaker and bakePng', () => {
  const parsed = parseBadgeDefinition(badgeDefinitionInput());
  if (!parsed.ok) throw new Error('definition');
  const png = badgePng('png-baker-test@1', parsed.definition, INSTITUTION);
  const credential = {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: 'https://x.example/credentials/1',
    name: 'Akadēmiskā rakstīšana',
    proof: [{ type: 'DataIntegrityProof' }],
  };
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln';

  it('bake byte-for-byte what the png-chunks-encode baker baked (JSON, JWT, JSON text), many times over one parse', () => {
    const baker = new PngBaker(png);
    for (let i = 0; i < 3; i++) {
      const c = { ...credential, id: `${credential.id}${i}` };
      const expected = referenceBake(png, c);
      assert.ok(baker.bake(c).equals(expected));
      assert.ok(bakePng(png, c).equals(expected));
    }
    for (const c of [jwt, ` ${JSON.stringify(credential)}\n`, realisticCredential()]) {
      assert.ok(baker.bake(c).equals(referenceBake(png, c)));
      assert.ok(bakePng(png, c).equals(referenceBake(png, c)));
    }
    assert.deepEqual(unbakePng(baker.bake(credential)), { found: true, credential });
  });

  it('replace a credential already baked into the picture', () => {
    const already = bakePng(png, { ...credential, id: 'old' });
    const baker = new PngBaker(already);
    assert.ok(baker.bake(credential).equals(referenceBake(already, credential)));
    assert.ok(bakePng(already, credential).equals(referenceBake(already, credential)));
    const unbaked = unbakePng(baker.bake(credential));
    assert.ok(unbaked.found && typeof unbaked.credential === 'object' && unbaked.credential.id === credential.id);
  });

  it('refuse what is not a PNG (PNG_INVALID); bakePng checks the credential first, as before', () => {
    const notPng = Buffer.from('GIF89a not a png at all');
    assert.throws(
      () => new PngBaker(notPng),
      (err: unknown) => err instanceof AppError && err.code === 'PNG_INVALID' && /not a PNG/.test(err.message),
    );
    assert.throws(
      () => bakePng(notPng, 'not a credential'),
      (err: unknown) => err instanceof AppError && err.code === 'BAKE_CREDENTIAL_INVALID',
    );
  });
});
