import assert from 'node:assert/strict';
import { svgToPng } from '../../../../src/credentials/images/svg-to-png';
import { AppError } from '../../../../src/errors';

const letterSvg = (ch: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="#fff"/>` +
  `<text x="32" y="46" font-size="40" font-family="sans-serif" text-anchor="middle">${ch}</text></svg>`;

describe('svgToPng', () => {
  it('renders at the requested width, keeping the aspect ratio', () => {
    const png = svgToPng('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50"><rect width="100" height="50" fill="red"/></svg>', { width: 200 });
    assert.equal(png.toString('latin1', 1, 4), 'PNG');
    assert.equal(png.readUInt32BE(16), 200);
    assert.equal(png.readUInt32BE(20), 100);
  });

  it('draws every Latvian letter with a real glyph of the bundled font, not the missing-glyph box', () => {
    const missing = svgToPng(letterSvg('\u4E2D'), { width: 64 }); // a CJK ideograph: not in DejaVu
    const blank = svgToPng(letterSvg(' '), { width: 64 });
    const seen = new Set<string>();
    for (const ch of 'āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ') {
      const png = svgToPng(letterSvg(ch), { width: 64 });
      assert.ok(!png.equals(missing), `${ch} renders as the missing-glyph box`);
      assert.ok(!png.equals(blank), `${ch} renders as nothing`);
      seen.add(png.toString('base64'));
    }
    assert.equal(seen.size, 22, 'each letter looks different');
  });

  it('refuses bad widths and documents that are not SVG', () => {
    const isCode = (code: string) => (err: unknown) => err instanceof AppError && err.code === code;
    assert.throws(() => svgToPng(letterSvg('a'), { width: 0 }), isCode('PNG_WIDTH_INVALID'));
    assert.throws(() => svgToPng(letterSvg('a'), { width: 10.5 }), isCode('PNG_WIDTH_INVALID'));
    assert.throws(() => svgToPng('<html><body>hi</body></html>'), isCode('SVG_INVALID'));
    assert.throws(() => svgToPng('<svg xmlns="http://www.w3.org/2000/svg"><text>unclosed</svg>'), isCode('SVG_INVALID'));
  });
});
