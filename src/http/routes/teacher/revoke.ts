import type { RequestHandler } from 'express';
import { AppError } from '../../../errors';
import { changeCredentialStatus } from '../../../issuance/revocation';
import { reasonFrom } from '../../form-values';
import { contextOf } from '../../middleware/session';
import { redirectToTeacherPage, type TeacherDeps } from './deps';

/** A teacher revokes a credential of their own course, with a reason. */
export const revokeCredential =
  (deps: TeacherDeps): RequestHandler =>
  async (req, res) => {
    const c = contextOf(res);
    const reason = reasonFrom(req.body);
    if (!reason) throw new AppError('STATUS_REASON_REQUIRED', 'Give a reason.', { status: 400 });
    const record = await deps.issuance.credentials.findById(String(req.params.id));
    if (!record || record.platformId !== c.platformId || record.courseId !== c.courseId || record.state !== 'issued')
      throw new AppError('CREDENTIAL_NOT_FOUND', 'There is no such credential in this course.', { status: 404 });
    await changeCredentialStatus(deps.issuance, deps.audit, record, 'revoked', reason, { userId: c.userId, role: 'teacher' });
    redirectToTeacherPage(res, `/app/teacher/badges/${record.badgeId}`);
  };
