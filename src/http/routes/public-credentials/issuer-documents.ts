import type { RequestHandler } from 'express';
import { euExtensionContextDocument } from '../../../credentials/eu-extension/context';
import { notFound } from '../../../errors';
import { issuerIdentity, publishedProfile } from '../../../issuance/issuer-identity';
import { isId, sendLinkedData, type PublicCredentialDeps } from './deps';

/** An issuer id is published while its site has a profile; a former id keeps its own DID and keys. */
async function institutionOf(deps: PublicCredentialDeps, issuerId: string) {
  const siteId = isId(issuerId) ? await deps.siteIdOf(issuerId) : null;
  const institution = siteId ? await deps.institutions.find(siteId) : null;
  if (!institution) throw notFound('ISSUER_NOT_FOUND', 'There is no such issuer.');
  return institution;
}

/** The JSON-LD context of the EU micro-credential extension, served from here so credentials resolve it forever. */
export const euContext: RequestHandler = (_req, res) => sendLinkedData(res, euExtensionContextDocument());

/** The issuer's public profile (Open Badges Profile). */
export const issuerProfile =
  (deps: PublicCredentialDeps): RequestHandler =>
  async (req, res) => {
    const platformId = String(req.params.platformId);
    // the id is checked (institutionOf) before it goes into a DID: a malformed one is a 404, not a 500
    const institution = await institutionOf(deps, platformId);
    sendLinkedData(res, publishedProfile(issuerIdentity(deps.publicUrl, platformId), institution));
  };

/** The issuer's did:web document, with every key it has signed with. */
export const issuerDidDocument =
  (deps: PublicCredentialDeps): RequestHandler =>
  async (req, res) => {
    const platformId = String(req.params.platformId);
    await institutionOf(deps, platformId);
    sendLinkedData(res, await deps.issuance.keys.issuerDidDocument(platformId, issuerIdentity(deps.publicUrl, platformId).did), 'application/did+ld+json');
  };

/** The issuer's public keys as a JWK set, for VC-JWT verifiers. */
export const issuerJwks =
  (deps: PublicCredentialDeps): RequestHandler =>
  async (req, res) => {
    const platformId = String(req.params.platformId);
    await institutionOf(deps, platformId);
    sendLinkedData(res, await deps.issuance.keys.issuerJwks(platformId), 'application/jwk-set+json');
  };
