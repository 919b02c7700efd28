import { withoutUndefined } from './json';
import { languageMap } from './localized';
import type { IssuerProfile, JsonObject } from './types';

/**
 * The published Profile URL is kept as an identifier of the issuer: `id` is the did:web, which proofs
 * (`did:web:…#key`) and verifiers resolve; the https Profile is where people read about the institution.
 */
export const PROFILE_URL_IDENTIFIER_TYPE = 'ext:ProfileUrl';

/** OB 3.0 Profile of the awarding body (EU elements "awarding body" and "country of the issuer"). */
export function issuerProfileJson(issuer: IssuerProfile): JsonObject {
  const { address } = issuer;
  return withoutUndefined({
    id: issuer.did,
    type: ['Profile'],
    name: issuer.name.en,
    nameLocalized: languageMap(issuer.name),
    description: issuer.description?.en,
    descriptionLocalized: issuer.description && languageMap(issuer.description),
    url: issuer.url,
    email: issuer.email,
    image: issuer.imageUrl === undefined ? undefined : { id: issuer.imageUrl, type: 'Image' },
    address: withoutUndefined({
      type: ['Address'],
      addressCountry: address.addressCountry,
      addressCountryCode: address.addressCountryCode,
      addressLocality: address.addressLocality,
      postalCode: address.postalCode,
      streetAddress: address.streetAddress,
    }),
    otherIdentifier: [
      { type: 'IdentifierEntry', identifier: issuer.id, identifierType: PROFILE_URL_IDENTIFIER_TYPE },
      ...(issuer.otherIdentifier ?? []).map((entry) => ({
        type: 'IdentifierEntry',
        identifier: entry.identifier,
        identifierType: entry.identifierType,
      })),
    ],
  });
}
