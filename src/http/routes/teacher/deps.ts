import type { Response } from 'express';
import { AppError } from '../../../errors';
import type { Issuance } from '../../../issuance/services';
import type { BulkIssuance } from '../../../issuance/bulk/jobs';
import type { DataSources } from '../../../lms/sources';
import type { LaunchContext } from '../../../lti/launch-context';
import type { AuditEntry, AuditLogRepository } from '../../../store/audit-log';
import type { Badge, BadgeRepository } from '../../../store/badges';
import type { DecisionRepository } from '../../../store/decisions';
import type { SyncRunRepository } from '../../../store/sync-runs';
import type { SetupStateOf } from '../../setup-state';
import { contextOf, requireRole } from '../../middleware/session';
import { sessionLink } from '../../nav';

export interface TeacherDeps {
  badges: BadgeRepository;
  decisions: DecisionRepository;
  runs: SyncRunRepository;
  sources: DataSources;
  audit: AuditLogRepository;
  issuance: Issuance;
  bulkIssuance: BulkIssuance;
  /** Starts a course sync in the background; resolves once the run is recorded. */
  startSync(platformId: string, courseId: string): Promise<void>;
  setupState: SetupStateOf;
}

export const teacherOnly = requireRole('teacher');

/** A badge of the session's course; any other id is simply not found. */
export async function findBadge(deps: Pick<TeacherDeps, 'badges'>, res: Response, id: string): Promise<Badge> {
  const c = contextOf(res);
  const badge = await deps.badges.findInCourse(c.platformId, c.courseId, id);
  if (!badge) throw new AppError('BADGE_NOT_FOUND', 'There is no such badge in this course.', { status: 404 });
  return badge;
}

/** What the teacher of this session did, in the audit log. */
export const recordTeacherAction = (deps: Pick<TeacherDeps, 'audit'>, c: LaunchContext, entry: Omit<AuditEntry, 'at' | 'platformId' | 'actor'>) =>
  deps.audit.record({ platformId: c.platformId, actor: { userId: c.userId, role: 'teacher' }, ...entry });

/** After a change, back to a teacher page (303: the browser follows with a GET). */
export const redirectToTeacherPage = (res: Response, path = '/app/teacher') => res.redirect(303, sessionLink(path, res.locals.sessionToken!));
