import type { IssuedCredential, IssuedCredentialRepository } from '../store/issued-credentials';
import { WalletError } from './errors';
import type { WalletOfferRepository } from './offers-store';
import { ALL_CONFIGURATION_IDS, offerLink, PRE_AUTHORIZED_GRANT, type WalletTimings, type WalletUrls } from './protocol';
import { isToken, numericCode, preAuthorizedCodeOf, randomToken, sha256 } from './secrets';

export interface OfferDeps {
  urls: WalletUrls;
  offers: WalletOfferRepository;
  credentials: IssuedCredentialRepository;
  timings: WalletTimings;
  now: () => number;
  /** Digits of the transaction code (OID4VCI §4.1.1 `tx_code`); 0 or absent: no transaction code. */
  txCodeLength?: number;
}

export type OfferRefusal = 'not-found' | 'revoked' | 'suspended';

export interface CreatedOffer {
  offerUri: string;
  /** `openid-credential-offer://?credential_offer_uri=…`: the QR code's content and the same-device link. */
  link: string;
  /** Shown to the learner once, never stored in clear. */
  txCode: string | null;
  expiresAt: Date;
}

/**
 * Whether a learner may take this credential into a wallet: it must be theirs (same platform, same user), issued,
 * and active. Anything not theirs is `not-found`, so the page reveals nothing about other people's credentials.
 */
export function eligibility(record: IssuedCredential | null, who: { platformId: string; userId: string }): OfferRefusal | null {
  if (!record || record.state !== 'issued' || !record.json || !record.jwt) return 'not-found';
  if (record.platformId !== who.platformId || record.userId !== who.userId) return 'not-found';
  if (record.status === 'revoked') return 'revoked';
  if (record.status === 'suspended') return 'suspended';
  return null;
}

/** The offer, or why not; `credential` is the learner's own record (null when it is not theirs or not issued). */
export type OfferResult =
  { ok: true; offer: CreatedOffer; credential: IssuedCredential } | { ok: false; reason: OfferRefusal; credential: IssuedCredential | null };

/** Creates a single-use offer for one of the learner's own credentials, or says why not. */
export async function createOffer(deps: OfferDeps, who: { platformId: string; userId: string }, credentialId: string): Promise<OfferResult> {
  const record = await deps.credentials.findById(credentialId);
  const refusal = eligibility(record, who);
  if (refusal === 'not-found') return { ok: false, reason: refusal, credential: null };
  if (refusal) return { ok: false, reason: refusal, credential: record };
  const offerId = randomToken();
  const txLength = deps.txCodeLength ?? 0;
  const txCode = txLength > 0 ? numericCode(txLength) : null;
  const offerExpiresAt = new Date(deps.now() + deps.timings.offerTtlSeconds * 1000);
  await deps.offers.create({
    offerIdHash: sha256(offerId),
    codeHash: sha256(preAuthorizedCodeOf(offerId)),
    txCodeHash: txCode === null ? null : sha256(txCode),
    txCodeLength: txCode === null ? null : txLength,
    credentialId: record!.id,
    platformId: record!.platformId,
    userId: record!.userId,
    configurationIds: [...ALL_CONFIGURATION_IDS],
    offerExpiresAt,
  });
  const offerUri = deps.urls.offerUri(offerId);
  return { ok: true, offer: { offerUri, link: offerLink(offerUri), txCode, expiresAt: offerExpiresAt }, credential: record! };
}

export interface CredentialOfferJson {
  credential_issuer: string;
  credential_configuration_ids: string[];
  grants: Record<string, { 'pre-authorized_code': string; tx_code?: { input_mode: 'numeric'; length: number; description: string } }>;
}

/**
 * The Credential Offer object behind an offer URI (OID4VCI 1.0 §4.1.1, §4.1.3). Open offers only: an unknown or
 * expired one is `offer_not_found`, a redeemed one `offer_used`. The credential's status is checked again here, so
 * a credential revoked after the page was shown is refused before the wallet goes any further.
 */
export async function resolveOffer(deps: OfferDeps, offerId: string, txDescription: string): Promise<CredentialOfferJson> {
  const offer = isToken(offerId) ? await deps.offers.findByOfferIdHash(sha256(offerId)) : null;
  if (!offer || offer.offerExpiresAt.getTime() <= deps.now())
    throw new WalletError('offer_not_found', 'This credential offer is unknown or has expired. Open the wallet page again for a new one.');
  if (offer.redeemedAt) throw new WalletError('offer_used', 'This credential offer has already been used. Open the wallet page again for a new one.');
  const record = await deps.credentials.findById(offer.credentialId);
  const refusal = eligibility(record, offer);
  if (refusal === 'revoked' || refusal === 'suspended')
    throw new WalletError('offer_refused', `The credential of this offer has been ${refusal} by the issuer and cannot be added to a wallet.`);
  if (refusal) throw new WalletError('offer_not_found', 'The credential of this offer no longer exists.');
  return {
    credential_issuer: deps.urls.credentialIssuer,
    credential_configuration_ids: offer.configurationIds,
    grants: {
      [PRE_AUTHORIZED_GRANT]: {
        'pre-authorized_code': preAuthorizedCodeOf(offerId),
        ...(offer.txCodeLength ? { tx_code: { input_mode: 'numeric' as const, length: offer.txCodeLength, description: txDescription.slice(0, 300) } } : {}),
      },
    },
  };
}
