import type { JsonObject, LocalizedText } from './types';

/**
 * A JSON-LD language map ({ "en": …, "lv": … }) for the extension's `…Localized` terms, whose context
 * declares `@container: @language`. OB 3.0 text fields are plain strings in the schema, so they carry English.
 */
export function languageMap(text: LocalizedText): JsonObject {
  const map: JsonObject = { en: text.en };
  if (text.lv !== undefined && text.lv.trim() !== '') map.lv = text.lv;
  return map;
}
