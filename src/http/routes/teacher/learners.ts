import type { RequestHandler } from 'express';
import { explainDecision } from '../../../rules';
import type { StoredDecision } from '../../../store/decisions';
import { translate } from '../../i18n';
import { contextOf } from '../../middleware/session';
import { navFor, sessionLink } from '../../nav';
import { renderPage } from '../../views';
import { findBadge, type TeacherDeps } from './deps';

/**
 * Per learner, the decision a teacher should see for a badge: the current version's, else the newest earned one
 * of an older version (an earned badge stays earned when the badge is edited), else the newest.
 */
export function decisionsPerLearner(decisions: readonly StoredDecision[], currentVersion: number): StoredDecision[] {
  const byUser = new Map<string, StoredDecision[]>();
  for (const d of decisions) byUser.set(d.userId, [...(byUser.get(d.userId) ?? []), d]);
  return [...byUser.values()].map((list) => {
    const newest = [...list].sort((a, b) => b.badgeVersion - a.badgeVersion);
    return (
      newest.find((d) => d.badgeVersion === currentVersion && d.earned) ??
      newest.find((d) => d.earned) ??
      newest.find((d) => d.badgeVersion === currentVersion) ??
      newest[0]!
    );
  });
}

const STATUS_ORDER = { earned: 0, 'in-progress': 1, 'not-started': 2, closed: 3 } as const;
const statusRank = (d: StoredDecision) => STATUS_ORDER[d.earned ? 'earned' : d.status];

/** The learners of one badge, earned first: where each stands, what is missing, and their credential if issued. */
export const badgeLearners =
  (deps: TeacherDeps): RequestHandler =>
  async (req, res) => {
    const c = contextOf(res);
    const token = res.locals.sessionToken!;
    const badge = await findBadge(deps, res, String(req.params.id));
    const decisions = decisionsPerLearner(await deps.decisions.listForCourse(c.platformId, c.courseId, { badgeId: badge.id }), badge.currentVersion);
    decisions.sort((a, b) => statusRank(a) - statusRank(b) || a.userId.localeCompare(b.userId));
    const issued = await deps.issuance.credentials.listForPlatform(c.platformId, { courseId: c.courseId, badgeId: badge.id });
    renderPage(res, 'badge-learners', {
      sessionToken: token,
      badgeId: badge.id,
      title: translate(c.locale, 'learners.heading', { name: badge.name }),
      heading: translate(c.locale, 'learners.heading', { name: badge.name }),
      locale: c.locale,
      userName: c.userName,
      nav: navFor(c, token, 'teacher'),
      backHref: sessionLink('/app/teacher', token),
      rows: decisions.map((d) => ({
        name: d.learner?.name ?? `#${d.userId}`,
        status: d.earned ? 'earned' : d.status,
        fraction: d.earned ? 1 : d.progress.fraction,
        lines: d.earned ? (d.manual ? [`${d.manual.by}: ${d.manual.reason}`] : []) : explainDecision(d.decision, c.locale),
        credential: issued.find((x) => x.userId === d.userId) ?? null,
      })),
    });
  };
