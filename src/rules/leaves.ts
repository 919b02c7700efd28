/**
 * The criteria that look at the snapshot itself: course, activity, section, grade, badge.
 * Each returns a full result node: whether it is met, how far along the learner is, why, and the evidence.
 */
import type { CompletionState, CourseCompletionCriterion, GradeItemResult } from './snapshot';
import { badgeEvidence, completionEvidence, courseCompletionEvidence, gradeEvidence, percentOf, pointsAsPercent } from './evidence';
import type { SnapshotIndex } from './snapshot-index';
import {
  DEFAULT_ACCEPTED_STATES,
  type AcceptedCompletionState,
  type CriterionResult,
  type Evidence,
  type Explanation,
  type GradeTarget,
  type GradeThreshold,
  type GradeUnit,
  type LeafCriterion,
  type MissingCriterion,
  type Progress,
  type RuleSummary,
} from './types';
import { isInside, type WindowBounds } from './window';

export interface EvaluationContext {
  index: SnapshotIndex;
  /** null: no window, every date counts (even a missing one). */
  window: WindowBounds | null;
  windowDates: { from: Date | null; until: Date | null };
  /** Cache for hasAnyEngagement. */
  engagement?: boolean;
}

/** Any completion or grade at all inside the window: course completion is made of the course's activities. */
function hasAnyEngagement(ctx: EvaluationContext): boolean {
  if (ctx.engagement === undefined) {
    const { snapshot } = ctx.index;
    ctx.engagement =
      snapshot.activities.some((c) => c.state !== 'incomplete' && isInside(ctx.window, c.completedAt)) ||
      snapshot.grades.some((g) => !g.isCourseTotal && g.grade !== null && isInside(ctx.window, g.gradedAt));
  }
  return ctx.engagement;
}

export function evaluateLeaf(criterion: LeafCriterion, ctx: EvaluationContext): CriterionResult {
  switch (criterion.type) {
    case 'courseCompleted':
      return evaluateCourseCompleted(ctx);
    case 'activityCompleted':
      return evaluateActivityCompleted(criterion.activityId, criterion.states ?? DEFAULT_ACCEPTED_STATES, ctx);
    case 'sectionCompleted':
      return evaluateSectionCompleted(criterion.sectionId, criterion.states ?? DEFAULT_ACCEPTED_STATES, ctx);
    case 'grade':
      return evaluateGrade(criterion.target, criterion.atLeast, ctx);
    case 'badgeEarned':
      return evaluateBadgeEarned(criterion.badgeId, ctx);
  }
}

function evaluateCourseCompleted(ctx: EvaluationContext): CriterionResult {
  const { snapshot } = ctx.index;
  const rule: RuleSummary = { type: 'courseCompleted' };
  const courseName = snapshot.structure.name;
  const completion = snapshot.courseCompletion;
  if (completion === null) return unmet(rule, hasAnyEngagement(ctx), zeroOf(1), { kind: 'course-completion-unknown', courseName });
  if (!completion.completed) {
    const criteria = completion.criteria;
    if (!criteria?.length) return unmet(rule, hasAnyEngagement(ctx), zeroOf(1), { kind: 'course-not-completed', courseName });
    // progress counts Moodle's own criteria: all of them when all are required, one when any is enough
    const met = criteria.filter((c) => c.complete).length;
    const required = completion.aggregation === 'any' ? 1 : criteria.length;
    const progress = { done: Math.min(met, required), required, fraction: Math.min(met, required) / required };
    const missing = criteria.filter((c) => !c.complete).map((c) => missingCriterion(c, ctx));
    return unmet(rule, hasAnyEngagement(ctx), progress, { kind: 'course-not-completed', courseName, missing, met, total: criteria.length });
  }
  if (!isInside(ctx.window, completion.completedAt))
    return unmet(rule, hasAnyEngagement(ctx), zeroOf(1), outsideWindow(courseName, completion.completedAt, ctx));
  const evidence = courseCompletionEvidence(snapshot, completion.completedAt);
  return met(rule, { done: 1, required: 1, fraction: 1 }, { kind: 'course-completed', courseName, date: evidence.date }, [evidence]);
}

/** Why one of Moodle's course completion criteria is not met, from the activity's state and grade. */
function missingCriterion(c: CourseCompletionCriterion, ctx: EvaluationContext): MissingCriterion {
  const activity = c.activityId === null ? undefined : ctx.index.activity(c.activityId);
  const state = c.activityId === null ? undefined : ctx.index.completion(c.activityId)?.state;
  const item = activity?.gradeItemId ? ctx.index.gradeItem(activity.gradeItemId) : undefined;
  const grade = item && item.grade !== null ? { have: item.grade, max: item.gradeMax } : null;
  const name = activity?.name ?? c.name;
  if (state === 'complete-fail') return { name, why: 'failed', grade, requirement: c.requirement };
  if (item && item.grade === null && /grade/i.test(c.requirement)) return { name, why: 'not-graded', grade: null, requirement: c.requirement };
  return { name, why: 'incomplete', grade, requirement: c.requirement };
}

