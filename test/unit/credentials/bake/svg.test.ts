import assert from 'node:assert/strict';
import { bakeSvg, OB3_SVG_NAMESPACE, unbakeSvg } from '../../../../src/credentials/bake/svg';
import { renderBadgeSvg } from '../../../../src/credentials/images/render-template';
import { svgToPng } from '../../../../src/credentials/images/svg-to-png';
import { AppError } from '../../../../src/errors';
import { bakedSample, expectedContent, SAMPLES } from './fixtures';
import { realisticCredential, realisticJwt } from './sample-credentials';

const badge = renderBadgeSvg('shield', { name: 'Mākslīgā intelekta pamati', institution: 'Latvijas Universitāte', level: 'EQF 5 · 6 ECTS' });
const JWS = 'eyJhbGciOiJFZERTQSJ9.eyJpZCI6MX0.c2ln';
const isCode = (code: string) => (err: unknown) => err instanceof AppError && err.code === code;
const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;
const CREDENTIAL_ELEMENT = /<openbadges:credential[\s>]/g;

describe('bakeSvg / unbakeSvg', () => {
  it('round-trips a realistic ~10 KB Latvian credential exactly, as JSON in CDATA', () => {
    const credential = realisticCredential();
    const baked = bakeSvg(badge, credential);
    assert.match(baked, /<openbadges:credential><!\[CDATA\[\{/);
    assert.deepEqual(unbakeSvg(baked), { found: true, credential });
  });

  it('round-trips a VC-JWT in the verify attribute as the identical string', async () => {
    const jwt = await realisticJwt();
    const baked = bakeSvg(badge, jwt);
    assert.ok(baked.includes(`<openbadges:credential verify="${jwt}"></openbadges:credential>`));
    assert.deepEqual(unbakeSvg(baked), { found: true, credential: jwt });
  });

  it('declares the namespace once on the root and puts the credential first inside it', () => {
    const baked = bakeSvg(badge, JWS);
    const root = /<svg\b[^>]*>/.exec(baked)!;
    assert.equal(count(root[0], /xmlns:openbadges=/g), 1);
    assert.ok(root[0].includes(`xmlns:openbadges="${OB3_SVG_NAMESPACE}"`));
    assert.ok(baked.slice(root.index + root[0].length).startsWith('<openbadges:credential '));
    // Nothing else changed.
    const restored = baked.replace(/<openbadges:credential[^>]*><\/openbadges:credential>/, '').replace(` xmlns:openbadges="${OB3_SVG_NAMESPACE}"`, '');
    assert.equal(restored, badge);
  });

  it('replaces an earlier credential on re-baking: exactly one element', async () => {
    const jwt = await realisticJwt();
    const first = bakeSvg(badge, realisticCredential());
    const second = bakeSvg(first, jwt);
    const third = bakeSvg(second, realisticCredential());
    assert.equal(count(second, CREDENTIAL_ELEMENT), 1);
    assert.equal(count(third, CREDENTIAL_ELEMENT), 1);
    assert.equal(count(third, /xmlns:openbadges=/g), 1);
    assert.deepEqual(unbakeSvg(second), { found: true, credential: jwt });
    assert.equal(third, first, 're-baking the same credential gives the same document');
  });

  it('survives "]]>" and a closing tag inside the JSON', () => {
    const credential = { ...realisticCredential(), description: 'a ]]> b ]]]]> c </openbadges:credential> <![CDATA[ d' };
    const baked = bakeSvg(badge, credential);
    assert.deepEqual(unbakeSvg(baked), { found: true, credential });
    svgToPng(baked, { width: 32 }); // a strict XML parser (resvg's) accepts the split CDATA
    const rebaked = bakeSvg(baked, JWS);
    assert.equal(count(rebaked, CREDENTIAL_ELEMENT), 1);
    assert.doesNotMatch(rebaked, /\]\]>/);
    assert.deepEqual(unbakeSvg(rebaked), { found: true, credential: JWS });
  });

  it('keeps characters XML cannot carry raw as JSON escapes', () => {
    const credential = { name: 'x\uFFFFy\uD800z' };
    const baked = bakeSvg(badge, credential);
    assert.ok(!/[\uFFFF\uD800]/.test(baked));
    assert.deepEqual(unbakeSvg(baked), { found: true, credential });
  });

  it('finds the root behind an XML declaration, comments, a DOCTYPE with an internal subset and a BOM', () => {
    const svg =
      '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- <svg> in a comment -->\n' +
      '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [ <!ENTITY x "<svg>"> ]>\n' +
      '<?xml-stylesheet href="a.css"?>\n<svg xmlns="http://www.w3.org/2000/svg" data-x="a>b"><!-- <openbadges:credential> --><rect/></svg>\n<!-- trailer -->';
    const baked = bakeSvg(svg, JWS);
    assert.ok(baked.includes(`<svg xmlns:openbadges="${OB3_SVG_NAMESPACE}" xmlns="http://www.w3.org/2000/svg" data-x="a>b"><openbadges:credential verify=`));
    assert.ok(baked.endsWith('</svg>\n<!-- trailer -->'));
    assert.deepEqual(unbakeSvg(baked), { found: true, credential: JWS });
  });

  it('bakes a self-closing root', () => {
    const baked = bakeSvg('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" />', JWS);
    assert.equal(
      baked,
      `<svg xmlns:openbadges="${OB3_SVG_NAMESPACE}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><openbadges:credential verify="${JWS}"></openbadges:credential></svg>`,
    );
  });

  it('replaces credential elements under another prefix, and repoints an Open Badges 2.0 namespace', () => {
    const other = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:ob="${OB3_SVG_NAMESPACE}"><ob:credential verify="${JWS}"/><g/></svg>`;
    assert.deepEqual(unbakeSvg(other), { found: true, credential: JWS });
    const baked = bakeSvg(other, { id: 'urn:uuid:2' });
    assert.doesNotMatch(baked, /<ob:credential/);
    assert.deepEqual(unbakeSvg(baked), { found: true, credential: { id: 'urn:uuid:2' } });

    const ob2 = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges=\'http://openbadges.org\'><g/></svg>';
    const rebaked = bakeSvg(ob2, JWS);
    assert.ok(rebaked.startsWith(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="${OB3_SVG_NAMESPACE}">`));
  });

  it('reads JSON given as escaped text instead of CDATA, and entities in verify', () => {
    const text = `<svg xmlns:openbadges="${OB3_SVG_NAMESPACE}"><openbadges:credential>\n  {&quot;name&quot;: &quot;A &amp; B&quot;}\n</openbadges:credential></svg>`;
    assert.deepEqual(unbakeSvg(text), { found: true, credential: { name: 'A & B' } });
    const attr = `<svg><openbadges:credential verify="&#101;yJ.e30.c2ln"/></svg>`;
    assert.deepEqual(unbakeSvg(attr), { found: true, credential: 'eyJ.e30.c2ln' });
  });

  for (const { file, expected } of SAMPLES) {
    it(`reads the 1EdTech sample ${file}.svg, and re-bakes it with one element`, () => {
      const svg = bakedSample(`${file}.svg`).toString('utf8');
      assert.deepEqual(unbakeSvg(svg), { found: true, credential: expectedContent(`${file}.svg.expected.${expected}`) });
      const rebaked = bakeSvg(svg, realisticCredential());
      assert.equal(count(rebaked, CREDENTIAL_ELEMENT), 1);
      assert.equal(count(rebaked, /xmlns:openbadges=/g), 1);
      assert.deepEqual(unbakeSvg(rebaked), { found: true, credential: realisticCredential() });
    });
  }

  it('baked SVGs remain valid documents that still render', async () => {
    for (const credential of [realisticCredential(), await realisticJwt()]) {
      const png = svgToPng(bakeSvg(badge, credential), { width: 64 });
      assert.equal(png.readUInt32BE(16), 64);
    }
  });

  it('says found:false for an SVG without a credential or with something else in it', () => {
    const none = unbakeSvg(badge);
    assert.ok(!none.found && /openbadges:credential/.test(none.reason));
    assert.equal(unbakeSvg('<svg xmlns="http://www.w3.org/2000/svg"/>').found, false);
    assert.equal(unbakeSvg('<svg><openbadges:credential>https://example.org/assertion</openbadges:credential></svg>').found, false);
    assert.equal(unbakeSvg('<svg><openbadges:credential><![CDATA[{"broken"]]></openbadges:credential></svg>').found, false);
  });

  it('throws SVG_INVALID for documents that are not SVG', () => {
    for (const input of [
      '',
      'hello',
      '<html><body/></html>',
      '<?xml version="1.0"?><!-- unterminated',
      '<svg unterminated="',
      bakedSample('simple-json.png').toString('latin1'),
    ]) {
      assert.throws(() => unbakeSvg(input), isCode('SVG_INVALID'));
      assert.throws(() => bakeSvg(input, JWS), isCode('SVG_INVALID'));
    }
  });
});
