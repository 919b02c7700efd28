import { AppError } from '../../errors';
import type { BadgeRepository } from '../../store/badges';
import type { DecisionRepository } from '../../store/decisions';
import type { InstitutionRepository } from '../../store/institutions';
import type { IssueState } from '../context';

/** Step 1: the learner's earned decision for the badge (the newest earned version), its definition and the issuer. */
export async function loadDecision(
  deps: { badges: BadgeRepository; decisions: DecisionRepository; institutions: InstitutionRepository },
  state: IssueState,
): Promise<IssueState> {
  const r = state.request;
  const badge = await deps.badges.findInCourse(r.platformId, r.courseId, r.badgeId);
  if (!badge) throw new AppError('BADGE_NOT_FOUND', 'There is no such badge in this course.', { status: 404 });
  const earned = (await deps.decisions.listForCourse(r.platformId, r.courseId, { userId: r.userId, badgeId: r.badgeId }))
    .filter((d) => d.earned)
    .sort((a, b) => b.badgeVersion - a.badgeVersion)[0];
  if (!earned) throw new AppError('BADGE_NOT_EARNED', 'This badge has not been earned yet.', { status: 409 });
  const version = await deps.badges.getVersion(badge.id, earned.badgeVersion);
  if (!version) throw new AppError('BADGE_VERSION_MISSING', 'The badge version of this award no longer exists.', { status: 409 });
  const institution = await deps.institutions.find(r.platformId);
  if (!institution)
    throw new AppError('ISSUER_PROFILE_MISSING', "The institution's profile is not set up yet: ask your registrar to complete it.", { status: 409 });
  return { ...state, decision: earned, version, institution };
}
