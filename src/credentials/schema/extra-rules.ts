import { CONTEXT_URLS } from '../contexts/document-loader';
import type { SchemaError } from './format-errors';

/** Terms defined only by 1EdTech's extensions context (OB 3.0 README: without it they are undefined in JSON-LD). */
const EXTENSION_TYPES = new Set(['1EdTechJsonSchemaValidator2019', '1EdTechRevocationList', '1EdTechCredentialRefresh']);

const typeOf = (entry: unknown) => (entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>).type : undefined);

/**
 * What the JSON Schema cannot express but the credential needs: a credential naming a 1EdTech
 * extension type must carry the extensions context, or JSON-LD processing (and signing) fails.
 */
export function extraRuleErrors(json: unknown): SchemaError[] {
  if (json === null || typeof json !== 'object') return [];
  const credential = json as Record<string, unknown>;
  const contexts = Array.isArray(credential['@context']) ? credential['@context'] : [];
  if (contexts.includes(CONTEXT_URLS.openBadgesExtensions)) return [];
  const errors: SchemaError[] = [];
  for (const field of ['credentialSchema', 'credentialStatus', 'refreshService']) {
    const value = credential[field];
    const entries: unknown[] = Array.isArray(value) ? value : [value];
    entries.forEach((entry, i) => {
      const type = typeOf(entry);
      if (typeof type === 'string' && EXTENSION_TYPES.has(type)) {
        errors.push({
          path: Array.isArray(value) ? `/${field}/${i}/type` : `/${field}/type`,
          message: `"${type}" needs "${CONTEXT_URLS.openBadgesExtensions}" in @context`,
        });
      }
    });
  }
  return errors;
}
