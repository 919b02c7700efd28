import { AppError } from '../../errors';
import { escapeXml, unescapeXml } from '../images/xml-text';
import { credentialToText, textToCredential, type BakeableCredential, type UnbakeResult } from './credential-text';
import { findElements, findRootSvg, type StartTag } from './svg-scan';

/** The namespace of the `<openbadges:credential>` element (Open Badges 3.0 §5.3.2). */
export const OB3_SVG_NAMESPACE = 'https://purl.imsglobal.org/ob/v3p0';
const PREFIX = 'openbadges';
const ELEMENT = `${PREFIX}:credential`;

function rootOf(svg: string): StartTag {
  const root = typeof svg === 'string' ? findRootSvg(svg) : null;
  if (!root) throw new AppError('SVG_INVALID', 'The image is not an SVG document.', { status: 400 });
  return root;
}

/** `openbadges:credential` plus `<p>:credential` for every other prefix the root binds to the OB 3.0 namespace. */
function credentialElementNames(root: StartTag): Set<string> {
  const names = new Set([ELEMENT]);
  for (const [attribute, value] of root.attributes) {
    if (attribute.startsWith('xmlns:') && unescapeXml(value).trim() === OB3_SVG_NAMESPACE) {
      names.add(`${attribute.slice('xmlns:'.length)}:credential`);
    }
  }
  return names;
}

/** The root start tag declaring `xmlns:openbadges` as the OB 3.0 namespace (an older binding is repointed). */
function withNamespace(tagText: string, root: StartTag): string {
  const declared = root.attributes.get(`xmlns:${PREFIX}`);
  if (declared !== undefined && unescapeXml(declared).trim() === OB3_SVG_NAMESPACE) return tagText;
  const declaration = `xmlns:${PREFIX}="${OB3_SVG_NAMESPACE}"`;
  if (declared !== undefined) {
    return tagText.replace(new RegExp(`(\\s)xmlns:${PREFIX}\\s*=\\s*("[^"]*"|'[^']*')`), `$1${declaration}`);
  }
  return `<svg ${declaration}${tagText.slice('<svg'.length)}`;
}

// JSON.stringify leaves U+FFFE/U+FFFF raw and a verbatim JSON string may hold lone surrogates; XML cannot
// carry them, but inside JSON strings (the only place they can be) the \u escape means the same.
const NOT_XML_IN_JSON = /[\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function credentialElement(text: string): string {
  if (text.startsWith('{')) {
    const json = text.replace(NOT_XML_IN_JSON, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
    // "]]>" would end the CDATA section early: end it after "]]" and open a new one for ">".
    return `<${ELEMENT}><![CDATA[${json.replaceAll(']]>', ']]]]><![CDATA[>')}]]></${ELEMENT}>`;
  }
  return `<${ELEMENT} verify="${escapeXml(text)}"></${ELEMENT}>`;
}

/** The character data of element content: CDATA sections as written, text with entities resolved. */
function characterData(content: string): string {
  let text = '';
  let i = 0;
  while (i < content.length) {
    if (content.startsWith('<![CDATA[', i)) {
      const end = content.indexOf(']]>', i + 9);
      text += content.slice(i + 9, end < 0 ? content.length : end);
      i = end < 0 ? content.length : end + 3;
    } else if (content.startsWith('<!--', i)) {
      const end = content.indexOf('-->', i + 4);
      i = end < 0 ? content.length : end + 3;
    } else if (content[i] === '<') {
      const end = content.indexOf('>', i);
      i = end < 0 ? content.length : end + 1;
    } else {
      const next = content.indexOf('<', i);
      const end = next < 0 ? content.length : next;
      text += unescapeXml(content.slice(i, end));
      i = end;
    }
  }
  return text;
}

/**
 * Bakes the credential into an SVG (§5.3.2): the root declares `xmlns:openbadges` and gets a first child
 * `<openbadges:credential>` with the JSON in CDATA, or with `verify="<compact JWS>"`. Earlier credential
 * elements are removed, so there is always exactly one. The rest of the document is left as it was.
 */
export function bakeSvg(svg: string, credential: BakeableCredential): string {
  const text = credentialToText(credential);
  const root = rootOf(svg);
  let out = svg;
  if (!root.selfClosing) {
    const existing = findElements(svg, root.end, credentialElementNames(root));
    // Last first, so earlier indexes stay valid; all of them lie after the root start tag.
    for (const element of existing.reverse()) out = out.slice(0, element.tag.start) + out.slice(element.end);
  }
  const startTag = withNamespace(out.slice(root.start, root.end), root);
  const element = credentialElement(text);
  if (root.selfClosing) {
    const open = `${startTag.slice(0, -2).trimEnd()}>`;
    return `${out.slice(0, root.start)}${open}${element}</svg>${out.slice(root.end)}`;
  }
  return `${out.slice(0, root.start)}${startTag}${element}${out.slice(root.end)}`;
}

/** The credential baked into an SVG, if any; input that is not an SVG document throws SVG_INVALID. */
export function unbakeSvg(svg: string): UnbakeResult {
  const root = rootOf(svg);
  const [element] = root.selfClosing ? [] : findElements(svg, root.end, credentialElementNames(root));
  if (!element) return { found: false, reason: `The SVG has no ${ELEMENT} element.` };
  const verify = element.tag.attributes.get('verify');
  return textToCredential(verify !== undefined ? unescapeXml(verify) : characterData(element.content));
}
