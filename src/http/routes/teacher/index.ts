import { Router } from 'express';
import { awardManually } from './award';
import { checkNow, syncStatus } from './check-now';
import { courseHome } from './course-home';
import { defineBadge, editBadgeForm, newBadgeForm, updateBadge } from './define-badge';
import { teacherOnly, type TeacherDeps } from './deps';
import { issueAllEarned } from './issue-all';
import { badgeLearners } from './learners';
import { revokeCredential } from './revoke';

export type { TeacherDeps } from './deps';
export { decisionsPerLearner } from './learners';

/** Teacher pages: the course's badges with class progress, the badge editor (versioned), learners per badge, sync. */
export function teacherRoutes(deps: TeacherDeps) {
  const router = Router();
  router.get('/app/teacher', teacherOnly, courseHome(deps));
  router.get('/app/teacher/badges/new', teacherOnly, newBadgeForm(deps));
  router.post('/app/teacher/badges', teacherOnly, defineBadge(deps));
  router.get('/app/teacher/badges/:id/edit', teacherOnly, editBadgeForm(deps));
  router.post('/app/teacher/badges/:id', teacherOnly, updateBadge(deps));
  router.get('/app/teacher/badges/:id', teacherOnly, badgeLearners(deps));
  router.post('/app/teacher/badges/:id/award', teacherOnly, awardManually(deps));
  router.post('/app/teacher/credentials/:id/revoke', teacherOnly, revokeCredential(deps));
  router.post('/app/teacher/sync', teacherOnly, checkNow(deps));
  router.post('/app/teacher/issue-earned', teacherOnly, issueAllEarned(deps));
  router.get('/app/teacher/sync/status', teacherOnly, syncStatus(deps));
  return router;
}
