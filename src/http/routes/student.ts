import { Router } from 'express';
import { AppError } from '../../errors';
import { issueCredential, type IssuanceDeps } from '../../issuance/pipeline';
import type { DataSources } from '../../lms/sources';
import type { IssuedCredentialRepository } from '../../store/issued-credentials';
import { explainDecision } from '../../rules';
import type { BadgeRepository } from '../../store/badges';
import type { DecisionRepository } from '../../store/decisions';
import { refreshLearner } from '../../sync/learner-refresh';
import { translate, translateOptional } from '../i18n';
import { contextOf, requireRole } from '../middleware/session';
import { navFor, sessionLink } from '../nav';
import { renderPage } from '../views';

export interface StudentDeps {
  credentials: IssuedCredentialRepository;
  issuance: IssuanceDeps;
  badges: BadgeRepository;
  decisions: DecisionRepository;
  sources: DataSources;
  now: () => number;
  /** Decisions younger than this are shown without asking Moodle again. */
  freshForMs?: number;
}

const claimNotOpen = () =>
  new AppError('CLAIM_NOT_OPEN', 'Claiming opens once your institution has finished setting up the tool. Your badge stays earned: come back later.', {
    status: 409,
  });

/** The learner's page: every badge of the course, their progress and what is still missing, in plain words. */
export function studentRoutes(deps: StudentDeps) {
  const router = Router();
  router.get('/app/student', requireRole('student'), async (req, res) => {
    const c = contextOf(res);
    let mine = await deps.decisions.listForCourse(c.platformId, c.courseId, { userId: c.userId });
    let notice: string | null = null;
    const source = await deps.sources.forPlatform(c.platformId);
    const newest = Math.max(0, ...mine.map((d) => new Date(d.evaluatedAt).getTime()));
    if (source && deps.now() - newest > (deps.freshForMs ?? 60_000)) {
      try {
        await refreshLearner(deps, source, c.platformId, c.courseId, { userId: c.userId, name: c.userName, email: c.email });
        mine = await deps.decisions.listForCourse(c.platformId, c.courseId, { userId: c.userId });
      } catch (err) {
        req.log?.warn({ code: (err as { code?: string }).code }, 'learner refresh failed; showing stored decisions');
        notice = translate(c.locale, 'student.unreachable', { when: newest ? new Date(newest) : '—' });
      }
    }
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
        claimHref: sessionLink(`/app/student/badges/${badge.id}/claim`, res.locals.sessionToken!),
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
      nav: navFor(c, res.locals.sessionToken!, 'student'),
      notice,
      claimsOpen,
      badges,
      sessionToken: res.locals.sessionToken,
      mine: issued.map((x) => ({
        name: x.achievementName,
        href: `/credentials/${x.id}?lang=${c.locale}`,
        walletHref: sessionLink(`/app/student/credentials/${x.id}/wallet`, res.locals.sessionToken!),
        status: x.status,
        statusLabel: translate(c.locale, `credstatus.${x.status}`),
      })),
    });
  });

  /** Before issuing: exactly what the credential will say about the learner. */
  router.get('/app/student/badges/:badgeId/claim', requireRole('student'), async (req, res) => {
    const c = contextOf(res);
    const badgeId = String(req.params.badgeId);
    const earned = (await deps.decisions.listForCourse(c.platformId, c.courseId, { userId: c.userId, badgeId }))
      .filter((d) => d.earned)
      .sort((a, b) => b.badgeVersion - a.badgeVersion)[0];
    const version = earned ? await deps.badges.getVersion(badgeId, earned.badgeVersion) : null;
    if (!earned || !version) throw new AppError('BADGE_NOT_EARNED', 'This badge has not been earned yet.', { status: 409 });
    const institution = await deps.issuance.institutions.find(c.platformId);
    if (!institution) throw claimNotOpen();
    const names = Object.fromEntries((await deps.badges.listForCourse(c.platformId, c.courseId)).map((b) => [b.id, b.name]));
    renderPage(res, 'claim-preview', {
      title: translate(c.locale, 'claim.button'),
      locale: c.locale,
      userName: c.userName,
      nav: navFor(c, res.locals.sessionToken!, 'student'),
      sessionToken: res.locals.sessionToken,
      badgeId,
      badgeName: (c.locale === 'lv' && version.definition.name.lv) || version.definition.name.en,
      issuerName: institution ? (c.locale === 'lv' && institution.name.lv) || institution.name.en : '—',
      email: c.email,
      evidence: earned.decision.evidence.map((e) =>
        e.kind === 'grade'
          ? `${e.name}: ${e.value.grade} / ${e.value.max}`
          : e.kind === 'badge'
            ? `${names[e.badgeId] ?? e.badgeId}: ${translate(c.locale, 'state.earned')}`
            : `${e.name}: ${translateOptional(c.locale, `state.${e.kind === 'activity-completion' ? e.state : 'complete'}`)}`,
      ),
    });
  });

  router.post('/app/student/badges/:badgeId/claim', requireRole('student'), async (req, res) => {
    const c = contextOf(res);
    if (!(await deps.issuance.institutions.find(c.platformId))) throw claimNotOpen();
    const record = await issueCredential(deps.issuance, {
      platformId: c.platformId,
      platformIssuer: c.issuer,
      deploymentId: c.deploymentId,
      courseId: c.courseId,
      courseTitle: c.courseTitle,
      userId: c.userId,
      badgeId: String(req.params.badgeId),
      learner: { name: c.userName, email: c.email, showName: req.body.showName === '1' },
    });
    res.redirect(303, `/credentials/${record.id}?lang=${c.locale}`);
  });
  return router;
}
