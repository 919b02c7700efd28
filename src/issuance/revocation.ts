import type { AuditLogRepository } from '../store/audit-log';
import type { CredentialStatus, IssuedCredential } from '../store/issued-credentials';
import type { Issuance } from './services';

/** Revokes, suspends or reinstates a credential: record, status list bit and audit entry, in that order. */
export async function changeCredentialStatus(
  issuance: Issuance,
  audit: AuditLogRepository,
  record: IssuedCredential,
  status: CredentialStatus,
  reason: string,
  actor: { userId: string; role: string },
): Promise<void> {
  await issuance.credentials.setStatus(record.id, status, reason);
  if (record.statusSlot)
    await issuance.status.setStatus(
      { issuerId: record.platformId, ...record.statusSlot },
      { revoked: status === 'revoked', suspended: status === 'suspended' },
    );
  const action = status === 'revoked' ? 'revoke' : status === 'suspended' ? 'suspend' : 'reinstate';
  await audit.record({ platformId: record.platformId, actor, action: `credential.${action}`, subject: { kind: 'credential', id: record.id }, reason });
}
