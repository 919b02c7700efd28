import assert from 'node:assert/strict';
import { parseBadgeDefinition } from '../../../src/badges/definition';
import { bakePng, unbakePng } from '../../../src/credentials/bake/png';
import { PngBaker } from '../../../src/export/png-baker';
import { badgePng } from '../../../src/issuance/badge-image';
import { INSTITUTION } from '../../support/award';
import { badgeDefinitionInput } from '../../support/builders';

describe('PngBaker', () => {
  const parsed = parseBadgeDefinition(badgeDefinitionInput());
  if (!parsed.ok) throw new Error('definition');
  const png = badgePng('png-baker-test@1', parsed.definition, INSTITUTION);
  const credential = { '@context': ['https://www.w3.org/ns/credentials/v2'], id: 'https://x.example/credentials/1', name: 'Akadēmiskā rakstīšana', proof: [{ type: 'DataIntegrityProof' }] };
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln';

  it('bakes byte-for-byte what bakePng bakes (JSON and JWT), many times over one parse', () => {
    const baker = new PngBaker(png);
    for (let i = 0; i < 3; i++) {
      const c = { ...credential, id: `${credential.id}${i}` };
      assert.ok(baker.bake(c).equals(bakePng(png, c)));
    }
    assert.ok(baker.bake(jwt).equals(bakePng(png, jwt)));
    assert.deepEqual(unbakePng(baker.bake(credential)), { found: true, credential });
  });

  it('replaces a credential already baked into the picture, as bakePng does', () => {
    const already = bakePng(png, { ...credential, id: 'old' });
    const baker = new PngBaker(already);
    assert.ok(baker.bake(credential).equals(bakePng(already, credential)));
    const unbaked = unbakePng(baker.bake(credential));
    assert.ok(unbaked.found && typeof unbaked.credential === "object" && unbaked.credential.id === credential.id);
  });

  it('refuses what is not a PNG', () => {
    assert.throws(() => new PngBaker(Buffer.from('GIF89a not a png at all')), /not a PNG/);
  });
});
