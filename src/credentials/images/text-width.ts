/**
 * A rough advance-width estimate, in em, for the bundled DejaVu Sans Condensed (Bold). The widths were
 * measured once with resvg and grouped into classes; bold is used for every weight so estimates err wide
 * and text never spills out of its shape.
 */

const NARROW = new Set([..."iljIJ.,:;!|'`·• "]); // ≈0.31–0.36
const SEMI = new Set([...'frt()[]{}-/"*']); // ≈0.39–0.47
const WIDE = new Set([...'mwMW@&%—']); // ≈0.8–1.0
const DIGITS = /[0-9]/;
const UPPER = /\p{Lu}/u;
const LATIN_OR_COMMON = /[\p{Script=Latin}\p{Script=Common}\p{Script=Cyrillic}\p{Script=Greek}]/u;

function charEm(ch: string): number {
  // ā, č, ģ … are as wide as their base letters, so classify the base.
  const base = ch.normalize('NFD').charAt(0);
  if (NARROW.has(base)) return 0.34;
  if (SEMI.has(base)) return 0.45;
  if (WIDE.has(base)) return 0.95;
  if (DIGITS.test(base)) return 0.64;
  if (UPPER.test(base)) return 0.74;
  if (LATIN_OR_COMMON.test(base)) return 0.63;
  return 1; // scripts the font may not cover (CJK …): assume a full em
}

/** Estimated width of `text` set at `fontSize`, in the same units as `fontSize`. */
export function estimateTextWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) em += charEm(ch);
  return em * fontSize;
}
