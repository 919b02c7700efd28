import type { Request } from 'express';
import { notFound } from '../../../errors';
import type { IssuedCredential } from '../../../store/issued-credentials';
import type { PublicCredentialDeps } from './deps';

/** The award, or a wallet copy of it shown as the award with the copy's id and signed forms (same status). */
export async function issuedCredential(deps: PublicCredentialDeps, req: Request): Promise<IssuedCredential> {
  const { issuance } = deps;
  const id = String(req.params.id);
  let record = await issuance.credentials.findById(id);
  if (!record) {
    const copy = await issuance.copies.findById(id);
    const award = copy ? await issuance.credentials.findById(copy.parentId) : null;
    if (copy && award) record = { ...award, id: copy.id, json: copy.json, jwt: copy.jwt };
  }
  if (!record || record.state !== 'issued' || !record.json) throw notFound('CREDENTIAL_NOT_FOUND', 'There is no such credential.');
  return record;
}
