import { Router } from 'express';
import { claimBadge, claimPreview } from './claim';
import { studentOnly, type StudentDeps } from './deps';
import { myProgress } from './progress';

export type { StudentDeps } from './deps';

/** The learner's pages: their progress on every badge of the course, and claiming an earned badge as a credential. */
export function studentRoutes(deps: StudentDeps) {
  const router = Router();
  router.get('/app/student', studentOnly, myProgress(deps));
  router.get('/app/student/badges/:badgeId/claim', studentOnly, claimPreview(deps));
  router.post('/app/student/badges/:badgeId/claim', studentOnly, claimBadge(deps));
  return router;
}
