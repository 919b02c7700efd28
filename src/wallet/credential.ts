import type { IssuedCredential, IssuedCredentialRepository } from '../store/issued-credentials';
import { WalletError } from './errors';
import type { HolderProofPolicy } from './metadata';
import type { NonceRepository } from './nonce-store';
import { eligibility } from './offer';
import type { WalletOfferRepository } from './offers-store';
import { verifyKeyProof } from './proof';
import { CONFIGURATION_IDS, isConfigurationId, type ConfigurationId, type WalletTimings } from './protocol';
import { isToken, sha256 } from './secrets';

/** Issues (or finds) the award's copy bound to the holder's DID, signed in both formats. */
export type IssueCopy = (award: IssuedCredential, holderDid: string) => Promise<{ id: string; json: Record<string, unknown>; jwt: string }>;

export interface CredentialDeps {
  credentialIssuer: string;
  offers: WalletOfferRepository;
  nonces: NonceRepository;
  credentials: IssuedCredentialRepository;
  issueCopy?: IssueCopy | undefined;
  timings: WalletTimings;
  holderProof: HolderProofPolicy;
  now: () => number;
}

export interface CredentialResponse {
  credentials: Array<{ credential: string | Record<string, unknown> }>;
}

/** The access token of `Authorization: Bearer …` (RFC 6750 §2.1), or invalid_token. */
export function bearerToken(authorization: string | undefined): string {
  const match = /^Bearer +([A-Za-z0-9._~+/-]+=*)$/i.exec(authorization?.trim() ?? '');
  if (!match) throw new WalletError('invalid_token', 'An access token is required: Authorization: Bearer <token>.');
  return match[1]!;
}

/** Which configuration the request asks for: by `credential_identifier` when the token came with authorization_details, else by `credential_configuration_id` (§8.2). */
function requestedConfiguration(body: Record<string, unknown>, granted: { offered: ConfigurationId[]; identifiers: string[] | null }): ConfigurationId {
  const { credential_identifier: identifier, credential_configuration_id: configurationId } = body;
  if (identifier !== undefined && configurationId !== undefined)
    throw new WalletError('invalid_credential_request', 'Send either credential_identifier or credential_configuration_id, not both.');
  if (granted.identifiers) {
    if (identifier === undefined)
      throw new WalletError('invalid_credential_request', 'This access token was granted with authorization_details: send credential_identifier.');
    if (typeof identifier !== 'string' || !granted.identifiers.includes(identifier) || !isConfigurationId(identifier))
      throw new WalletError('unknown_credential_identifier', 'The credential_identifier is not one this access token grants.');
    return identifier;
  }
  if (identifier !== undefined)
    throw new WalletError('invalid_credential_request', 'credential_identifier is only for access tokens granted with authorization_details.');
  if (configurationId === undefined) {
    if (body.format !== undefined)
      throw new WalletError('invalid_credential_request', 'format is from draft versions of OID4VCI: send credential_configuration_id (OID4VCI 1.0).');
    throw new WalletError('invalid_credential_request', 'credential_configuration_id is missing.');
  }
  if (!isConfigurationId(configurationId) || !granted.offered.includes(configurationId))
    throw new WalletError('unknown_credential_configuration', `Unknown credential configuration; this offer has ${granted.offered.join(' and ')}.`);
  return configurationId;
}

/** The single `jwt` key proof of `proofs` (§8.2, Appendix F.1), or null when none was sent and none is required. */
function keyProofOf(body: Record<string, unknown>, policy: HolderProofPolicy): unknown {
  const { proofs } = body;
  if (proofs === undefined) {
    if (policy === 'optional') return null;
    const hint = body.proof !== undefined ? ' (the draft parameter proof is not accepted: use proofs.jwt, OID4VCI 1.0)' : '';
    throw new WalletError('invalid_proof', `proofs is missing${hint}.`);
  }
  if (typeof proofs !== 'object' || proofs === null || Array.isArray(proofs)) throw new WalletError('invalid_proof', 'proofs must be an object.');
  const types = Object.keys(proofs);
  if (types.length !== 1) throw new WalletError('invalid_proof', 'proofs must hold exactly one proof type.');
  if (types[0] !== 'jwt') throw new WalletError('invalid_proof', `The proof type ${types[0]} is not supported; use jwt.`);
  const list = (proofs as Record<string, unknown>).jwt;
  if (!Array.isArray(list) || list.length === 0) throw new WalletError('invalid_proof', 'proofs.jwt must be a non-empty array of JWTs.');
  if (list.length > 1) throw new WalletError('invalid_credential_request', 'Batch issuance is not supported: send one key proof.');
  return list[0];
}

/**
 * Credential endpoint (OID4VCI 1.0 §8). With a key proof (the metadata advertises jwk, did:key and did:jwk
 * binding) the wallet gets its own copy of the award: `credentialSubject.id` = the holder's DID, its own id, the
 * award's status entry (revoking the award revokes it), signed in the requested format (see issuance/holder-copy).
 * Without a proof (holderProof `optional`) it gets the award as issued, identified by hashed identifiers only.
 * The VC-JWT string answers `OpenBadgeCredential_jwt`, the Data Integrity JSON `OpenBadgeCredential_ldp`.
 * Errors are WalletErrors in the §8.3.1 form; the credential's status is checked again at delivery.
 */
export async function deliverCredential(deps: CredentialDeps, authorization: string | undefined, body: unknown): Promise<CredentialResponse> {
  const token = bearerToken(authorization);
  const tokenHash = isToken(token) ? sha256(token) : null;
  const offer = tokenHash ? await deps.offers.findByAccessToken(tokenHash) : null;
  if (!offer || !tokenHash) throw new WalletError('invalid_token', 'The access token is unknown or has expired.');
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new WalletError('invalid_credential_request', 'Send the credential request as a JSON object (Content-Type: application/json).');
  const request = body as Record<string, unknown>;
  if (request.credential_response_encryption !== undefined)
    throw new WalletError('invalid_encryption_parameters', 'Encrypted credential responses are not supported.');

  const configurationId = requestedConfiguration(request, { offered: offer.configurationIds, identifiers: offer.credentialIdentifiers });
  const proof = keyProofOf(request, deps.holderProof);
  const verified =
    proof === null ? null : await verifyKeyProof(proof, { audience: deps.credentialIssuer, now: deps.now, timings: deps.timings, nonces: deps.nonces });

  const record = await deps.credentials.findById(offer.credentialId);
  const refusal = eligibility(record, offer);
  if (refusal === 'revoked' || refusal === 'suspended') throw new WalletError('credential_request_denied', `The credential has been ${refusal} by the issuer.`);
  if (refusal) throw new WalletError('credential_request_denied', 'The credential no longer exists.');

  const issued = verified && deps.issueCopy ? await deps.issueCopy(record!, verified.did) : record!;
  await deps.offers.recordDelivery(tokenHash, { configurationId, at: new Date(deps.now()), holderKeyThumbprint: verified?.thumbprint ?? null });
  const credential = configurationId === CONFIGURATION_IDS.jwt ? issued.jwt! : issued.json!;
  return { credentials: [{ credential }] };
}
