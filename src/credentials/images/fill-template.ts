import { fitText } from './fit-text';
import { escapeXml } from './xml-text';

export interface BadgeTextFields {
  name: string;
  institution: string;
  level?: string;
}

type SlotName = keyof BadgeTextFields;
const SLOT_NAMES: readonly SlotName[] = ['name', 'institution', 'level'];

/** Attributes that only steer the layout; they are not copied into the output. */
const LAYOUT_ATTRIBUTES = new Set(['data-slot', 'data-max-width', 'data-max-lines', 'data-min-font-size', 'data-line-height', 'font-size', 'y']);

// Half the cap height of DejaVu Sans (0.73 em): moves a baseline so the capitals centre on `y`.
const CAP_CENTRE_EM = 0.365;

function parseAttributes(source: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const m of source.matchAll(/([\w:.-]+)\s*=\s*"([^"]*)"/g)) attributes.set(m[1]!, m[2]!);
  return attributes;
}

function numberAttribute(attributes: Map<string, string>, key: string, fallback: number): number {
  const value = Number(attributes.get(key));
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** One slot `<text>`: the value laid out in lines, centred vertically on the slot's `y`. */
function renderSlot(attributes: Map<string, string>, value: string): string {
  const fontSize = numberAttribute(attributes, 'font-size', 24);
  const fitted = fitText(value, {
    maxWidth: numberAttribute(attributes, 'data-max-width', 300),
    maxLines: Math.floor(numberAttribute(attributes, 'data-max-lines', 1)),
    fontSize,
    minFontSize: numberAttribute(attributes, 'data-min-font-size', Math.round(fontSize * 0.6)),
  });
  const centreY = numberAttribute(attributes, 'y', 256);
  const x = attributes.get('x') ?? '256';
  const lineHeight = numberAttribute(attributes, 'data-line-height', 1.15) * fitted.fontSize;
  const firstBaseline = centreY - ((fitted.lines.length - 1) * lineHeight) / 2 + CAP_CENTRE_EM * fitted.fontSize;

  const kept = [...attributes].filter(([key]) => !LAYOUT_ATTRIBUTES.has(key));
  const attributeText = kept.map(([key, v]) => ` ${key}="${v}"`).join('');
  const tspans = fitted.lines.map((line, i) => `<tspan x="${x}" y="${round(firstBaseline + i * lineHeight)}">${escapeXml(line)}</tspan>`).join('');
  return `<text${attributeText} font-size="${round(fitted.fontSize)}">${tspans}</text>`;
}

/** The accessible name: everything the picture says, on one line. */
function titleText(fields: BadgeTextFields): string {
  const level = fields.level?.trim();
  return `${fields.name.trim()} — ${fields.institution.trim()}${level ? ` (${level})` : ''}`;
}

/**
 * Fills a template (see badge-templates/README.md for the conventions):
 * - `<text data-slot="name|institution|level" …>` elements get the value wrapped and shrunk to fit;
 * - elements marked `data-if="level"` (no nested element of the same tag) go when there is no level;
 * - `{{title}}`, `{{name}}`, `{{institution}}`, `{{level}}` anywhere else become the escaped text.
 */
export function fillBadgeTemplate(template: string, fields: BadgeTextFields): string {
  const values: Record<SlotName, string> = {
    name: fields.name.trim(),
    institution: fields.institution.trim(),
    level: fields.level?.trim() ?? '',
  };

  let svg = template.replace(/<text\b([^>]*)>([\s\S]*?)<\/text>/g, (whole, attributeSource: string) => {
    const attributes = parseAttributes(attributeSource);
    const slot = attributes.get('data-slot') as SlotName | undefined;
    if (slot === undefined || !SLOT_NAMES.includes(slot)) return whole;
    return values[slot] === '' ? '' : renderSlot(attributes, values[slot]);
  });

  if (values.level === '') {
    svg = svg.replace(/<([\w:]+)\b[^>]*\bdata-if="level"[^>]*?(?:\/>|>[\s\S]*?<\/\1\s*>)/g, '');
  }

  return svg.replace(/\{\{\s*(title|name|institution|level)\s*\}\}/g, (_, key: string) =>
    escapeXml(key === 'title' ? titleText(fields) : values[key as SlotName]),
  );
}
