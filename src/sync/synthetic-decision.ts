import type { Decision, Evidence, Explanation, RuleSummary } from '../rules';

/** An earned decision that did not come from evaluating a rule (a gated launch, a manual award). */
export function earnedWithout(rule: RuleSummary, explanation: Explanation, evidence: Evidence[], now: Date): Decision {
  const progress = { done: 1, required: 1, fraction: 1 };
  return {
    earned: true,
    status: 'earned',
    progress,
    criteria: { rule, met: true, started: true, progress, explanation, evidence, metAt: now, children: [] },
    evidence,
    earnedAt: now,
    window: null,
  };
}

/** The fields of a stored decision that record `decision` as earned at `now`. */
export const earnedDecisionFields = (decision: Decision, now: Date) => ({
  earned: true,
  status: 'earned' as const,
  progress: decision.progress,
  decision,
  earnedAt: now,
  evaluatedAt: now,
});
