import assert from 'node:assert/strict';
import { fitText } from '../../../../src/credentials/images/fit-text';
import { estimateTextWidth } from '../../../../src/credentials/images/text-width';

const box = { maxWidth: 296, maxLines: 3, fontSize: 38, minFontSize: 22 };

describe('fitText', () => {
  it('keeps a short name on one line at the preferred size', () => {
    assert.deepEqual(fitText('Teamwork', box), { lines: ['Teamwork'], fontSize: 38, truncated: false });
  });

  it('wraps a long Latvian name into at most three lines that fit, without losing words', () => {
    const name = 'Mākslīgā intelekta pamati ģeogrāfiskajā informātikā un ķīmijā';
    const fitted = fitText(name, box);
    assert.ok(fitted.lines.length >= 2 && fitted.lines.length <= 3, String(fitted.lines.length));
    assert.ok(fitted.fontSize <= 38 && fitted.fontSize >= 22);
    for (const line of fitted.lines) assert.ok(estimateTextWidth(line, fitted.fontSize) <= box.maxWidth, line);
    assert.equal(fitted.lines.join(' '), name);
    assert.equal(fitted.truncated, false);
  });

  it('shrinks before it breaks a word', () => {
    const fitted = fitText('Datorzinātņu', { maxWidth: 200, maxLines: 3, fontSize: 40, minFontSize: 10 });
    assert.deepEqual(fitted.lines, ['Datorzinātņu']);
    assert.ok(estimateTextWidth('Datorzinātņu', fitted.fontSize) <= 200);
  });

  it('breaks hyphenated compounds after the hyphen', () => {
    const fitted = fitText('Starpdisciplinārā-projektu-vadība', { maxWidth: 280, maxLines: 3, fontSize: 24, minFontSize: 24 });
    assert.deepEqual(fitted.lines, ['Starpdisciplinārā-', 'projektu-vadība']);
  });

  it('chops a word too long for any size and ends an over-long text with an ellipsis', () => {
    const chopped = fitText('Ā'.repeat(60), { maxWidth: 100, maxLines: 10, fontSize: 20, minFontSize: 20 });
    assert.ok(chopped.lines.length > 1);
    assert.equal(chopped.lines.join(''), 'Ā'.repeat(60));

    const long = fitText('vārds '.repeat(100), box);
    assert.equal(long.truncated, true);
    assert.equal(long.lines.length, 3);
    assert.equal(long.fontSize, 22);
    assert.ok(long.lines[2]!.endsWith('…'));
    assert.ok(estimateTextWidth(long.lines[2]!, 22) <= box.maxWidth);
  });

  it('collapses white space and gives no lines for blank text', () => {
    assert.deepEqual(fitText('  a \n\t b ', box).lines, ['a b']);
    assert.deepEqual(fitText('   ', box).lines, []);
  });
});
