/**
 * Bounds on the shape of untrusted JSON, checked without recursion so that no input (however deep) can
 * overflow the stack. Every later step that walks JSON recursively (JSON-LD expansion, schema validation,
 * structured clone, JSON.stringify, BSON) is then safe to run on what passes.
 */

export interface JsonShapeLimits {
  /** Nesting of objects and arrays (the top-level value is depth 1). */
  maxDepth: number;
  /** Values of any kind, counted one per object, array, string, number, boolean and null. */
  maxNodes: number;
  /** Items of any one array. */
  maxArrayItems: number;
}

export interface JsonShapeProblem {
  code: string;
  message: string;
}

/**
 * Deepest nesting of a JSON text, read character by character (strings skipped, escapes honoured); stops as
 * soon as `stopAt` is passed. Malformed text gives a number too: the parser reports that error itself.
 */
export function jsonTextDepth(text: string, stopAt = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max && (max = depth) > stopAt) return max;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** The first bound a parsed JSON value breaks, or null. Iterative: a value of any depth is safe to pass. */
export function jsonShapeProblem(
  value: unknown,
  limits: JsonShapeLimits,
  visit?: (key: string, value: unknown) => JsonShapeProblem | null,
): JsonShapeProblem | null {
  const stack: Array<[unknown, number]> = [[value, 1]];
  let nodes = 0;
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (++nodes > limits.maxNodes) return { code: 'JSON_TOO_MANY_NODES', message: `more than ${limits.maxNodes} values` };
    if (v === null || typeof v !== 'object') continue;
    if (depth > limits.maxDepth) return { code: 'JSON_TOO_DEEP', message: `nested deeper than ${limits.maxDepth} levels` };
    if (Array.isArray(v)) {
      if (v.length > limits.maxArrayItems) return { code: 'JSON_ARRAY_TOO_LONG', message: `an array of ${v.length} items (at most ${limits.maxArrayItems})` };
      for (const item of v) stack.push([item, depth + 1]);
      continue;
    }
    for (const [key, item] of Object.entries(v)) {
      const problem = visit?.(key, item);
      if (problem) return problem;
      stack.push([item, depth + 1]);
    }
  }
  return null;
}
