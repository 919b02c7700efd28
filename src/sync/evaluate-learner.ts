import { evaluate, type Decision, type Rule } from '../rules';
import type { LearnerSnapshot } from '../lms/snapshot';

export interface BadgeToEvaluate {
  badgeId: string;
  version: number;
  rule: Rule;
}

export interface LearnerDecision {
  badgeId: string;
  version: number;
  decision: Decision;
}

/**
 * Every badge of a course for one learner (pure). Badges that require other badges (stacking) see the ones
 * this evaluation earns: evaluation repeats until nothing new is earned, at most once per badge.
 */
export function evaluateLearner(badges: readonly BadgeToEvaluate[], snapshot: LearnerSnapshot, now: Date): LearnerDecision[] {
  const earned = new Set(snapshot.earnedBadgeIds);
  let decisions: LearnerDecision[] = [];
  for (let round = 0; round <= badges.length; round++) {
    const view: LearnerSnapshot = { ...snapshot, earnedBadgeIds: [...earned] };
    decisions = badges.map((b) => ({ badgeId: b.badgeId, version: b.version, decision: evaluate(b.rule, view, now) }));
    const before = earned.size;
    for (const d of decisions) if (d.decision.earned) earned.add(d.badgeId);
    if (earned.size === before) break;
  }
  return decisions;
}
