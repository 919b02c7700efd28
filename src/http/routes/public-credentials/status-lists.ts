import type { RequestHandler } from 'express';
import { notFound } from '../../../errors';
import { isId, sendLinkedData, type PublicCredentialDeps } from './deps';

const noSuchList = () => notFound('STATUS_LIST_NOT_FOUND', 'There is no such list.');

/** The issuer's revoked credentials, as a plain list. */
export const revocationList =
  (deps: PublicCredentialDeps): RequestHandler =>
  async (req, res) => {
    const platformId = String(req.params.platformId);
    if (!isId(platformId)) throw noSuchList();
    sendLinkedData(res, await deps.issuance.status.revocationList(platformId), 'application/json');
  };

/** A Bitstring Status List credential (revocation or suspension) that credentials point at. */
export const statusListCredential =
  (deps: PublicCredentialDeps): RequestHandler =>
  async (req, res) => {
    const { platformId, listId, purpose } = req.params as Record<string, string>;
    if (!isId(platformId!) || !/^\d{1,6}$/.test(listId!) || (purpose !== 'revocation' && purpose !== 'suspension')) throw noSuchList();
    const list = await deps.issuance.status.listCredential(platformId!, listId!, purpose);
    if (!list) throw noSuchList();
    res.set('Cache-Control', 'public, max-age=60');
    sendLinkedData(res, list, 'application/vc+ld+json');
  };
