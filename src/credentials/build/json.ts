import type { JsonObject, JsonValue } from './types';

/**
 * Drops keys whose value is undefined, so optional fields are absent rather than `undefined`
 * (deep equality, JSON-LD processing and signing all see the same object as the serialised JSON).
 */
export function withoutUndefined(entries: Record<string, JsonValue | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(entries)) if (value !== undefined) out[key] = value;
  return out;
}
