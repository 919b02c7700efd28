import { createDocumentLoader, type DocumentLoader } from '../../../../src/credentials/contexts/document-loader';
import { buildDidDocument, didUrlResolver, generateEphemeralIssuerKeys, type IssuerKeys } from '../../../../src/credentials/keys';
import type { PublishedIssuerKey } from '../../../../src/store/issuer-keys';

export const ISSUER_DID = 'did:web:badges.example.edu:issuers:platform-1';

/** The public half of in-memory keys, shaped like what the store publishes. */
export function published(keys: IssuerKeys, status: 'active' | 'retired' = 'active'): PublishedIssuerKey[] {
  return Object.values(keys.keys).map((k) => ({
    issuerId: keys.issuerId,
    kid: k.kid,
    type: k.type,
    status,
    publicJwk: { ...k.publicJwk },
    ...(k.publicKeyMultibase ? { publicKeyMultibase: k.publicKeyMultibase } : {}),
    createdAt: new Date(),
  }));
}

/** An issuer with ephemeral keys whose did:web document the returned loader resolves offline. */
export async function ephemeralIssuer(did = ISSUER_DID): Promise<{ keys: IssuerKeys; did: string; documentLoader: DocumentLoader }> {
  const keys = await generateEphemeralIssuerKeys('platform-1');
  const document = buildDidDocument(did, published(keys));
  const documentLoader = createDocumentLoader({ resolveDid: didUrlResolver(async (d) => (d === did ? document : null)) });
  return { keys, did, documentLoader };
}
