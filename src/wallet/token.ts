import type { IssuedCredentialRepository } from '../store/issued-credentials';
import { WalletError } from './errors';
import { eligibility } from './offer';
import type { WalletOfferRepository } from './offers-store';
import { isConfigurationId, PRE_AUTHORIZED_GRANT, type ConfigurationId, type WalletTimings } from './protocol';
import { isToken, randomToken, sha256 } from './secrets';

export interface TokenDeps {
  offers: WalletOfferRepository;
  credentials: IssuedCredentialRepository;
  timings: WalletTimings;
  now: () => number;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  authorization_details?: Array<{ type: 'openid_credential'; credential_configuration_id: ConfigurationId; credential_identifiers: string[] }>;
}

const param = (form: Record<string, unknown>, name: string): string | undefined => {
  const v = form[name];
  if (v === undefined) return undefined;
  // a repeated parameter arrives as an array: RFC 6749 §3.2 forbids repeats
  if (typeof v !== 'string') throw new WalletError('invalid_request', `The parameter ${name} must be given once.`);
  return v;
};

/**
 * `authorization_details` of type openid_credential (RFC 9396; OID4VCI 1.0 §5.1.1, §6.1.1): each entry names a
 * configuration of the offer; the token then grants one credential identifier per entry (here the configuration
 * id itself: each configuration has one dataset, the learner's credential).
 */
function requestedDetails(raw: string | undefined, offered: ConfigurationId[]): ConfigurationId[] | null {
  if (raw === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new WalletError('invalid_request', 'authorization_details must be a JSON array.');
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw new WalletError('invalid_request', 'authorization_details must be a non-empty JSON array.');
  const ids: ConfigurationId[] = [];
  for (const entry of parsed) {
    const e = entry as Record<string, unknown> | null;
    if (!e || typeof e !== 'object' || e.type !== 'openid_credential')
      throw new WalletError('invalid_request', 'Only authorization_details of type openid_credential are supported.');
    if (!isConfigurationId(e.credential_configuration_id) || !offered.includes(e.credential_configuration_id))
      throw new WalletError('invalid_request', 'authorization_details names a credential configuration that is not in the offer.');
    if (!ids.includes(e.credential_configuration_id)) ids.push(e.credential_configuration_id);
  }
  return ids;
}

/**
 * Token endpoint, pre-authorized code grant (OID4VCI 1.0 §6). The code is single-use: redemption spends it
 * atomically (see single-use.ts), so a reused, expired or unknown code is `invalid_grant`, as is a wrong transaction code (after
 * `maxTxCodeFailures` of those the offer is closed). No c_nonce here: 1.0 moved it to the Nonce Endpoint.
 */
export async function exchangePreAuthorizedCode(deps: TokenDeps, form: Record<string, unknown> | undefined): Promise<TokenResponse> {
  if (!form || typeof form !== 'object') throw new WalletError('invalid_request', 'Send the token request as application/x-www-form-urlencoded.');
  const grantType = param(form, 'grant_type');
  if (!grantType) throw new WalletError('invalid_request', 'grant_type is missing.');
  if (grantType !== PRE_AUTHORIZED_GRANT) throw new WalletError('unsupported_grant_type', `Only the ${PRE_AUTHORIZED_GRANT} grant is supported.`);
  const code = param(form, 'pre-authorized_code');
  if (!code) throw new WalletError('invalid_request', 'pre-authorized_code is missing.');
  const txCode = param(form, 'tx_code');
  const detailsRaw = param(form, 'authorization_details');

  const codeHash = isToken(code) ? sha256(code) : null;
  const offer = codeHash ? await deps.offers.findOpenByCode(codeHash) : null;
  if (!offer || !codeHash) throw new WalletError('invalid_grant', 'The pre-authorized code is unknown, expired or already used.');
  if (offer.txCodeHash && txCode === undefined) throw new WalletError('invalid_request', 'This offer requires a tx_code.');
  if (!offer.txCodeHash && txCode !== undefined) throw new WalletError('invalid_request', 'This offer takes no tx_code.');
  if (offer.txCodeHash && sha256(txCode!) !== offer.txCodeHash) {
    await deps.offers.recordTxFailure(codeHash, deps.timings.maxTxCodeFailures);
    throw new WalletError('invalid_grant', 'The transaction code is wrong.');
  }
  const details = requestedDetails(detailsRaw, offer.configurationIds);

  const record = await deps.credentials.findById(offer.credentialId);
  const refusal = eligibility(record, offer);
  if (refusal === 'revoked' || refusal === 'suspended')
    throw new WalletError('invalid_grant', `The credential of this offer has been ${refusal} by the issuer.`);
  if (refusal) throw new WalletError('invalid_grant', 'The credential of this offer no longer exists.');

  const accessToken = randomToken();
  const tokenExpiresAt = new Date(deps.now() + deps.timings.accessTokenTtlSeconds * 1000);
  const redeemed = await deps.offers.redeem(codeHash, { accessTokenHash: sha256(accessToken), tokenExpiresAt, credentialIdentifiers: details });
  if (!redeemed) throw new WalletError('invalid_grant', 'The pre-authorized code is unknown, expired or already used.');
  return {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: deps.timings.accessTokenTtlSeconds,
    ...(details
      ? { authorization_details: details.map((id) => ({ type: 'openid_credential' as const, credential_configuration_id: id, credential_identifiers: [id] })) }
      : {}),
  };
}
