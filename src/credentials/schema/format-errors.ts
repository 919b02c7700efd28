import type { ErrorObject } from 'ajv';
import { ANCHORED_EXTENSION_PATTERN } from './anchor-extension-patterns';

/** One problem with a credential: a JSON pointer to the field and what is wrong with it. */
export interface SchemaError {
  path: string;
  message: string;
}

interface Described extends SchemaError {
  keyword: string;
}

const pointerToken = (name: string) => name.replace(/~/g, '~0').replace(/\//g, '~1');
const quoted = (values: unknown) => (Array.isArray(values) ? values : [values]).map((v) => JSON.stringify(v));

/** Says which field: a missing property is reported at its own path, not at its parent's. */
function describe(error: ErrorObject): Described {
  const { keyword, instancePath: path, params } = error;
  const at = (message: string, where = path): Described => ({ path: where, message, keyword });
  switch (keyword) {
    case 'required':
      return at('is required', `${path}/${pointerToken(String(params.missingProperty))}`);
    case 'additionalProperties':
      return at('is not allowed', `${path}/${pointerToken(String(params.additionalProperty))}`);
    case 'enum':
      return at(`must be one of ${quoted(params.allowedValues).join(', ')}`);
    case 'pattern':
      return at(params.pattern === ANCHORED_EXTENSION_PATTERN ? 'must be an extension value "ext:<Name>"' : `must match ${params.pattern}`);
    case 'format':
      return at(`must be a valid ${params.format}`);
    case 'contains': {
      const wanted = (error.schema as { enum?: unknown[] } | undefined)?.enum;
      return at(wanted ? `must contain ${quoted(wanted).join(' or ')}` : (error.message ?? 'must contain a valid item'));
    }
    default:
      return at(error.message ?? `fails "${keyword}"`);
  }
}

const isAlternative = (d: Described) => d.keyword === 'oneOf' || d.keyword === 'anyOf';

/**
 * Readable errors from ajv's. A `oneOf` (e.g. issuer: URI string or Profile) reports every branch; when a
 * deeper field explains the failure, the parent's "must be string" and "must match one schema" are noise;
 * otherwise the branches at one path are alternatives and are joined with "or".
 */
export function formatSchemaErrors(errors: readonly ErrorObject[]): SchemaError[] {
  // `contains` also reports why each item did not match; the "must contain …" error says it all.
  const described = errors.filter((e) => !e.schemaPath.includes('/contains/')).map(describe);
  const hasDeeper = (path: string) => described.some((d) => d.path.startsWith(`${path}/`));
  const relevant = described.filter((d) => !(hasDeeper(d.path) && (isAlternative(d) || d.keyword === 'type')));

  const byPath = new Map<string, Described[]>();
  for (const d of relevant) byPath.set(d.path, [...(byPath.get(d.path) ?? []), d]);

  const out: SchemaError[] = [];
  for (const [path, group] of byPath) {
    const messages = [...new Set(group.filter((d) => !isAlternative(d)).map((d) => d.message))];
    if (group.some(isAlternative) && messages.length > 0) {
      const [first, ...rest] = messages;
      out.push({ path, message: [first, ...rest.map((m) => m.replace(/^must be /, ''))].join(' or ') });
    } else {
      for (const message of messages.length > 0 ? messages : group.map((d) => d.message)) out.push({ path, message });
    }
  }
  return out;
}
