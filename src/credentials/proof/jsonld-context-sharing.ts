/**
 * Faster JSON-LD processing of our credentials, switched on only after it is shown to change nothing.
 *
 * jsonld 9 clones the active context, deep, every time it applies a context: for each of OB 3.0's type-scoped
 * contexts (one per class) and each revert from one. Our credential (VCDM 2.0 + OB 3.0.3 + extensions + the EU
 * context: several hundred terms, ~27 typed nodes) spends 60-70 % of its eddsa-rdfc-2022 signing time copying
 * term definitions and collecting the garbage (upstream: digitalbazaar/jsonld.js#414).
 *
 * jsonld never changes a term definition once it is in a context's map: createTermDefinition builds a new object
 * and `set`s it, and a revert puts the previous context back. So a child context can copy the Map and
 * `protected` and share the definitions. That is what `sharingClone` does.
 *
 * Safety: `ensureContextSharing(sample)` canonicalises a sample credential with the stock clone and with the
 * sharing one and keeps sharing only if both N-Quads are identical; on any difference, or a jsonld whose
 * internals are not the ones checked here, jsonld stays stock (slower, same output). The tests compare both
 * clones on every OB 3.0 example and the official test vector.
 */
import type { DocumentLoader } from '../contexts/document-loader';

interface ActiveContext {
  mappings: Map<string, unknown>;
  protected: Record<string, unknown>;
  previousContext?: ActiveContext;
  clone(this: ActiveContext): ActiveContext;
  [key: string]: unknown;
}

interface JsonldContextModule {
  getInitialContext(options: { processingMode?: string }): ActiveContext;
}

interface JsonldModule {
  canonize(input: unknown, options: Record<string, unknown>): Promise<string>;
}

/** The jsonld major version whose context internals were read for this. */
const CHECKED_MAJOR = '9';
const PROCESSING_MODES = [undefined, 'json-ld-1.0', 'json-ld-1.1'];

function sharingClone(this: ActiveContext): ActiveContext {
  const child: ActiveContext = {
    mappings: new Map(this.mappings),
    clone: this.clone,
    inverse: null,
    getInverse: this.getInverse,
    protected: { ...this.protected },
    revertToPreviousContext: this.revertToPreviousContext,
  };
  if (this.previousContext) child.previousContext = this.previousContext.clone();
  for (const key of ['@base', '@language', '@vocab']) if (key in this) child[key] = this[key];
  return child;
}

/**
 * Every active context copies its parent's `clone`, and jsonld caches processed contexts for reuse across
 * documents. So `clone` is replaced once, on the initial contexts, by one that asks `sharing` on every call:
 * switching then applies at once to every context, cached ones included.
 */
let sharing = false;
let installed: boolean | null = null;

function install(): boolean {
  if (installed !== null) return installed;
  installed = false;
  try {
    const version = (require('jsonld/package.json') as { version: string }).version;
    if (version.split('.')[0] !== CHECKED_MAJOR) return false;

    const context = require('jsonld/lib/context.js') as JsonldContextModule;
    // every active context descends from one of these cached initial contexts
    const initial = PROCESSING_MODES.map((processingMode) => context.getInitialContext({ processingMode }));
    if (initial.some((c) => typeof c.clone !== 'function' || !(c.mappings instanceof Map))) return false;
    for (const c of initial) {
      const stockClone = c.clone; // jsonld makes one per initial context
      c.clone = function dispatchingClone(this: ActiveContext): ActiveContext {
        return sharing ? sharingClone.call(this) : stockClone.call(this);
      };
    }
    installed = true;
  } catch {
    installed = false;
  }
  return installed;
}

// before any credential is processed, so that every context jsonld caches carries the switch
install();

/** Turns sharing on or off; false when this jsonld is not the one it was made for. */
export function setContextSharing(on: boolean): boolean {
  if (!install()) return false;
  sharing = on;
  return true;
}

export function contextSharingEnabled(): boolean {
  return sharing;
}

const canonizeWithJsonld = (doc: object, documentLoader: DocumentLoader): Promise<string> =>
  (require('jsonld') as JsonldModule).canonize(doc, { algorithm: 'RDFC-1.0', format: 'application/n-quads', documentLoader, safe: true, base: null });

/**
 * Compares the canonical form of `sample` under both clones; keeps sharing on only when they are identical.
 * 'unchecked' when the sample cannot be canonicalised at all (a bad credential, not a verdict on sharing).
 * `canonize` is replaceable for tests.
 */
export async function checkContextSharing(
  sample: object,
  documentLoader: DocumentLoader,
  canonize: (doc: object, loader: DocumentLoader) => Promise<string> = canonizeWithJsonld,
): Promise<'shared' | 'stock' | 'unchecked'> {
  if (!setContextSharing(false)) return 'stock';
  let stock: string;
  try {
    stock = await canonize(sample, documentLoader);
  } catch {
    return 'unchecked';
  }
  try {
    setContextSharing(true);
    if ((await canonize(sample, documentLoader)) === stock) return 'shared';
    process.emitWarning('jsonld context sharing changed a canonical form: JSON-LD processing stays stock (slower, same output)');
  } catch (err) {
    process.emitWarning(`jsonld context sharing failed where stock jsonld did not (${(err as Error).message}): JSON-LD processing stays stock`);
  }
  setContextSharing(false);
  return 'stock';
}

let verdict: Promise<'shared' | 'stock' | 'unchecked'> | null = null;
let allowed = true;

/** With false, jsonld stays (or goes back to) stock: for comparisons, and as a switch should sharing ever misbehave. */
export function allowContextSharing(allow: boolean): void {
  allowed = allow;
  if (!allow) setContextSharing(false);
}

/**
 * Once per process, on the first credential signed: the check above, with that credential as the sample. Pass
 * a loader that does not mark contexts static: jsonld then keeps no processed contexts between the two
 * canonicalisations, so the second really builds every context with sharing.
 */
export async function ensureContextSharing(sample: object, documentLoader: DocumentLoader): Promise<boolean> {
  if (!allowed) return false;
  const pending = (verdict ??= checkContextSharing(sample, documentLoader));
  const result = await pending;
  if (result === 'unchecked' && verdict === pending) verdict = null; // the next credential is the sample
  if (result !== 'shared' || !allowed) {
    if (!allowed) setContextSharing(false); // switched off while the check ran
    return false;
  }
  setContextSharing(true); // cheap; keeps it on even if something switched it off since the check
  return true;
}
