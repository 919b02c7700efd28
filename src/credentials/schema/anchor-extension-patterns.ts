/**
 * The formal schema allows "ext:" extension values (AlignmentTargetType, AchievementType, ResultType,
 * IdentifierType…) with the pattern `(ext:)[a-z|A-Z|0-9|.|-|_]+`. JSON Schema patterns are not anchored,
 * so it accepts any string that merely contains "ext:x" ("Skill ext:x", "notext:x"). The spec means a value
 * that starts with "ext:"; we validate that, which only ever rejects more than the official schema does.
 */
export const OFFICIAL_EXTENSION_PATTERN = '(ext:)[a-z|A-Z|0-9|.|-|_]+';
export const ANCHORED_EXTENSION_PATTERN = '^ext:[A-Za-z0-9._-]+$';

/** A copy of the schema with every official extension-value pattern anchored. */
export function anchorExtensionPatterns<T>(schema: T): T {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      out[key] = key === 'pattern' && value === OFFICIAL_EXTENSION_PATTERN ? ANCHORED_EXTENSION_PATTERN : visit(value);
    }
    return out;
  };
  return visit(schema) as T;
}
