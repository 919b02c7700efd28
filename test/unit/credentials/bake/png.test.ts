import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import encodeChunks from 'png-chunks-encode';
import extractChunks from 'png-chunks-extract';
import { Resvg } from '@resvg/resvg-js';
import { bakePng, PNG_CREDENTIAL_KEYWORD, unbakePng } from '../../../../src/credentials/bake/png';
import { renderBadgeSvg } from '../../../../src/credentials/images/render-template';
import { svgToPng } from '../../../../src/credentials/images/svg-to-png';
import { AppError } from '../../../../src/errors';
import { bakedSample, expectedContent, SAMPLES } from './fixtures';
import { realisticCredential, realisticJwt } from './sample-credentials';

const badge = svgToPng(renderBadgeSvg('medal', { name: 'Mākslīgā intelekta pamati', institution: 'Latvijas Universitāte' }), { width: 128 });
const isCode = (code: string) => (err: unknown) => err instanceof AppError && err.code === code;

function chunksOf(png: Buffer) {
  return extractChunks(png).map((c) => ({ name: c.name, data: Buffer.from(c.data) }));
}

function credentialChunks(png: Buffer) {
  return chunksOf(png).filter((c) => ['iTXt', 'tEXt', 'zTXt'].includes(c.name) && c.data.toString('latin1').startsWith(`${PNG_CREDENTIAL_KEYWORD}\0`));
}

