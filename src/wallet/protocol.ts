/**
 * OpenID for Verifiable Credential Issuance 1.0 (final, September 2025): the names and addresses this tool uses
 * as a Credential Issuer that is also its own Authorization Server (pre-authorized code flow only).
 */

export const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
export const PROOF_JWT_TYP = 'openid4vci-proof+jwt';
export const OFFER_SCHEME = 'openid-credential-offer://';

/** The two forms every issued credential already has: VC-JWT (RS256) and Data Integrity (eddsa-rdfc-2022). */
export const CONFIGURATION_IDS = { jwt: 'OpenBadgeCredential_jwt', ldp: 'OpenBadgeCredential_ldp' } as const;
export type ConfigurationId = (typeof CONFIGURATION_IDS)[keyof typeof CONFIGURATION_IDS];
export const ALL_CONFIGURATION_IDS: ConfigurationId[] = [CONFIGURATION_IDS.jwt, CONFIGURATION_IDS.ldp];
export const isConfigurationId = (v: unknown): v is ConfigurationId => typeof v === 'string' && (ALL_CONFIGURATION_IDS as string[]).includes(v);

/** Lifetimes. The access token stays at 5 minutes: the spec calls longer bearer tokens long-lived (§13.7). */
export interface WalletTimings {
  offerTtlSeconds: number;
  accessTokenTtlSeconds: number;
  nonceTtlSeconds: number;
  /** How far a proof's `iat` may be in the future (wallet clock ahead of ours). */
  proofClockSkewSeconds: number;
  /** How old a proof's `iat` may be; the single-use c_nonce is the real freshness check. */
  proofMaxAgeSeconds: number;
  /** Wrong transaction codes before the offer is burnt. */
  maxTxCodeFailures: number;
}

export const DEFAULT_TIMINGS: WalletTimings = {
  offerTtlSeconds: 600,
  accessTokenTtlSeconds: 300,
  nonceTtlSeconds: 300,
  proofClockSkewSeconds: 300,
  proofMaxAgeSeconds: 600,
  maxTxCodeFailures: 5,
};

/** Every absolute address of the issuer, derived from the tool's public URL (which may carry a path). */
export interface WalletUrls {
  /** The Credential Issuer Identifier, also the Authorization Server issuer identifier. */
  credentialIssuer: string;
  credentialEndpoint: string;
  nonceEndpoint: string;
  tokenEndpoint: string;
  offerUri(offerId: string): string;
  /** Express paths (relative to the app) of the well-known documents. */
  paths: {
    issuerMetadata: string[];
    authorizationServerMetadata: string[];
  };
}

/**
 * OID4VCI 1.0 §12.2.2 and RFC 8414 §3: the well-known string is inserted between the host and the path of the
 * identifier: `https://h/p/wallet` → `https://h/.well-known/openid-credential-issuer/p/wallet`. The appended form
 * (`…/wallet/.well-known/openid-credential-issuer`, used by draft-13 era wallets) is served too, with the same body.
 */
export function wellKnownUrl(identifier: string, name: string): string {
  const url = new URL(identifier);
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}/.well-known/${name}${path}`;
}

export function walletUrls(publicUrl: string): WalletUrls {
  const base = publicUrl.replace(/\/+$/, '');
  const credentialIssuer = `${base}/wallet`;
  const pathOf = (u: string) => new URL(u).pathname;
  return {
    credentialIssuer,
    credentialEndpoint: `${credentialIssuer}/credential`,
    nonceEndpoint: `${credentialIssuer}/nonce`,
    tokenEndpoint: `${credentialIssuer}/token`,
    offerUri: (offerId) => `${credentialIssuer}/offers/${offerId}`,
    paths: {
      issuerMetadata: [pathOf(wellKnownUrl(credentialIssuer, 'openid-credential-issuer')), '/wallet/.well-known/openid-credential-issuer'],
      authorizationServerMetadata: [pathOf(wellKnownUrl(credentialIssuer, 'oauth-authorization-server')), '/wallet/.well-known/oauth-authorization-server'],
    },
  };
}

/** The link a wallet opens (QR code or same-device link): the offer by reference. */
export const offerLink = (offerUri: string) => `${OFFER_SCHEME}?credential_offer_uri=${encodeURIComponent(offerUri)}`;
