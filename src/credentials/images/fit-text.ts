import { estimateTextWidth } from './text-width';

export interface FitTextOptions {
  /** Widest a line may be, in user units. */
  maxWidth: number;
  maxLines: number;
  /** Preferred size; the text shrinks from here, one unit at a time, down to `minFontSize`. */
  fontSize: number;
  minFontSize: number;
}

export interface FittedText {
  lines: string[];
  fontSize: number;
  /** True when even the smallest size needed more lines and the last one ends in "…". */
  truncated: boolean;
}

const ELLIPSIS = '…';

/** Words separated by white space; a hyphenated compound may also break after its hyphen. */
function splitWords(text: string): string[] {
  return text
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((word) => word.split(/(?<=[^-]-)(?=[^-])/));
}

function join(line: string, word: string): string {
  if (line === '') return word;
  return line.endsWith('-') ? line + word : `${line} ${word}`;
}

/** Splits one over-long word into pieces that each fit (at least one character per piece). */
function chop(word: string, maxWidth: number, size: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (const ch of word) {
    if (piece !== '' && estimateTextWidth(piece + ch, size) > maxWidth) {
      pieces.push(piece);
      piece = '';
    }
    piece += ch;
  }
  if (piece !== '') pieces.push(piece);
  return pieces;
}

/** Greedy line filling. Without `chopLongWords` a word wider than a line fails the size (null). */
function wrap(words: string[], maxWidth: number, size: number, chopLongWords: boolean): string[] | null {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const candidate = join(line, word);
    if (estimateTextWidth(candidate, size) <= maxWidth) {
      line = candidate;
      continue;
    }
    if (line !== '') lines.push(line);
    if (estimateTextWidth(word, size) <= maxWidth) {
      line = word;
      continue;
    }
    if (!chopLongWords) return null;
    const pieces = chop(word, maxWidth, size);
    lines.push(...pieces.slice(0, -1));
    line = pieces[pieces.length - 1] ?? '';
  }
  if (line !== '') lines.push(line);
  return lines;
}

function ellipsize(line: string, maxWidth: number, size: number): string {
  const chars = [...line];
  while (chars.length > 0 && estimateTextWidth(chars.join('') + ELLIPSIS, size) > maxWidth) chars.pop();
  return chars.join('').trimEnd() + ELLIPSIS;
}

/**
 * Lays `text` out in at most `maxLines` lines no wider than `maxWidth`, preferring the largest size that
 * fits. Widths are estimates (see text-width.ts), so callers should leave a small margin in `maxWidth`.
 */
export function fitText(text: string, options: FitTextOptions): FittedText {
  const { maxWidth, maxLines, fontSize, minFontSize } = options;
  const words = splitWords(text);
  if (words.length === 0) return { lines: [], fontSize, truncated: false };

  for (let size = fontSize; size >= minFontSize; size -= 1) {
    const lines = wrap(words, maxWidth, size, false);
    if (lines !== null && lines.length <= maxLines) return { lines, fontSize: size, truncated: false };
  }

  const size = Math.min(fontSize, minFontSize);
  const lines = wrap(words, maxWidth, size, true) ?? [];
  if (lines.length <= maxLines) return { lines, fontSize: size, truncated: false };
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = ellipsize(kept[maxLines - 1] ?? '', maxWidth, size);
  return { lines: kept, fontSize: size, truncated: true };
}
