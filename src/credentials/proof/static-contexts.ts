import { isPinnedContext, type DocumentLoader, type RemoteDocument } from '../contexts/document-loader';

const wrapped = new WeakMap<DocumentLoader, DocumentLoader>();

/**
 * Marks pinned contexts as `tag: 'static'`, which lets jsonld keep them, resolved and processed, in its
 * process-wide cache. Without the tag every sign and verify fetches and re-processes the large OB context, which
 * made eddsa-rdfc-2022 signing about ten times slower. Only pinned URLs are tagged: they never change, while
 * caller-supplied documents may differ from one loader to the next.
 */
export function withStaticContexts(loader: DocumentLoader): DocumentLoader {
  let fast = wrapped.get(loader);
  if (!fast) {
    fast = async (url: string) => {
      const doc = await loader(url);
      return isPinnedContext(url) ? ({ ...doc, tag: 'static' } as RemoteDocument) : doc;
    };
    wrapped.set(loader, fast);
  }
  return fast;
}
