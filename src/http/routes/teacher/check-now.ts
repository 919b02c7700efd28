import type { RequestHandler } from 'express';
import { contextOf } from '../../middleware/session';
import { redirectToTeacherPage, type TeacherDeps } from './deps';

/** "Check now": reads the course from Moodle again in the background; the page shows the run at once. */
export const checkNow =
  (deps: TeacherDeps): RequestHandler =>
  async (_req, res) => {
    const c = contextOf(res);
    await deps.startSync(c.platformId, c.courseId);
    redirectToTeacherPage(res);
  };

/** The course's latest sync run, polled by the page while a sync runs. */
export const syncStatus =
  (deps: TeacherDeps): RequestHandler =>
  async (_req, res) => {
    const c = contextOf(res);
    res.json({ run: await deps.runs.latest(c.platformId, c.courseId) });
  };
