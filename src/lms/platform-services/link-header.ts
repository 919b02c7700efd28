/**
 * RFC 8288 `Link` header parsing that first repairs what Moodle 4.5 sends on AGS
 * line-item paging (see test fixtures, source: moodle-fixtures/ags-nrps-service-exchanges.json,
 * "AGS: GET lineitems ?limit=1 (paging)"):
 *
 *   <http://…/lineitems?type_id=1&amp;limit=1&amp;from=1>; rel=“next”
 *
 * 1. rel values wrapped in Unicode curly quotes (U+201C / U+201D) instead of ASCII `"`;
 * 2. the same curly quotes as mojibake: Moodle writes them as raw UTF-8 bytes (E2 80 9C / E2 80 9D)
 *    and Node's fetch (undici) exposes header bytes one char per byte (latin1), so the value arrives
 *    as "\u00e2\u0080\u009c". Rendered through windows-1252 the same bytes read "â€œ" / "â€\x9d";
 *    both forms are repaired;
 * 3. HTML-escaped `&amp;` inside the URLs.
 */

/** Windows-1252 renderings of UTF-8 quote characters (E2 80 xx read as cp1252). */
const CP1252_MOJIBAKE: ReadonlyArray<readonly [string, string]> = [
  ['\u00e2\u20ac\u0153', '\u201c'], // â€œ  -> “
  ['\u00e2\u20ac\u009d', '\u201d'], // â€\x9d -> ” (0x9D is undefined in cp1252 and stays a C1 char)
  ['\u00e2\u20ac\u017e', '\u201e'], // â€ž  -> „
  ['\u00e2\u20ac\u02dc', '\u2018'], // â€˜  -> ‘
  ['\u00e2\u20ac\u2122', '\u2019'], // â€™  -> ’
];

/** Typographic quotes that stand in for ASCII `"` around parameter values. */
const FANCY_QUOTES = /[\u201c\u201d\u201e\u201f\u2033\u2018\u2019\u00ab\u00bb]/g;

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** Undo "UTF-8 bytes read as latin1": only when every char is a byte and the bytes are valid UTF-8. */
function redecodeLatin1AsUtf8(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[\u0080-\u00ff]/.test(value) || /[^\u0000-\u00ff]/.test(value)) return value;
  try {
    return utf8Strict.decode(Buffer.from(value, 'latin1'));
  } catch {
    return value; // genuine latin1 text, leave it alone
  }
}

function decodeUrlEntities(url: string): string {
  return url.replace(/&(?:amp|#0*38|#x0*26);/gi, '&');
}

/**
 * Returns the header with the mojibake and the typographic quotes repaired.
 * `&amp;` is decoded by `parseLinkHeader` inside `<…>` only.
 */
export function repairLinkHeader(raw: string): string {
  let value = raw;
  for (const [garbled, quote] of CP1252_MOJIBAKE) value = value.split(garbled).join(quote);
  value = redecodeLatin1AsUtf8(value);
  return value.replace(FANCY_QUOTES, '"');
}

const isWs = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';

/**
 * Parses a (repaired) Link header into `{ [rel]: url }`. Rel names are lower-cased; a param with
 * several space-separated rels (`rel="next last"`) yields one entry per rel; the first link for a
 * rel wins. URLs are returned as written (after `&amp;` decoding), unresolved.
 * Malformed link-values are skipped rather than failing the whole header.
 */
export function parseLinkHeader(raw: string | null | undefined): Record<string, string> {
  const links = new Map<string, string>();
  if (!raw) return {};
  const s = repairLinkHeader(raw);
  let i = 0;
  const skipWs = () => {
    while (isWs(s[i])) i++;
  };
  const skipToNextValue = () => {
    let quoted = false;
    while (i < s.length) {
      const c = s[i];
      if (c === '"') quoted = !quoted;
      else if (c === '\\' && quoted) i++;
      else if (c === ',' && !quoted) break;
      i++;
    }
  };

  while (i < s.length) {
    skipWs();
    if (s[i] === ',') {
      i++;
      continue;
    }
    if (s[i] !== '<') {
      skipToNextValue();
      continue;
    }
    const close = s.indexOf('>', i + 1);
    if (close < 0) break;
    const url = decodeUrlEntities(s.slice(i + 1, close).trim());
    i = close + 1;

    const params = new Map<string, string>();
    for (;;) {
      skipWs();
      if (s[i] !== ';') break;
      i++;
      skipWs();
      const nameStart = i;
      while (i < s.length && !/[=;,\s]/.test(s[i] ?? '')) i++;
      const name = s.slice(nameStart, i).toLowerCase();
      skipWs();
      let value = '';
      if (s[i] === '=') {
        i++;
        skipWs();
        if (s[i] === '"') {
          i++;
          while (i < s.length && s[i] !== '"') {
            if (s[i] === '\\' && i + 1 < s.length) i++;
            value += s[i];
            i++;
          }
          i++; // closing quote (or past the end)
        } else {
          const valueStart = i;
          while (i < s.length && !/[;,\s]/.test(s[i] ?? '')) i++;
          value = s.slice(valueStart, i);
        }
      }
      if (name && !params.has(name)) params.set(name, value);
    }
    skipToNextValue();

    const rel = params.get('rel');
    if (!url || !rel) continue;
    for (const r of rel.trim().toLowerCase().split(/\s+/)) {
      if (r && !links.has(r)) links.set(r, url);
    }
  }
  // fromEntries defines own properties, so a rel named "__proto__" cannot touch the prototype.
  return Object.fromEntries(links);
}
