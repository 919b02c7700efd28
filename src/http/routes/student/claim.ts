import type { RequestHandler } from 'express';
import { AppError } from '../../../errors';
import { issueCredential } from '../../../issuance/pipeline';
import type { Locale } from '../../../lti/launch-context';
import type { Evidence } from '../../../rules';
import { translate, translateOptional } from '../../i18n';
import { contextOf } from '../../middleware/session';
import { navFor } from '../../nav';
import { renderPage } from '../../views';
import type { StudentDeps } from './deps';

const claimNotOpen = () =>
  new AppError('CLAIM_NOT_OPEN', 'Claiming opens once your institution has finished setting up the tool. Your badge stays earned: come back later.', {
    status: 409,
  });

/** One line of evidence as the learner reads it before claiming. */
const evidenceLine = (e: Evidence, locale: Locale, badgeNames: Record<string, string>) =>
  e.kind === 'grade'
    ? `${e.name}: ${e.value.grade} / ${e.value.max}`
    : e.kind === 'badge'
      ? `${badgeNames[e.badgeId] ?? e.badgeId}: ${translate(locale, 'state.earned')}`
      : `${e.name}: ${translateOptional(locale, `state.${e.kind === 'activity-completion' ? e.state : 'complete'}`)}`;

/** Before issuing: exactly what the credential will say about the learner. */
export const claimPreview =
  (deps: StudentDeps): RequestHandler =>
  async (req, res) => {
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
      evidence: earned.decision.evidence.map((e) => evidenceLine(e, c.locale, names)),
    });
  };

/** Issues the learner's credential for an earned badge; their name is in it only when they ticked showName. */
export const claimBadge =
  (deps: StudentDeps): RequestHandler =>
  async (req, res) => {
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
  };