function evaluateActivityCompleted(activityId: string, states: readonly AcceptedCompletionState[], ctx: EvaluationContext): CriterionResult {
  const rule: RuleSummary = { type: 'activityCompleted', activityId, states: [...states] };
  const activity = ctx.index.activity(activityId);
  if (activity === undefined) return unmet(rule, false, zeroOf(1), { kind: 'activity-missing', activityId });
  const activityName = activity.name;
  if (!activity.completionTracked) return unmet(rule, false, zeroOf(1), { kind: 'activity-not-tracked', activityName });

  const completion = ctx.index.completion(activityId);
  const accepted = completion !== undefined && states.includes(completion.state as AcceptedCompletionState);
  const inside = completion !== undefined && isInside(ctx.window, completion.completedAt);
  if (!accepted || !inside) {
    // Only an unmet activity needs its grade: to show progress, or why Moodle said complete-fail.
    const gradeItem = activity.gradeItemId === null ? undefined : ctx.index.gradeItem(activity.gradeItemId);
    const graded = gradedInside(gradeItem, ctx);
    const gradeFound: Evidence[] = graded === null ? [] : [gradeEvidence(graded)];
    if (completion === undefined || completion.state === 'incomplete')
      return unmet(rule, graded !== null, zeroOf(1), { kind: 'activity-incomplete', activityName }, gradeFound);
    if (!accepted) {
      const explanation: Explanation = {
        kind: 'activity-state-not-accepted',
        activityName,
        state: completion.state,
        accepted: [...states],
        grade: gradeAgainstPass(gradeItem),
      };
      return unmet(rule, inside || graded !== null, zeroOf(1), explanation, [completionEvidence(activity, completion), ...gradeFound]);
    }
    return unmet(rule, graded !== null, zeroOf(1), outsideWindow(activityName, completion.completedAt, ctx));
  }
  const found = completionEvidence(activity, completion);
  return met(rule, { done: 1, required: 1, fraction: 1 }, { kind: 'activity-completed', activityName, state: completion.state, date: found.date }, [found]);
}

function evaluateSectionCompleted(sectionId: string, states: readonly AcceptedCompletionState[], ctx: EvaluationContext): CriterionResult {
  const rule: RuleSummary = { type: 'sectionCompleted', sectionId, states: [...states] };
  const section = ctx.index.section(sectionId);
  if (section === undefined) return unmet(rule, false, zeroOf(1), { kind: 'section-missing', sectionId });
  const sectionName = section.name;

  const evidence: Evidence[] = [];
  const remaining: Array<{ activityId: string; activityName: string; state: CompletionState; grade?: { have: number; max: number } | null }> = [];
  const seen = new Set<string>();
  let started = false;
  for (const id of section.activityIds) {
    const activity = ctx.index.activity(id);
    // Untracked activities cannot be completed, so they are not part of "finishing the module".
    if (activity === undefined || !activity.completionTracked || seen.has(id)) continue;
    seen.add(id);
    const completion = ctx.index.completion(id);
    const state: CompletionState = completion?.state ?? 'incomplete';
    const inside = completion !== undefined && isInside(ctx.window, completion.completedAt);
    if (state !== 'incomplete' && inside) started = true;
    if (completion !== undefined && inside && states.includes(state as AcceptedCompletionState)) evidence.push(completionEvidence(activity, completion));
    else {
      // the grade behind a failed activity, for "graded 40/100, not passed"
      const item = state === 'complete-fail' && activity.gradeItemId ? ctx.index.gradeItem(activity.gradeItemId) : undefined;
      const grade = item && item.grade !== null ? { have: item.grade, max: item.gradeMax } : null;
      remaining.push({ activityId: id, activityName: activity.name, state, ...(grade ? { grade } : {}) });
    }
  }
  const required = evidence.length + remaining.length;
  // An empty module must not hand out badges for doing nothing.
  if (required === 0) return unmet(rule, false, zeroOf(1), { kind: 'section-has-no-tracked-activities', sectionName });
  const done = evidence.length;
  if (remaining.length > 0)
    return unmet(
      rule,
      started,
      { done, required, fraction: done / required },
      { kind: 'section-incomplete', sectionName, done, required, remaining },
      evidence,
    );
  return met(rule, { done, required, fraction: 1 }, { kind: 'section-completed', sectionName, done, required }, evidence);
}

