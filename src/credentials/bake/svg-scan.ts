/**
 * Just enough XML scanning to bake SVG files in place: find the root start tag behind any prolog, and find
 * elements by qualified name while skipping comments, CDATA sections and processing instructions. The
 * document is edited as text, so everything else in it stays byte for byte as it was.
 */

export interface StartTag {
  /** Index of `<`. */
  start: number;
  /** Index just after `>`. */
  end: number;
  name: string;
  /** Raw (still escaped) attribute values by qualified name. */
  attributes: Map<string, string>;
  selfClosing: boolean;
}

export interface ElementRange {
  tag: StartTag;
  /** Index just after the end tag (or after the start tag when self-closing). */
  end: number;
  /** Raw text between start and end tag. */
  content: string;
}

const WHITESPACE = /\s/;

/** Parses the start tag at `at` (which must be `<`); null when malformed. */
export function readStartTag(xml: string, at: number): StartTag | null {
  const nameMatch = /^<([^\s/>!?]+)/.exec(xml.slice(at, at + 256));
  if (!nameMatch) return null;
  const name = nameMatch[1]!;
  const attributes = new Map<string, string>();
  let i = at + nameMatch[0].length;
  for (;;) {
    while (i < xml.length && WHITESPACE.test(xml[i]!)) i++;
    if (i >= xml.length) return null;
    if (xml[i] === '>') return { start: at, end: i + 1, name, attributes, selfClosing: false };
    if (xml.startsWith('/>', i)) return { start: at, end: i + 2, name, attributes, selfClosing: true };
    const attribute = /^([^\s=/>]+)\s*=\s*(["'])/.exec(xml.slice(i, i + 512));
    if (!attribute) return null;
    const valueStart = i + attribute[0].length;
    const valueEnd = xml.indexOf(attribute[2]!, valueStart);
    if (valueEnd < 0) return null;
    attributes.set(attribute[1]!, xml.slice(valueStart, valueEnd));
    i = valueEnd + 1;
  }
}

/** Index after the markup that opens at `at` and must end with `terminator`; -1 when unterminated. */
function skipPast(xml: string, at: number, terminator: string): number {
  const end = xml.indexOf(terminator, at);
  return end < 0 ? -1 : end + terminator.length;
}

/** Index after a `<!DOCTYPE …>`, including an internal subset in brackets and quoted literals. */
function skipDoctype(xml: string, at: number): number {
  let inSubset = false;
  let quote: string | null = null;
  for (let i = at + 2; i < xml.length; i++) {
    const ch = xml[i]!;
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[') inSubset = true;
    else if (ch === ']') inSubset = false;
    else if (ch === '>' && !inSubset) return i + 1;
  }
  return -1;
}

/** The start tag of the root `<svg>` element, behind an optional BOM, XML declaration, comments and DOCTYPE. */
export function findRootSvg(xml: string): StartTag | null {
  let i = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i >= 0 && i < xml.length) {
    if (WHITESPACE.test(xml[i]!)) i++;
    else if (xml.startsWith('<?', i)) i = skipPast(xml, i, '?>');
    else if (xml.startsWith('<!--', i)) i = skipPast(xml, i + 4, '-->');
    else if (xml.startsWith('<!DOCTYPE', i)) i = skipDoctype(xml, i);
    else if (xml[i] === '<') {
      const tag = readStartTag(xml, i);
      return tag && tag.name === 'svg' ? tag : null;
    } else return null;
  }
  return null;
}

/** Index just after the end tag matching `tag`, counting nested elements of the same name; -1 when missing. */
function findEnd(xml: string, tag: StartTag): number {
  let depth = 1;
  let i = tag.end;
  while (i >= 0 && i < xml.length) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) return -1;
    if (xml.startsWith('<!--', lt)) i = skipPast(xml, lt + 4, '-->');
    else if (xml.startsWith('<![CDATA[', lt)) i = skipPast(xml, lt + 9, ']]>');
    else if (xml.startsWith('<?', lt)) i = skipPast(xml, lt + 2, '?>');
    else if (xml.startsWith('</', lt)) {
      const close = /^<\/([^\s>]+)\s*>/.exec(xml.slice(lt, lt + 256));
      if (!close) return -1;
      i = lt + close[0].length;
      if (close[1] === tag.name && --depth === 0) return i;
    } else {
      const inner = readStartTag(xml, lt);
      if (!inner) return -1;
      if (inner.name === tag.name && !inner.selfClosing) depth++;
      i = inner.end;
    }
  }
  return -1;
}

/**
 * Elements whose qualified name is in `names`, in document order, searching from `from`. Elements inside
 * a match are not searched. Scanning stops at the first malformed markup.
 */
export function findElements(xml: string, from: number, names: ReadonlySet<string>): ElementRange[] {
  const found: ElementRange[] = [];
  let i = from;
  while (i >= 0 && i < xml.length) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) break;
    if (xml.startsWith('<!--', lt)) i = skipPast(xml, lt + 4, '-->');
    else if (xml.startsWith('<![CDATA[', lt)) i = skipPast(xml, lt + 9, ']]>');
    else if (xml.startsWith('<?', lt)) i = skipPast(xml, lt + 2, '?>');
    else if (xml.startsWith('</', lt) || xml.startsWith('<!', lt)) i = skipPast(xml, lt + 2, '>');
    else {
      const tag = readStartTag(xml, lt);
      if (!tag) break;
      if (!names.has(tag.name)) {
        i = tag.end;
        continue;
      }
      const end = tag.selfClosing ? tag.end : findEnd(xml, tag);
      if (end < 0) break;
      const contentEnd = tag.selfClosing ? tag.end : xml.lastIndexOf('</', end);
      found.push({ tag, end, content: xml.slice(tag.end, contentEnd) });
      i = end;
    }
  }
  return found;
}
