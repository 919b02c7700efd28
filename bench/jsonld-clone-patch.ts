/**
 * EXPERIMENT ONLY (BENCH_ISSUE_EXPERIMENTS=1, applied inside worker threads, never in the bench's own process):
 * jsonld 9's active-context clone with structural sharing.
 *
 * jsonld clones the whole active context (every term definition, deep) each time it processes a context:
 * for each type-scoped context (OB 3.0 defines one per class) and each revert to the previous context. With
 * VCDM 2.0 + OB 3.0.3 + extensions + the EU context that is several hundred term definitions, ~27 times per
 * product credential: 60-70 % of eddsa-rdfc-2022 signing time goes to `api.clone` and the garbage it makes
 * (upstream: digitalbazaar/jsonld.js#414). A term definition object is never changed once it is in a map
 * (createTermDefinition builds a new object and `set`s it; reverts put the previous object back), so copying
 * the Map and the `protected` record, and sharing the definitions, gives the same contexts. The bench checks
 * that with this patch the signed credential is byte-identical to the stock one before it reports a rate.
 */
export function patchJsonldActiveContextClone(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const context = require('jsonld/lib/context.js') as { getInitialContext(options: { processingMode?: string }): { clone: unknown } };
  function sharingClone(this: Record<string, unknown> & { mappings: Map<string, unknown>; protected: Record<string, unknown>; previousContext?: { clone(): unknown } }) {
    const child: Record<string, unknown> = {
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
  // every active context descends from one of the cached initial contexts and copies its `clone`
  for (const processingMode of [undefined, 'json-ld-1.0', 'json-ld-1.1']) context.getInitialContext({ processingMode }).clone = sharingClone;
}
