import type { CourseDataSource } from '../lms/data-source';
import type { BadgeRepository } from '../store/badges';
import type { DecisionRepository } from '../store/decisions';
import { badgesToEvaluate } from './course-sync';
import { evaluateLearner, storedRuleDecision } from './evaluate-learner';

/**
 * Fresh decisions for one learner (when they open the tool), from one snapshot. Throws the data source's
 * error when Moodle cannot be read; the caller then shows the stored decisions and says so.
 */
export async function refreshLearner(
  deps: { badges: BadgeRepository; decisions: DecisionRepository; now: () => number },
  source: CourseDataSource,
  platformId: string,
  courseId: string,
  learner: { userId: string; name?: string | null; email?: string | null },
): Promise<void> {
  const badges = await badgesToEvaluate(deps.badges, platformId, courseId);
  if (!badges.length) return;
  const earnedBadgeIds = await deps.decisions.earnedBadgeIds(platformId, courseId, learner.userId);
  const snapshot = await source.getLearnerSnapshot(courseId, learner.userId, { earnedBadgeIds });
  const now = new Date(deps.now());
  await deps.decisions.recordMany(
    evaluateLearner(badges, snapshot, now).map((d) => storedRuleDecision({ platformId, courseId, userId: learner.userId }, d, now, learner)),
  );
}
