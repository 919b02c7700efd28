import { evaluate, type Decision, type Rule } from '../rules';
import type { LearnerSnapshot } from '../rules/snapshot';
import type { StoredDecision } from '../store/decisions';

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

/** A rule decision as stored: keyed by platform, course, learner, badge and version; learner details for the credential. */
export function storedRuleDecision(
  key: { platformId: string; courseId: string; userId: string },
  d: LearnerDecision,
  now: Date,
  learner: { name?: string | null; email?: string | null } = {},
): StoredDecision {
  return {
    ...key,
    badgeId: d.badgeId,
    badgeVersion: d.version,
    source: 'rules',
    earned: d.decision.earned,
    status: d.decision.status,
    progress: d.decision.progress,
    decision: d.decision,
    earnedAt: d.decision.earnedAt,
    evaluatedAt: now,
    learner: { ...(learner.name ? { name: learner.name } : {}), ...(learner.email ? { email: learner.email } : {}) },
  };
}
