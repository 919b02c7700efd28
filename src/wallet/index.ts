import type { Connection } from 'mongoose';
import type { Locale } from '../lti/launch-context';
import type { IssuedCredentialRepository } from '../store/issued-credentials';
import type { IndexDefinition } from '../store/indexes';
import { deliverCredential, type CredentialResponse, type IssueCopy } from './credential';
import { authorizationServerMetadata, issuerMetadata, type HolderProofPolicy } from './metadata';
import { NonceRepository } from './nonce-store';
import { createOffer, resolveOffer, type CredentialOfferJson, type OfferResult } from './offer';
import { WalletOfferRepository } from './offers-store';
import { SingleUseRegistry } from './single-use';
import { DEFAULT_TIMINGS, walletUrls, type WalletTimings, type WalletUrls } from './protocol';
import { walletText } from './strings';
import { exchangePreAuthorizedCode, type TokenResponse } from './token';

export { WalletError, isWalletError } from './errors';
export type { HolderProofPolicy } from './metadata';

export interface WalletDeps {
  connection: Connection;
  publicUrl: string;
  credentials: IssuedCredentialRepository;
  /** Issues (or finds) the award's copy bound to a holder DID; without it the award itself is delivered. */
  issueCopy?: IssueCopy;
  now?: () => number;
  /** See HolderProofPolicy; default `required`. */
  holderProof?: HolderProofPolicy;
  /** Digits of a transaction code shown on the page and asked by the wallet; default 0 (none). */
  txCodeLength?: number;
  timings?: Partial<WalletTimings>;
  /** Issuer logo for the wallet's display metadata. */
  logoUri?: string;
}

/** OID4VCI 1.0 issuer of already-issued credentials, pre-authorized code flow: what the routes call. */
export interface Wallet {
  urls: WalletUrls;
  offers: WalletOfferRepository;
  nonces: NonceRepository;
  createOffer(who: { platformId: string; userId: string }, credentialId: string): Promise<OfferResult>;
  resolveOffer(offerId: string, locale: Locale): Promise<CredentialOfferJson>;
  token(form: Record<string, unknown> | undefined): Promise<TokenResponse>;
  nonce(): Promise<{ c_nonce: string }>;
  credential(authorization: string | undefined, body: unknown): Promise<CredentialResponse>;
  issuerMetadata(): ReturnType<typeof issuerMetadata>;
  authorizationServerMetadata(): ReturnType<typeof authorizationServerMetadata>;
}

export function createWallet(deps: WalletDeps): Wallet {
  const now = deps.now ?? Date.now;
  const timings: WalletTimings = { ...DEFAULT_TIMINGS, ...deps.timings };
  const holderProof = deps.holderProof ?? 'required';
  const urls = walletUrls(deps.publicUrl);
  const spent = new SingleUseRegistry(deps.connection, now);
  const offers = new WalletOfferRepository(deps.connection, spent, now);
  const nonces = new NonceRepository(deps.connection, spent, timings.nonceTtlSeconds, now);
  const offerDeps = { urls, offers, credentials: deps.credentials, timings, now, txCodeLength: deps.txCodeLength };
  const asMetadata = authorizationServerMetadata(urls);
  const metadata = issuerMetadata({ urls, publicUrl: deps.publicUrl, holderProof, logoUri: deps.logoUri });
  return {
    urls,
    offers,
    nonces,
    createOffer: (who, id) => createOffer(offerDeps, who, id),
    resolveOffer: (offerId, locale) => resolveOffer(offerDeps, offerId, walletText(locale, 'txDescription', { length: deps.txCodeLength ?? 0 })),
    token: (form) => exchangePreAuthorizedCode({ offers, credentials: deps.credentials, timings, now }, form),
    nonce: async () => ({ c_nonce: (await nonces.issue()).nonce }),
    credential: (authorization, body) =>
      deliverCredential(
        { credentialIssuer: urls.credentialIssuer, offers, nonces, credentials: deps.credentials, issueCopy: deps.issueCopy, timings, holderProof, now },
        authorization,
        body,
      ),
    issuerMetadata: () => metadata,
    authorizationServerMetadata: () => asMetadata,
  };
}

/** Indexes of the wallet collections, for ensureIndexes() in buildApp. */
export const walletIndexes = (): IndexDefinition[] => [...WalletOfferRepository.indexes(), ...NonceRepository.indexes(), ...SingleUseRegistry.indexes()];

/** Collections whose documents carry `expiresAt`, for the expiry sweeper in main.ts. */
export const WALLET_EXPIRING_COLLECTIONS = [WalletOfferRepository.collection, NonceRepository.collection, SingleUseRegistry.collection];
