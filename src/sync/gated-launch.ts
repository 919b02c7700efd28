import type { LaunchContext } from '../lti/launch-context';
import type { BadgeRepository } from '../store/badges';
import type { DecisionRepository } from '../store/decisions';
import { earnedDecisionFields, earnedWithout } from './synthetic-decision';

/**
 * The weaker mode for platforms without a web-service token: a learner's launch of a badge activity counts
 * as evidence that they completed what the teacher gated it behind with Moodle's "Restrict access". The
 * decision is labelled `gated-launch` so pages and credentials say where the evidence came from.
 */
export async function recordGatedLaunch(deps: { badges: BadgeRepository; decisions: DecisionRepository }, context: LaunchContext, now: Date): Promise<boolean> {
  const badgeId = context.custom.badge_id;
  if (!badgeId || !context.roles.includes('student') || !context.resourceLink) return false;
  const badge = await deps.badges.findInCourse(context.platformId, context.courseId, badgeId);
  if (!badge || badge.currentVersion === 0) return false;
  const activityName = context.resourceLink.title ?? badge.name;
  const evidence = {
    kind: 'activity-completion' as const,
    activityId: `lti-link:${context.resourceLink.id}`,
    name: activityName,
    state: 'complete' as const,
    date: now,
  };
  const decision = earnedWithout(
    { type: 'activityCompleted', activityId: evidence.activityId, states: ['complete'] },
    { kind: 'activity-completed', activityName, state: 'complete', date: now },
    [evidence],
    now,
  );
  return deps.decisions.record({
    platformId: context.platformId,
    courseId: context.courseId,
    userId: context.userId,
    badgeId: badge.id,
    badgeVersion: badge.currentVersion,
    source: 'gated-launch',
    ...earnedDecisionFields(decision, now),
    learner: { ...(context.userName ? { name: context.userName } : {}), ...(context.email ? { email: context.email } : {}) },
  });
}
