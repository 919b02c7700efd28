import contextV1 from './context-v1.json';

/**
 * The product's JSON-LD extension for the EU micro-credential elements and Latvian text (see README.md).
 * The document is the same for every deployment; only the URL it is served at depends on the tool's base URL.
 */

/** Every term of the extension expands to an IRI under this vocabulary; it never depends on the deployment. */
export const EU_VOCABULARY = 'https://w3id.org/ob3-eu-microcredential/v1#';

/** Where the tool serves the context (the HTTP route serves `euExtensionContextDocument()` at this path). */
export const EU_CONTEXT_PATH = '/contexts/eu-microcredential/v1';

export const euExtensionContextUrl = (baseUrl: string) => `${baseUrl.replace(/\/+$/, '')}${EU_CONTEXT_PATH}`;

/** A fresh copy of the context document, e.g. for the HTTP route (content type application/ld+json). */
export const euExtensionContextDocument = (): typeof contextV1 => structuredClone(contextV1);

/** Pinned documents for `createDocumentLoader({ extra })`, so signing and verifying stay offline. */
export const euExtensionContextDocuments = (baseUrl: string): ReadonlyMap<string, unknown> =>
  new Map<string, unknown>([[euExtensionContextUrl(baseUrl), euExtensionContextDocument()]]);