function evaluateGrade(target: GradeTarget, threshold: GradeThreshold, ctx: EvaluationContext): CriterionResult {
  const rule: RuleSummary = { type: 'grade', target: copyTarget(target), atLeast: copyThreshold(threshold) };
  const item = 'courseTotal' in target ? ctx.index.courseTotal() : ctx.index.gradeItem(target.gradeItemId);
  const fallbackNeed = 'percent' in threshold ? threshold.percent : 'points' in threshold ? threshold.points : 1;
  if (item === undefined) {
    const explanation: Explanation =
      'courseTotal' in target ? { kind: 'course-total-missing' } : { kind: 'grade-item-missing', gradeItemId: target.gradeItemId };
    return unmet(rule, false, zeroOf(fallbackNeed), explanation);
  }
  const itemName = item.name;
  const bar = gradeBar(item, threshold);
  if (bar === null) return unmet(rule, gradedInside(item, ctx) !== null, zeroOf(1), { kind: 'pass-grade-not-set', itemName });
  const { unit, need } = bar;

  if (item.grade === null) return unmet(rule, false, zeroOf(need), { kind: 'grade-missing', itemName, need, unit });
  if (!isInside(ctx.window, item.gradedAt)) return unmet(rule, false, zeroOf(need), outsideWindow(itemName, item.gradedAt, ctx));
  const graded = item as GradeItemResult & { grade: number };
  const evidence = [gradeEvidence(graded)];
  const have = unit === 'percent' ? (percentOf(graded) ?? 0) : graded.grade;
  // Decided on the raw grade where the bar is in points, so no rounding to percent sneaks in.
  const passes = bar.rawPoints === null ? have >= need : graded.grade >= bar.rawPoints;
  if (passes) return met(rule, { done: need, required: need, fraction: 1 }, { kind: 'grade-met', itemName, have, need, unit }, evidence);
  const done = Math.max(0, Math.min(have, need));
  return unmet(rule, true, { done, required: need, fraction: need > 0 ? done / need : 0 }, { kind: 'grade-below', itemName, have, need, unit }, evidence);
}

interface GradeBar {
  unit: GradeUnit;
  /** In `unit`. */
  need: number;
  /** The bar in raw points when it is defined in points (points, pass grade); null for a percentage. */
  rawPoints: number | null;
}

/** null: the rule asks for Moodle's pass grade and the item has none. */
function gradeBar(item: GradeItemResult, threshold: GradeThreshold): GradeBar | null {
  if ('percent' in threshold) return { unit: 'percent', need: threshold.percent, rawPoints: null };
  if ('points' in threshold) return { unit: 'points', need: threshold.points, rawPoints: threshold.points };
  const pass = item.gradePass;
  if (pass === null) return null;
  const passPercent = pointsAsPercent(item, pass);
  // Learners read grades as percentages; an item without a range can only be shown in points.
  return passPercent === null ? { unit: 'points', need: pass, rawPoints: pass } : { unit: 'percent', need: passPercent, rawPoints: pass };
}

/** Why Moodle said complete-fail: the grade against the pass grade, both as percentages. */
function gradeAgainstPass(item: GradeItemResult | undefined): { have: number; need: number; unit: 'percent' } | null {
  if (item === undefined || item.gradePass === null) return null;
  const have = percentOf(item);
  const need = pointsAsPercent(item, item.gradePass);
  return have === null || need === null ? null : { have, need, unit: 'percent' };
}

function gradedInside(item: GradeItemResult | undefined, ctx: EvaluationContext): (GradeItemResult & { grade: number }) | null {
  if (item === undefined || item.grade === null || !isInside(ctx.window, item.gradedAt)) return null;
  return item as GradeItemResult & { grade: number };
}

function evaluateBadgeEarned(badgeId: string, ctx: EvaluationContext): CriterionResult {
  const rule: RuleSummary = { type: 'badgeEarned', badgeId };
  // Not checked against the window: the snapshot has no dates for earned badges.
  if (!ctx.index.hasBadge(badgeId)) return unmet(rule, false, zeroOf(1), { kind: 'badge-not-earned', badgeId });
  return met(rule, { done: 1, required: 1, fraction: 1 }, { kind: 'badge-earned', badgeId }, [badgeEvidence(badgeId)]);
}

// ——— result builders ———

function met(rule: RuleSummary, progress: Progress, explanation: Explanation, evidence: Evidence[]): CriterionResult {
  let metAt: Date | null = null;
  for (const e of evidence) if (e.date !== null && (metAt === null || e.date.getTime() > metAt.getTime())) metAt = e.date;
  return { rule, met: true, started: true, progress, explanation, evidence, metAt, children: [] };
}

function unmet(rule: RuleSummary, started: boolean, progress: Progress, explanation: Explanation, found: Evidence[] = []): CriterionResult {
  return { rule, met: false, started, progress, explanation, evidence: found, metAt: null, children: [] };
}

function zeroOf(required: number): Progress {
  return { done: 0, required, fraction: 0 };
}

function outsideWindow(name: string, date: Date | null, ctx: EvaluationContext): Explanation {
  return { kind: 'outside-window', name, date: date === null ? null : new Date(date.getTime()), ...copyWindowDates(ctx) };
}

function copyWindowDates(ctx: EvaluationContext): { from: Date | null; until: Date | null } {
  const { from, until } = ctx.windowDates;
  return { from: from === null ? null : new Date(from.getTime()), until: until === null ? null : new Date(until.getTime()) };
}

function copyTarget(target: GradeTarget): GradeTarget {
  return 'courseTotal' in target ? { courseTotal: true } : { gradeItemId: target.gradeItemId };
}

function copyThreshold(threshold: GradeThreshold): GradeThreshold {
  if ('percent' in threshold) return { percent: threshold.percent };
  if ('points' in threshold) return { points: threshold.points };
  return { passGrade: true };
}
