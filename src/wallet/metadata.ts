import { credentialContexts } from '../credentials/build/build-credential';
import { locales } from '../lti/launch-context';
import { CONFIGURATION_IDS, PRE_AUTHORIZED_GRANT, type WalletUrls } from './protocol';
import { walletText, type WalletMessageKey } from './strings';

/** The algorithms a key proof may use (asymmetric only; what jose verifies on Node). */
export const PROOF_SIGNING_ALGS = ['ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519', 'RS256', 'PS256'] as const;
/** How a key proof may name its key: a `jwk` header, or a `kid` that is a did:key or did:jwk URL. */
export const BINDING_METHODS = ['jwk', 'did:key', 'did:jwk'] as const;

/**
 * Whether the credential configurations ask for a key proof.
 * - `required` (the default): `cryptographic_binding_methods_supported` and `proof_types_supported` are published
 *   and the credential endpoint demands one valid `jwt` key proof with a fresh c_nonce. Note the spec reads
 *   these two parameters as "the credential will be bound to that key" (§12.2.4); ours are not (see credential.ts).
 * - `optional`: both are omitted, which is what OID4VCI 1.0 prescribes for credentials without Cryptographic Key
 *   Binding (§12.2.4, and the errata note in §15.2); a proof that is sent anyway is still verified.
 */
export type HolderProofPolicy = 'required' | 'optional';

const OB_TYPES = ['VerifiableCredential', 'OpenBadgeCredential'];

function display(keys: { name: WalletMessageKey; description?: WalletMessageKey }) {
  return locales.map((locale) => ({
    name: walletText(locale, keys.name),
    locale,
    ...(keys.description ? { description: walletText(locale, keys.description) } : {}),
  }));
}

function claims() {
  const claim = (path: string[], label: WalletMessageKey) => ({ path, display: locales.map((locale) => ({ name: walletText(locale, label), locale })) });
  return [
    claim(['credentialSubject', 'achievement', 'name'], 'claimAchievement'),
    claim(['credentialSubject', 'achievement', 'description'], 'claimDescription'),
    claim(['issuer', 'name'], 'claimIssuer'),
    claim(['validFrom'], 'claimValidFrom'),
  ];
}

/** Credential Issuer Metadata (OID4VCI 1.0 §12.2.4), unsigned (`application/json`), both languages in `display`. */
export function issuerMetadata(o: { urls: WalletUrls; publicUrl: string; holderProof: HolderProofPolicy; logoUri?: string }) {
  const binding =
    o.holderProof === 'required'
      ? {
          cryptographic_binding_methods_supported: [...BINDING_METHODS],
          proof_types_supported: { jwt: { proof_signing_alg_values_supported: [...PROOF_SIGNING_ALGS] } },
        }
      : {};
  return {
    credential_issuer: o.urls.credentialIssuer,
    credential_endpoint: o.urls.credentialEndpoint,
    nonce_endpoint: o.urls.nonceEndpoint,
    display: display({ name: 'issuerName' }).map((d) => (o.logoUri ? { ...d, logo: { uri: o.logoUri } } : d)),
    credential_configurations_supported: {
      [CONFIGURATION_IDS.jwt]: {
        format: 'jwt_vc_json',
        credential_signing_alg_values_supported: ['RS256'],
        ...binding,
        credential_definition: { type: OB_TYPES },
        credential_metadata: { display: display({ name: 'credentialName', description: 'credentialDescriptionJwt' }), claims: claims() },
      },
      [CONFIGURATION_IDS.ldp]: {
        format: 'ldp_vc',
        credential_signing_alg_values_supported: ['eddsa-rdfc-2022'],
        ...binding,
        credential_definition: { '@context': credentialContexts(o.publicUrl), type: OB_TYPES },
        credential_metadata: { display: display({ name: 'credentialName', description: 'credentialDescriptionLdp' }), claims: claims() },
      },
    },
  };
}

/**
 * OAuth 2.0 Authorization Server Metadata (RFC 8414) of the issuer acting as its own AS. Only the pre-authorized
 * code grant exists, so there is no authorization endpoint and `response_types_supported` is omitted (§12.3 allows
 * it). Wallets need no client registration (`pre-authorized_grant_anonymous_access_supported`).
 */
export function authorizationServerMetadata(urls: WalletUrls) {
  return {
    issuer: urls.credentialIssuer,
    token_endpoint: urls.tokenEndpoint,
    grant_types_supported: [PRE_AUTHORIZED_GRANT],
    token_endpoint_auth_methods_supported: ['none'],
    'pre-authorized_grant_anonymous_access_supported': true,
    authorization_details_types_supported: ['openid_credential'],
  };
}
