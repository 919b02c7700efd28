/**
 * evaluate(rule, snapshot, now) → Decision. Pure: everything it knows comes in as arguments, including the clock,
 * so a decision can be replayed and tested; it reads its inputs and never changes them.
 *
 * Window semantics (the rule's optional `window`): a completion, course completion or grade counts only if its
 * date lies inside [from, until]; undated evidence of those kinds does not count under a window. Earned badges
 * are undated in the snapshot and are not checked. Once `now` is after `until` and the criteria are not met
 * with evidence from inside the window, the badge can no longer be earned: status 'closed'.
 */
import type { LearnerSnapshot } from './snapshot';
import { assessmentOf } from './assessment';
import { dedupeEvidence } from './evidence';
import { evaluateLeaf, type EvaluationContext } from './leaves';
import { SnapshotIndex } from './snapshot-index';
import type { CompositeCriterion, Criterion, CriterionResult, Decision, DecisionStatus, Evidence, Rule, RuleSummary } from './types';
import { windowBounds } from './window';

export function evaluate(rule: Rule, snapshot: LearnerSnapshot, now: Date): Decision {
  if (Number.isNaN(now.getTime())) throw new RangeError('evaluate: `now` is an invalid Date');
  const ctx = evaluationContext(rule, snapshot);
  const criteria = evaluateCriterion(rule, ctx);
  const earned = criteria.met;
  const closed = !earned && ctx.window !== null && now.getTime() > ctx.window.until;
  const status: DecisionStatus = earned ? 'earned' : closed ? 'closed' : criteria.started ? 'in-progress' : 'not-started';
  const earnedAt = earned && criteria.metAt !== null ? new Date(criteria.metAt.getTime()) : null;
  const decision: Decision = {
    earned,
    status,
    progress: { ...criteria.progress },
    criteria,
    evidence: earned ? dedupeEvidence(criteria.evidence) : [],
    earnedAt,
    window: ctx.window === null ? null : { ...ctx.windowDates },
  };
  // only when earned: it goes into the credential, and evaluation runs for every learner
  if (earned) decision.assessment = assessmentOf(rule, snapshot);
  return decision;
}

function evaluationContext(rule: Rule, snapshot: LearnerSnapshot): EvaluationContext {
  const window = rule.window === undefined ? null : windowBounds(rule.window);
  return {
    index: new SnapshotIndex(snapshot),
    window,
    windowDates: window === null ? { from: null, until: null } : { from: finiteDate(window.from), until: finiteDate(window.until) },
  };
}

function finiteDate(ms: number): Date | null {
  return Number.isFinite(ms) ? new Date(ms) : null;
}

function evaluateCriterion(criterion: Criterion, ctx: EvaluationContext): CriterionResult {
  switch (criterion.type) {
    case 'all':
    case 'any':
    case 'atLeast':
      return evaluateComposite(criterion, ctx);
    default:
      return evaluateLeaf(criterion, ctx);
  }
}

function evaluateComposite(criterion: CompositeCriterion, ctx: EvaluationContext): CriterionResult {
  // Plain loops: this runs for every learner, and allocation here was the bulk of a profile over 10,000 learners.
  const children: CriterionResult[] = new Array(criterion.rules.length);
  const metIndices: number[] = [];
  let started = false;
  for (let i = 0; i < criterion.rules.length; i++) {
    const child = evaluateCriterion(criterion.rules[i]!, ctx);
    children[i] = child;
    if (child.met) metIndices.push(i);
    if (child.started) started = true;
  }
  const needCount = criterion.type === 'all' ? children.length : criterion.type === 'any' ? 1 : criterion.count;
  const met = metIndices.length >= needCount;
  // Met: the earliest-satisfied branches that suffice, so earnedAt is when the rule first held.
  // Not met: every met branch, to show what is already in hand.
  const counted = met && needCount < metIndices.length ? earliest(metIndices, children, needCount) : metIndices;
  const evidence: Evidence[] = [];
  let metAt: Date | null = null;
  for (const i of counted) {
    const child = children[i]!;
    for (const e of child.evidence) evidence.push(e);
    if (met && child.metAt !== null && (metAt === null || child.metAt.getTime() > metAt.getTime())) metAt = child.metAt;
  }
  const rule: RuleSummary = criterion.type === 'atLeast' ? { type: 'atLeast', count: criterion.count } : { type: criterion.type };
  return {
    rule,
    met,
    started,
    progress: {
      done: Math.min(metIndices.length, needCount),
      required: needCount,
      fraction: met ? 1 : belowOne(bestFractions(children, needCount) / needCount),
    },
    explanation: { kind: 'composite', mode: criterion.type, metCount: metIndices.length, needCount, counted },
    evidence,
    metAt,
    children,
  };
}

/** The `count` met children satisfied first (undated last, then rule order), returned in rule order. */
function earliest(metIndices: number[], children: CriterionResult[], count: number): number[] {
  const when = (i: number) => children[i]!.metAt?.getTime() ?? Infinity;
  return [...metIndices]
    .sort((a, b) => when(a) - when(b) || a - b)
    .slice(0, count)
    .sort((a, b) => a - b);
}

/** Rounding must not make an unmet rule look complete. */
function belowOne(fraction: number): number {
  return Math.min(fraction, 1 - Number.EPSILON);
}

/** Partial credit: the sum of the `count` best child fractions, so a bar moves as grades rise. */
function bestFractions(children: CriterionResult[], count: number): number {
  let sum = 0;
  if (count >= children.length) {
    for (const child of children) sum += child.progress.fraction;
    return sum;
  }
  const fractions = children.map((c) => c.progress.fraction).sort((a, b) => b - a);
  for (let i = 0; i < count; i++) sum += fractions[i]!;
  return sum;
}
