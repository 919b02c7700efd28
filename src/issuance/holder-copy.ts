import { randomUUID } from 'node:crypto';
import type { AchievementCredentialJson } from '../credentials/build/types';
import type { AuditLogRepository } from '../store/audit-log';
import type { HolderCopy, HolderCopyRepository } from '../store/holder-copies';
import type { IssuedCredential } from '../store/issued-credentials';
import type { IssuanceDeps } from './pipeline';
import { signCredential } from './steps/sign-credential';
import { validateCredential } from './steps/validate-credential';

export interface HolderCopyDeps extends Pick<IssuanceDeps, 'publicUrl' | 'keys' | 'documentLoader' | 'signingPool' | 'now'> {
  copies: HolderCopyRepository;
  audit: AuditLogRepository;
}

/**
 * The award bound to a wallet's key (OpenID4VCI key proof): the same credential (achievement, results, evidence,
 * issuer, dates and the award's status entry, so revoking the award revokes every copy) with its own id and
 * `credentialSubject.id` = the holder's DID, then the pipeline's validate and sign steps (both proof formats).
 * One copy per (award, holder DID): a wallet that asks again gets the same copy. Recorded in the audit log.
 */
export async function issueHolderCopy(deps: HolderCopyDeps, award: IssuedCredential, holderDid: string): Promise<HolderCopy> {
  const existing = await deps.copies.find(award.id, holderDid);
  if (existing) return existing;
  const id = randomUUID();
  const { proof: _proof, ...issued } = structuredClone(award.json!) as Record<string, unknown> & { credentialSubject: Record<string, unknown> };
  const { id: _subjectId, ...subject } = issued.credentialSubject;
  const unsigned = {
    ...issued,
    id: `${deps.publicUrl}/credentials/${id}`,
    credentialSubject: { id: holderDid, ...subject },
  } as unknown as AchievementCredentialJson;
  const state = await signCredential(deps, validateCredential({ request: { platformId: award.platformId }, unsigned }));
  const { copy, stored } = await deps.copies.insert({
    id,
    parentId: award.id,
    platformId: award.platformId,
    holderDid,
    json: state.signed.json,
    jwt: state.signed.jwt,
    issuedAt: new Date(deps.now()),
  });
  if (stored) {
    await deps.audit.record({
      platformId: award.platformId,
      actor: { system: 'wallet' },
      action: 'credential.holder_copy',
      subject: { kind: 'credential', id: award.id },
      details: { copyId: id, holderDid },
    });
  }
  return copy;
}
