import type { RequestHandler } from 'express';
import { contextOf } from '../../middleware/session';
import { sessionLink } from '../../nav';
import { recordTeacherAction, type TeacherDeps } from './deps';

/**
 * "Issue all earned": every earned award of the course that is not issued yet (e.g. at term end), in the background
 * and in batches; learners find their credentials under "My credentials". Their names are not shown in these
 * credentials: showing it is the learner's own choice, made when claiming.
 */
export const issueAllEarned =
  (deps: TeacherDeps): RequestHandler =>
  async (_req, res) => {
    const c = contextOf(res);
    const job = await deps.bulkIssuance.request(
      { platformId: c.platformId, platformIssuer: c.issuer, deploymentId: c.deploymentId, courseId: c.courseId, courseTitle: c.courseTitle },
      c.userId,
    );
    await recordTeacherAction(deps, c, { action: 'credentials.issue-earned', subject: { kind: 'course', id: c.courseId }, details: { job: job.id } });
    res.redirect(303, `${sessionLink('/app/teacher', res.locals.sessionToken!)}&issuing=1`);
  };
