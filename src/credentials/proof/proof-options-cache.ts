import { isPinnedContext } from '../contexts/document-loader';
import type { DataIntegrityProofSuite, JsonObject } from './libs';

type CanonizeProof = (proof: JsonObject, options: { document: JsonObject; [k: string]: unknown }) => Promise<string>;

const MAX_ENTRIES = 64;
const cache = new Map<string, Promise<string>>();

/**
 * Reuses the canonical form of the proof options. They differ between credentials only by `created` (whole
 * seconds) when the same issuer signs under the same contexts, so a burst of issues canonicalises them once a
 * second instead of once per credential (about a fifth of the signing time). Only documents whose contexts are
 * all pinned are cached: their canonical form cannot depend on which loader was passed.
 */
export function cacheProofCanonicalisation(suite: DataIntegrityProofSuite): void {
  const target = suite as DataIntegrityProofSuite & { canonizeProof: CanonizeProof };
  const original = target.canonizeProof.bind(target);
  target.canonizeProof = (proof, options) => {
    const context = options.document['@context'];
    const contexts = Array.isArray(context) ? context : [context];
    if (!contexts.every((c) => typeof c === 'string' && isPinnedContext(c))) return original(proof, options);
    const { proofValue: _ignored, ...proofOptions } = proof;
    const key = JSON.stringify([contexts, proofOptions]);
    let canonical = cache.get(key);
    if (!canonical) {
      canonical = original(proof, options);
      canonical.catch(() => cache.delete(key));
      if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
      cache.set(key, canonical);
    }
    return canonical;
  };
}
