import type { IssuerProfile } from '../credentials/build/types';
import { didWebDocumentUrl, didWebFromUrl } from '../credentials/keys';
import type { InstitutionProfile } from '../issuers/profile';

/**
 * Each platform (institution) is its own issuer, published under the tool: profile at
 * `${publicUrl}/issuers/<platformId>`, did:web `did:web:<host>:issuers:<platformId>` whose document is served at
 * `${publicUrl}/issuers/<platformId>/did.json` (did:web resolution of a DID with a path).
 */
export interface IssuerIdentity {
  issuerId: string;
  did: string;
  profileUrl: string;
  didDocumentUrl: string;
}

export function issuerIdentity(publicUrl: string, platformId: string): IssuerIdentity {
  const profileUrl = `${publicUrl}/issuers/${platformId}`;
  const did = didWebFromUrl(profileUrl);
  return { issuerId: platformId, did, profileUrl, didDocumentUrl: didWebDocumentUrl(did) ?? `${profileUrl}/did.json` };
}

/** The platform id a did:web of ours names, or null for any other DID. */
export function platformIdOfDid(publicUrl: string, did: string): string | null {
  const base = did.split('#')[0]!;
  const prefix = `${didWebFromUrl(`${publicUrl}/issuers`)}:`;
  if (!base.startsWith(prefix)) return null;
  const id = base.slice(prefix.length);
  return /^[a-f0-9]{24}$/.test(id) ? id : null;
}

export function issuerProfile(identity: IssuerIdentity, institution: InstitutionProfile): IssuerProfile {
  return {
    id: identity.profileUrl,
    did: identity.did,
    name: institution.name,
    url: institution.url,
    email: institution.email,
    address: institution.address,
    ...(institution.otherIdentifier ? { otherIdentifier: institution.otherIdentifier } : {}),
    ...(institution.description ? { description: { en: institution.description } } : {}),
  };
}

/** The issuer Profile as published at its https URL (OB 3.0 Profile). */
export function publishedProfile(identity: IssuerIdentity, institution: InstitutionProfile): Record<string, unknown> {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: identity.did,
    type: ['Profile'],
    name: institution.name.en,
    url: institution.url,
    email: institution.email,
    address: { type: ['Address'], ...institution.address },
    otherIdentifier: [
      { type: 'IdentifierEntry', identifier: identity.profileUrl, identifierType: 'ext:ProfileUrl' },
      ...(institution.otherIdentifier ?? []).map((o) => ({
        type: 'IdentifierEntry',
        identifier: o.identifier,
        identifierType: o.identifierType.startsWith('ext:') ? o.identifierType : 'identifier',
      })),
    ],
  };
}
