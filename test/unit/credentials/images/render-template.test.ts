import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listBadgeTemplates, renderBadgeSvg } from '../../../../src/credentials/images/render-template';
import { svgToPng } from '../../../../src/credentials/images/svg-to-png';
import { AppError } from '../../../../src/errors';

const ARTIFACTS = path.join(__dirname, '../../../../test-artifacts/badges');
const LATVIAN = 'āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ';
const longName = 'Mākslīgā intelekta pamati ģeogrāfiskajā informātikā un ķīmijā';
const fields = { name: longName, institution: 'Latvijas Universitāte, Datorikas fakultāte', level: 'EQF 5 · 6 ECTS' };

/** Width and height from the IHDR chunk, after checking the signature and that IHDR comes first. */
function pngSize(png: Buffer): { width: number; height: number } {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(png.toString('latin1', 12, 16), 'IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function tspanText(svg: string): string {
  return [...svg.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((m) => m[1]).join(' ');
}

function assertAppError(fn: () => unknown, code: string) {
  assert.throws(fn, (err: unknown) => err instanceof AppError && err.code === code);
}

describe('badge templates', () => {
  const templates = listBadgeTemplates();

  it('lists the default designs', () => {
    for (const name of ['hexagon', 'medal', 'ribbon', 'shield']) assert.ok(templates.includes(name), name);
  });

  for (const template of ['hexagon', 'medal', 'ribbon', 'shield']) {
    describe(template, () => {
      it('fills every placeholder, is accessible and renders to a 512×512 PNG', () => {
        const svg = renderBadgeSvg(template, fields);
        assert.doesNotMatch(svg, /\{\{/);
        assert.match(svg, /<svg[^>]*\brole="img"/);
        assert.match(svg, /<svg[^>]*\baria-labelledby="badge-title"/);
        assert.match(svg, new RegExp(`<title id="badge-title">${longName} — Latvijas Universitāte, Datorikas fakultāte \\(EQF 5 · 6 ECTS\\)</title>`));
        assert.equal(tspanText(svg).includes('EQF 5 · 6 ECTS'), true);
        assert.doesNotMatch(svg, /data-max-width|data-slot/);

        const png = svgToPng(svg);
        assert.deepEqual(pngSize(png), { width: 512, height: 512 });
        mkdirSync(ARTIFACTS, { recursive: true });
        writeFileSync(path.join(ARTIFACTS, `${template}.png`), png);
        writeFileSync(
          path.join(ARTIFACTS, `${template}-short.png`),
          svgToPng(renderBadgeSvg(template, { name: 'Teamwork', institution: 'Rīgas Tehniskā universitāte' })),
        );
      });

      it('keeps every Latvian letter in the SVG text', () => {
        const svg = renderBadgeSvg(template, { name: `Burti ${LATVIAN}`, institution: `Iestāde ${LATVIAN}` });
        const text = tspanText(svg).replace(/\s+/g, '');
        assert.equal(text.split(LATVIAN).length - 1, 2, text);
      });

      it('escapes markup in names', () => {
        const svg = renderBadgeSvg(template, { name: '<script>alert(1)</script>', institution: 'A & B "C"' });
        assert.doesNotMatch(svg, /<script/);
        assert.match(tspanText(svg), /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
        assert.match(svg, /A &amp; B &quot;C&quot;/);
        pngSize(svgToPng(svg)); // still a well-formed document
      });

      it('drops the level line and its decoration when there is no level', () => {
        const svg = renderBadgeSvg(template, { name: 'Teamwork', institution: 'RTU' });
        assert.doesNotMatch(svg, /data-if="level"/);
        assert.doesNotMatch(svg, /\{\{/);
        assert.match(svg, /<title id="badge-title">Teamwork — RTU<\/title>/);
      });
    });
  }

  it('rejects unknown and path-like template names with BADGE_TEMPLATE_UNKNOWN', () => {
    for (const name of ['nope', '../package', '../badge-templates/medal', '/etc/passwd', 'Medal', 'medal.svg', 'fonts', '']) {
      assertAppError(() => renderBadgeSvg(name, fields), 'BADGE_TEMPLATE_UNKNOWN');
    }
  });

  it('rejects a missing name or institution', () => {
    assertAppError(() => renderBadgeSvg('medal', { name: '  ', institution: 'LU' }), 'BADGE_FIELDS_INVALID');
    assertAppError(() => renderBadgeSvg('medal', { name: 'X', institution: 'x'.repeat(401) }), 'BADGE_FIELDS_INVALID');
  });

  it('reads templates from another folder with the same conventions', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'badge-templates-'));
    try {
      writeFileSync(
        path.join(dir, 'plain.svg'),
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" role="img"><title>{{title}}</title>' +
          '<g data-if="level"><rect width="10" height="10"/></g>' +
          '<text data-slot="name" x="100" y="200" font-size="30" data-max-width="200" data-max-lines="2">{{name}}</text>' +
          '<desc>{{institution}}</desc></svg>',
      );
      writeFileSync(path.join(dir, 'notes.txt'), 'not a template');
      assert.deepEqual(listBadgeTemplates({ templatesDir: dir }), ['plain']);
      const svg = renderBadgeSvg('plain', { name: 'Ģeodēzija un kartogrāfija', institution: 'LU <ĢZZF>' }, { templatesDir: dir });
      assert.match(svg, /<desc>LU &lt;ĢZZF&gt;<\/desc>/);
      assert.doesNotMatch(svg, /<rect/);
      assert.match(svg, /<text x="100" font-size="\d+(\.\d)?"><tspan x="100" y="[\d.]+">/);
      assert.equal(tspanText(svg), 'Ģeodēzija un kartogrāfija');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
