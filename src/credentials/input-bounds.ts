import { AppError } from '../errors';
import { jsonShapeProblem, jsonTextDepth, type JsonShapeLimits, type JsonShapeProblem } from '../json-shape';

/**
 * What the verifier accepts from anyone, checked before any JSON-LD work: the cost of expansion and
 * canonicalisation grows with the number of values, and a verification must stay well under a second.
 * An OB 3.0 credential of this tool (50 results, EU elements in two languages) has about 600 values.
 */
export const VERIFY_BOUNDS = {
  bytes: { png: 5 * 1024 * 1024, svg: 2 * 1024 * 1024, text: 1024 * 1024 },
  shape: { maxDepth: 32, maxNodes: 5_000, maxArrayItems: 1_000 } satisfies JsonShapeLimits,
  /** `@context` entries over the whole credential (top level and scoped contexts together). */
  maxContexts: 16,
} as const;

export type InputKind = 'png' | 'svg' | 'text';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export const isPng = (input: Buffer) => input.subarray(0, 8).equals(PNG_SIGNATURE);
export const looksLikeSvg = (text: string) => /<svg[\s>]/.test(text.slice(0, 4096));

/** Which byte bound applies: a baked PNG, a baked SVG, or text (JSON or JWT). */
export function inputKind(input: Buffer): InputKind {
  if (isPng(input)) return 'png';
  return looksLikeSvg(input.subarray(0, 4096).toString('latin1')) ? 'svg' : 'text';
}

const refuse = (code: string, message: string, status = 400) => new AppError(code, message, { status });

/** 413 when the body is larger than its format allows. */
export function checkInputBytes(input: Buffer): void {
  const kind = inputKind(input);
  const max = VERIFY_BOUNDS.bytes[kind];
  if (input.length > max) {
    const what = kind === 'text' ? 'JSON or JWT credential' : `baked ${kind.toUpperCase()}`;
    throw refuse(
      'VERIFY_INPUT_TOO_LARGE',
      `A ${what} may have at most ${max / (1024 * 1024)} MB; this one has ${(input.length / (1024 * 1024)).toFixed(2)} MB.`,
      413,
    );
  }
}

/** JSON text of a credential, parsed only when its nesting is within bounds; 400 when it is not JSON. */
export function parseCredentialJson(text: string, what = 'The credential'): unknown {
  if (jsonTextDepth(text, VERIFY_BOUNDS.shape.maxDepth) > VERIFY_BOUNDS.shape.maxDepth)
    throw refuse('VERIFY_INPUT_TOO_COMPLEX', `${what} is nested deeper than ${VERIFY_BOUNDS.shape.maxDepth} levels.`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw refuse('VERIFY_JSON_MALFORMED', `${what} is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * 400 unless a parsed credential is within the shape bounds and names only contexts the verifier has
 * (`knownContext`): anything else would be refused by the offline loader anyway, after costlier work.
 */
export function checkCredentialShape(value: unknown, knownContext: (url: string) => boolean): void {
  let contexts = 0;
  const checkContext = (key: string, entry: unknown): JsonShapeProblem | null => {
    if (key !== '@context') return null;
    const entries = Array.isArray(entry) ? entry : [entry];
    contexts += entries.length;
    if (contexts > VERIFY_BOUNDS.maxContexts) return { code: 'VERIFY_CONTEXT_REFUSED', message: `more than ${VERIFY_BOUNDS.maxContexts} @context entries` };
    const unknown = entries.find((e) => typeof e !== 'string' || !knownContext(e));
    if (unknown === undefined) return null;
    return {
      code: 'VERIFY_CONTEXT_REFUSED',
      message:
        typeof unknown === 'string'
          ? `the context ${unknown.slice(0, 200)} is not one the verifier has`
          : 'an inline (embedded) @context, which the verifier does not accept',
    };
  };
  const problem = jsonShapeProblem(value, VERIFY_BOUNDS.shape, checkContext);
  if (!problem) return;
  const code = problem.code.startsWith('VERIFY_') ? problem.code : 'VERIFY_INPUT_TOO_COMPLEX';
  throw refuse(code, `The credential cannot be verified: it has ${problem.message}.`);
}
