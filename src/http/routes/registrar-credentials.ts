import { Router } from 'express';
import { AppError } from '../../errors';
import { changeCredentialStatus } from '../../issuance/revocation';
import type { Issuance } from '../../issuance/services';
import type { AuditLogRepository } from '../../store/audit-log';
import type { CredentialStatus } from '../../store/issued-credentials';
import { contextOf, requireRole } from '../middleware/session';

export interface RegistrarCredentialDeps {
  issuance: Issuance;
  audit: AuditLogRepository;
}

const ACTIONS: Record<string, CredentialStatus> = { revoke: 'revoked', suspend: 'suspended', reinstate: 'active' };

/** A registrar revokes, suspends or reinstates a credential of their institution, with a reason (audited). */
export function registrarCredentialRoutes(deps: RegistrarCredentialDeps) {
  const router = Router();
  router.get('/app/registrar/credentials', requireRole('registrar'), async (_req, res) => {
    const c = contextOf(res);
    const list = await deps.issuance.credentials.listForPlatform(c.platformId);
    res.json({ credentials: list.map((x) => ({ id: x.id, courseId: x.courseId, userId: x.userId, badgeId: x.badgeId, badgeVersion: x.badgeVersion, name: x.achievementName, status: x.status, issuedAt: x.issuedAt })) });
  });

  router.post('/app/registrar/credentials/:id/status', requireRole('registrar'), async (req, res) => {
    const c = contextOf(res);
    const status = ACTIONS[String(req.body.action)];
    const reason = typeof req.body.reason === 'string' ? req.body.reason.trim().slice(0, 500) : '';
    if (!status) throw new AppError('STATUS_ACTION_INVALID', 'The action must be revoke, suspend or reinstate.', { status: 400 });
    if (!reason && status !== 'active') throw new AppError('STATUS_REASON_REQUIRED', 'Give a reason.', { status: 400 });
    const record = await deps.issuance.credentials.findById(String(req.params.id));
    // another institution's credential is simply not found
    if (!record || record.platformId !== c.platformId || record.state !== 'issued')
      throw new AppError('CREDENTIAL_NOT_FOUND', 'There is no such credential.', { status: 404 });
    await changeCredentialStatus(deps.issuance, deps.audit, record, status, reason, { userId: c.userId, role: 'registrar' });
    res.json({ id: record.id, status });
  });
  return router;
}
