import { DID_CONTEXT_V1, MULTIKEY_CONTEXT_V1 } from './publication';
import { ed25519PublicKeyFromMultibase } from './multibase';

type DidDocumentLike = { id?: unknown; '@context'?: unknown; verificationMethod?: unknown };

/**
 * Dereferences a DID URL against its DID document: the document itself without a fragment, else the verification
 * method with that id (absolute or relative), carrying the document's @context so JSON-LD consumers and
 * Multikey parsers see the terms it uses. Null when the document has no such method.
 */
export function dereferenceDidUrl(document: DidDocumentLike, didUrl: string): object | null {
  const hash = didUrl.indexOf('#');
  if (hash < 0) return document;
  const did = didUrl.slice(0, hash);
  const fragment = didUrl.slice(hash);
  const methods = Array.isArray(document.verificationMethod) ? document.verificationMethod : [];
  const vm = methods.find(
    (m): m is Record<string, unknown> => typeof m === 'object' && m !== null && (m.id === didUrl || (m.id === fragment && document.id === did)),
  );
  if (!vm) return null;
  return { '@context': document['@context'], ...vm, id: didUrl };
}

/**
 * A `resolveDid` for createDocumentLoader(): looks the DID up with `lookup` (e.g. this tool's own issuers, or
 * did:key) and dereferences any fragment.
 */
export function didUrlResolver(lookup: (did: string) => Promise<DidDocumentLike | null>): (didUrl: string) => Promise<object | null> {
  return async (didUrl) => {
    const did = didUrl.split('#', 1)[0]!;
    const document = await lookup(did);
    return document ? dereferenceDidUrl(document, didUrl) : null;
  };
}

/**
 * did:key for Ed25519 (`did:key:z6Mk…`), resolved offline: one Multikey verification method `did#z6Mk…`,
 * authorised for assertions. Null for anything else.
 */
export function resolveDidKey(did: string): DidDocumentLike | null {
  const match = /^did:key:(z6Mk[1-9A-HJ-NP-Za-km-z]+)$/.exec(did);
  if (!match || !ed25519PublicKeyFromMultibase(match[1]!)) return null;
  const id = `${did}#${match[1]}`;
  return {
    '@context': [DID_CONTEXT_V1, MULTIKEY_CONTEXT_V1],
    id: did,
    verificationMethod: [{ id, type: 'Multikey', controller: did, publicKeyMultibase: match[1] }],
    assertionMethod: [id],
  } as DidDocumentLike;
}
