import type { Request, RequestHandler } from 'express';
import type { LaunchContext } from '../../../lti/launch-context';
import { explainDecision } from '../../../rules';
import type { StoredDecision } from '../../../store/decisions';
import { refreshLearner } from '../../../sync/learner-refresh';
import { translate } from '../../i18n';
import { contextOf } from '../../middleware/session';
import { navFor, sessionLink } from '../../nav';
import { renderPage } from '../../views';
import type { StudentDeps } from './deps';

/**
 * The learner's decisions, asked of Moodle again when the stored ones are older than `freshForMs`; when Moodle
 * cannot be reached, the stored ones with a notice saying how old they are.
 */
async function learnerDecisions(deps: StudentDeps, req: Request, c: LaunchContext): Promise<{ mine: StoredDecision[]; notice: string | null }> {
  const mine = await deps.decisions.listForCourse(c.platformId, c.courseId, { userId: c.userId });
  const source = await deps.sources.forPlatform(c.platformId);
  const newest = Math.max(0, ...mine.map((d) => new Date(d.evaluatedAt).getTime()));
  if (!source || deps.now() - newest <= (deps.freshForMs ?? 60_000)) return { mine, notice: null };
  try {
    await refreshLearner(deps, source, c.platformId, c.courseId, { userId: c.userId, name: c.userName, email: c.email });
    return { mine: await deps.decisions.listForCourse(c.platformId, c.courseId, { userId: c.userId }), notice: null };
  } catch (err) {
    req.log?.warn({ code: (err as { code?: string }).code }, 'learner refresh failed; showing stored decisions');
    return { mine, notice: translate(c.locale, 'student.unreachable', { when: newest ? new Date(newest) : '—' }) };
  }
}

/** The learner's page: every badge of the course, their progress and what is still missing, in plain words. */
export const myProgress =
  (deps: StudentDeps): RequestHandler =>
  async (req, res) => {
    const c = contextOf(res);
    const token = res.locals.sessionToken!;
    const { mine, notice } = await learnerDecisions(deps, req, c);
    const current = await deps.badges.currentVersions(c.platformId, c.courseId);
    const names = Object.fromEntries(
      current.map(({ badge, version }) => [badge.id, (c.locale === 'lv' && version.definition.name.lv) || version.definition.name.en]),
    );
    const issued = await deps.credentials.listForLearner(c.platformId, c.userId);
    // a claim needs the issuer's profile: until the registrar saved it, say so instead of offering a claim that fails
    const claimsOpen = (await deps.issuance.institutions.find(c.platformId)) !== null;
    const badges = current.map(({ badge, version }) => {
      const d = mine.find((x) => x.badgeId === badge.id && x.badgeVersion === version.version) ?? mine.find((x) => x.badgeId === badge.id && x.earned);
      const credential = issued.find((x) => x.badgeId === badge.id && x.courseId === c.courseId);
      return {
        id: badge.id,
        credentialHref: credential ? `/credentials/${credential.id}?lang=${c.locale}` : null,
        claimHref: sessionLink(`/app/student/badges/${badge.id}/claim`, token),
        name: names[badge.id],
        status: d ? (d.earned ? 'earned' : d.status) : 'not-started',
        fraction: d ? (d.earned ? 1 : d.progress.fraction) : 0,
        lines: d && !d.earned ? explainDecision(d.decision, c.locale, { badgeNames: names }) : [],
      };
    });
    renderPage(res, 'student-home', {
      title: translate(c.locale, 'nav.student'),
      heading: translate(c.locale, 'student.heading', { course: c.courseTitle ?? c.courseId }),
      locale: c.locale,
      userName: c.userName,
      nav: navFor(c, token, 'student'),
      notice,
      claimsOpen,
      badges,
      sessionToken: token,
      mine: issued.map((x) => ({
        name: x.achievementName,
        href: `/credentials/${x.id}?lang=${c.locale}`,
        walletHref: sessionLink(`/app/student/credentials/${x.id}/wallet`, token),
        status: x.status,
        statusLabel: translate(c.locale, `credstatus.${x.status}`),
      })),
    });
  };
