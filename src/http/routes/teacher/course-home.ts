import type { RequestHandler } from 'express';
import { AppError } from '../../../errors';
import type { LaunchContext } from '../../../lti/launch-context';
import type { Badge } from '../../../store/badges';
import type { StoredDecision } from '../../../store/decisions';
import type { SyncRun } from '../../../store/sync-runs';
import { translate, type MessageKey } from '../../i18n';
import { moodleFailure } from '../../moodle-failure';
import { contextOf } from '../../middleware/session';
import { navFor, sessionLink } from '../../nav';
import { renderPage } from '../../views';
import type { TeacherDeps } from './deps';
import { decisionsPerLearner } from './learners';

/** The last sync as the page shows it: when, how fast, when it should end, and what to do when Moodle failed. */
const syncRunView = (run: SyncRun, c: LaunchContext) => ({
  ...run,
  when: run.finishedAt ?? run.startedAt,
  rate: run.ratePerMinute ?? null,
  expectedEnd: run.expectedEndAt ?? null,
  advice: run.error && /^MOODLE_/.test(run.error.code) ? moodleFailure(new AppError(run.error.code, run.error.message), c.locale).advice : null,
});

/** One badge's class progress: how many learners earned it, are on their way or have not started, as counts and a bar. */
function classProgress(b: Badge, decisions: readonly StoredDecision[], token: string) {
  const mine = decisionsPerLearner(
    decisions.filter((d) => d.badgeId === b.id),
    b.currentVersion,
  );
  const counts = {
    earned: mine.filter((d) => d.earned).length,
    inProgress: mine.filter((d) => !d.earned && d.status === 'in-progress').length,
    notStarted: mine.filter((d) => !d.earned && d.status !== 'in-progress').length,
  };
  const total = Math.max(1, mine.length);
  return {
    name: b.name,
    version: b.currentVersion,
    counts,
    bar: { earned: Math.round((160 * counts.earned) / total), inProgress: Math.round((160 * counts.inProgress) / total) },
    learnersHref: sessionLink(`/app/teacher/badges/${b.id}`, token),
    editHref: sessionLink(`/app/teacher/badges/${b.id}/edit`, token),
  };
}

/** The teacher's home: the course's badges with class progress, the last sync, and what the registrar still has to set up. */
export const courseHome =
  (deps: TeacherDeps): RequestHandler =>
  async (req, res) => {
    const c = contextOf(res);
    const token = res.locals.sessionToken!;
    const badges = await deps.badges.listForCourse(c.platformId, c.courseId);
    const decisions = await deps.decisions.listForCourse(c.platformId, c.courseId);
    const run = await deps.runs.latest(c.platformId, c.courseId);
    const hasWebService = !!(await deps.sources.forPlatform(c.platformId));
    const setup = await deps.setupState(c.platformId);
    renderPage(res, 'teacher-home', {
      registrarTodo: setup.registrarTodo.map((step) => translate(c.locale, `setup.todo.${step}` as MessageKey)),
      title: translate(c.locale, 'nav.teacher'),
      heading: translate(c.locale, 'teacher.heading', { course: c.courseTitle ?? c.courseId }),
      locale: c.locale,
      userName: c.userName,
      nav: navFor(c, token, 'teacher'),
      sessionToken: token,
      hasWebService,
      issuing: req.query.issuing === '1',
      links: { newBadge: sessionLink('/app/teacher/badges/new', token) },
      run: run && syncRunView(run, c),
      badges: badges.map((b) => classProgress(b, decisions, token)),
    });
  };
