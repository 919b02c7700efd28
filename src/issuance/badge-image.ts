import type { BadgeDefinition } from '../badges/definition';
import { renderBadgeSvg } from '../credentials/images/render-template';
import { svgToPng } from '../credentials/images/svg-to-png';
import type { InstitutionProfile } from '../issuers/profile';

/** The badge's picture: its template filled with the badge name, the institution and the level line. */
export function badgeSvg(definition: BadgeDefinition, institution: InstitutionProfile | null, locale: 'en' | 'lv' = 'en'): string {
  const level = [definition.eqfLevel ? `EQF ${definition.eqfLevel}` : null, definition.ectsCredits !== undefined ? `${definition.ectsCredits} ECTS` : null]
    .filter(Boolean)
    .join(' · ');
  return renderBadgeSvg(definition.imageTemplate, {
    name: (locale === 'lv' && definition.name.lv) || definition.name.en,
    institution: (institution && ((locale === 'lv' && institution.name.lv) || institution.name.en)) || ' ',
    ...(level ? { level } : {}),
  });
}

const pngCache = new Map<string, Buffer>();

/** PNG renders are cached per badge version and institution name (they never change for a version). */
export function badgePng(key: string, definition: BadgeDefinition, institution: InstitutionProfile | null): Buffer {
  const cacheKey = `${key}|${institution?.name.en ?? ''}`;
  let png = pngCache.get(cacheKey);
  if (!png) {
    png = svgToPng(badgeSvg(definition, institution));
    if (pngCache.size > 500) pngCache.delete(pngCache.keys().next().value!);
    pngCache.set(cacheKey, png);
  }
  return png;
}
