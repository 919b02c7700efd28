export { IssuerKeyManager, createIssuerKeyManager, type IssuerKeyManagerOptions } from './manager';
export { IssuerKeys, type PublicIssuerKey, type JwsAlgorithm, type JwsSigner, type DataIntegritySigner } from './issuer-keys';
export { didWebFromUrl, didWebDocumentUrl } from './did-web';
export { dereferenceDidUrl, didUrlResolver, resolveDidKey } from './did-resolver';
export { buildDidDocument, buildJwks, DID_CONTEXT_V1, MULTIKEY_CONTEXT_V1, type DidDocument, type VerificationMethod } from './publication';
export { ISSUER_KEY_TYPES } from './key-material';
export { generateEphemeralIssuerKeys } from './ephemeral-keys';