/** RGBA pixels as a PNG decoder (resvg's, via an <image>) sees them; empty when it cannot decode. */
function decodedPixels(png: Buffer): Buffer {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><image width="64" height="64" href="data:image/png;base64,${png.toString('base64')}"/></svg>`;
  return new Resvg(svg).render().pixels;
}

function withChunk(png: Buffer, chunk: { name: string; data: Uint8Array }): Buffer {
  const chunks: Array<{ name: string; data: Uint8Array }> = chunksOf(png);
  chunks.splice(chunks.length - 1, 0, chunk);
  return Buffer.from(encodeChunks(chunks));
}

describe('bakePng / unbakePng', () => {
  it('round-trips a realistic ~10 KB Latvian credential exactly', () => {
    const credential = realisticCredential();
    assert.ok(Buffer.byteLength(JSON.stringify(credential)) >= 10_000);
    const baked = bakePng(badge, credential);
    assert.deepEqual(unbakePng(baked), { found: true, credential });
  });

  it('round-trips a VC-JWT as the identical compact JWS string', async () => {
    const jwt = await realisticJwt();
    const result = unbakePng(bakePng(badge, jwt));
    assert.ok(result.found);
    assert.equal(result.credential, jwt);
  });

  it('writes one uncompressed iTXt chunk (empty language and translated keyword) just before IEND', () => {
    const credential = realisticCredential();
    const chunks = chunksOf(bakePng(badge, credential));
    assert.equal(chunks[0]!.name, 'IHDR');
    assert.equal(chunks.at(-1)!.name, 'IEND');
    const chunk = chunks.at(-2)!;
    assert.equal(chunk.name, 'iTXt');
    const expected = Buffer.concat([Buffer.from('openbadgecredential\0\0\0\0\0', 'latin1'), Buffer.from(JSON.stringify(credential), 'utf8')]);
    assert.ok(chunk.data.equals(expected));
    assert.ok(chunks.findIndex((c) => c.name === 'IDAT') < chunks.length - 2);
  });

  it('replaces an earlier credential on re-baking: exactly one chunk', async () => {
    const jwt = await realisticJwt();
    const twice = bakePng(bakePng(badge, realisticCredential()), jwt);
    assert.equal(credentialChunks(twice).length, 1);
    assert.deepEqual(unbakePng(twice), { found: true, credential: jwt });

    const withText = withChunk(badge, { name: 'tEXt', data: Buffer.from(`${PNG_CREDENTIAL_KEYWORD}\0old`, 'latin1') });
    const rebaked = bakePng(withText, jwt);
    assert.equal(credentialChunks(rebaked).length, 1);
    assert.equal(credentialChunks(rebaked)[0]!.name, 'iTXt');
  });

  it('leaves the picture intact: a PNG decoder sees the same pixels', () => {
    const baked = bakePng(badge, realisticCredential());
    const before = decodedPixels(badge);
    assert.ok(
      before.some((byte) => byte !== 0),
      'the original decodes',
    );
    assert.ok(decodedPixels(baked).equals(before));
    assert.equal(baked.readUInt32BE(16), 128); // IHDR untouched
  });

  for (const { file, expected } of SAMPLES) {
    it(`reads the 1EdTech sample ${file}.png`, () => {
      const png = bakedSample(`${file}.png`);
      assert.deepEqual(unbakePng(png), { found: true, credential: expectedContent(`${file}.png.expected.${expected}`) });
      const rebaked = bakePng(png, 'eyJhbGciOiJFZERTQSJ9.eyJpZCI6MX0.c2ln');
      assert.equal(credentialChunks(rebaked).length, 1);
      assert.deepEqual(unbakePng(rebaked), { found: true, credential: 'eyJhbGciOiJFZERTQSJ9.eyJpZCI6MX0.c2ln' });
    });
  }

  it('the JWT and JSON samples agree with their SVG twins where 1EdTech baked the same thing', () => {
    const json = unbakePng(bakedSample('simple-json.png'));
    assert.ok(json.found && typeof json.credential === 'object');
    assert.equal(json.credential.id, 'http://example.com/credentials/3527');
    assert.deepEqual(json.credential, expectedContent('simple-json.svg.expected.json'));
    assert.deepEqual(unbakePng(bakedSample('simple-jwt_v1.png')), { found: true, credential: expectedContent('simple-jwt_v1.svg.expected.jws') });
  });

  it('reads credentials written leniently: tEXt, zTXt and compressed iTXt', () => {
    const jws = 'eyJhbGciOiJFZERTQSJ9.eyJpZCI6MX0.c2ln';
    const tEXt = withChunk(badge, { name: 'tEXt', data: Buffer.from(`${PNG_CREDENTIAL_KEYWORD}\0${jws}`, 'latin1') });
    assert.deepEqual(unbakePng(tEXt), { found: true, credential: jws });
    const zTXt = withChunk(badge, {
      name: 'zTXt',
      data: Buffer.concat([Buffer.from(`${PNG_CREDENTIAL_KEYWORD}\0\0`, 'latin1'), deflateSync(jws)]),
    });
    assert.deepEqual(unbakePng(zTXt), { found: true, credential: jws });
    const json = JSON.stringify({ name: 'Ģeodēzija' });
    const compressed = withChunk(badge, {
      name: 'iTXt',
      data: Buffer.concat([Buffer.from(`${PNG_CREDENTIAL_KEYWORD}\0\x01\0lv\0Ģ\0`, 'utf8'), deflateSync(Buffer.from(json))]),
    });
    assert.deepEqual(unbakePng(compressed), { found: true, credential: { name: 'Ģeodēzija' } });
  });

  it('says found:false for a PNG without a credential or with an unreadable one', () => {
    const none = unbakePng(badge);
    assert.equal(none.found, false);
    assert.ok(!none.found && /openbadgecredential/.test(none.reason));
    const other = withChunk(badge, { name: 'tEXt', data: Buffer.from('Comment\0openbadgecredential', 'latin1') });
    assert.equal(unbakePng(other).found, false);
    const broken = withChunk(badge, { name: 'iTXt', data: Buffer.from(`${PNG_CREDENTIAL_KEYWORD}\0\0\0\0\0{"unterminated`, 'latin1') });
    assert.equal(unbakePng(broken).found, false);
  });

  it('throws PNG_INVALID for input that is not an intact PNG', () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>');
    const truncated = badge.subarray(0, badge.length - 20);
    const corrupted = Buffer.from(badge);
    corrupted[40] = corrupted[40]! ^ 0xff; // inside the first chunk after IHDR: its CRC no longer matches
    for (const input of [svg, Buffer.alloc(0), truncated, corrupted]) {
      assert.throws(() => unbakePng(input), isCode('PNG_INVALID'));
      assert.throws(() => bakePng(input, { id: 'x' }), isCode('PNG_INVALID'));
    }
  });

  it('refuses credentials that are neither an object nor a compact JWS', () => {
    for (const bad of [[] as unknown, 42, null, 'not a jws', '[1,2]', '{broken'] as unknown[]) {
      assert.throws(() => bakePng(badge, bad as string), isCode('BAKE_CREDENTIAL_INVALID'));
    }
  });

  it('bakes a JSON string as written and returns the parsed object', () => {
    const text = '{"id":"urn:uuid:1","name":"Ķīmija"}';
    const baked = bakePng(badge, text);
    assert.ok(credentialChunks(baked)[0]!.data.subarray(24).equals(Buffer.from(text)));
    assert.deepEqual(unbakePng(baked), { found: true, credential: { id: 'urn:uuid:1', name: 'Ķīmija' } });
  });
});
