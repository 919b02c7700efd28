/**
 * Rule → plain JSON with a fixed key order (type first, window last), so stored rules diff cleanly and hash
 * the same whatever object they were built from. `parseRule(serialiseRule(r))` gives `r` back.
 */
import type { Criterion, GradeTarget, GradeThreshold, Rule } from './types';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function serialiseRule(rule: Rule): JsonObject {
  const json = serialiseCriterion(rule);
  if (rule.window === undefined) return json;
  const window: JsonObject = {};
  if (rule.window.from !== undefined) window.from = rule.window.from;
  if (rule.window.until !== undefined) window.until = rule.window.until;
  json.window = window;
  return json;
}

function serialiseCriterion(criterion: Criterion): JsonObject {
  switch (criterion.type) {
    case 'courseCompleted':
      return { type: criterion.type };
    case 'activityCompleted':
      return withStates({ type: criterion.type, activityId: criterion.activityId }, criterion.states);
    case 'sectionCompleted':
      return withStates({ type: criterion.type, sectionId: criterion.sectionId }, criterion.states);
    case 'grade':
      return { type: criterion.type, target: serialiseTarget(criterion.target), atLeast: serialiseThreshold(criterion.atLeast) };
    case 'badgeEarned':
      return { type: criterion.type, badgeId: criterion.badgeId };
    case 'all':
    case 'any':
      return { type: criterion.type, rules: criterion.rules.map(serialiseCriterion) };
    case 'atLeast':
      return { type: criterion.type, count: criterion.count, rules: criterion.rules.map(serialiseCriterion) };
  }
}

function withStates(json: JsonObject, states: readonly string[] | undefined): JsonObject {
  if (states !== undefined) json.states = [...states];
  return json;
}

function serialiseTarget(target: GradeTarget): JsonObject {
  return 'courseTotal' in target ? { courseTotal: true } : { gradeItemId: target.gradeItemId };
}

function serialiseThreshold(threshold: GradeThreshold): JsonObject {
  if ('percent' in threshold) return { percent: threshold.percent };
  if ('points' in threshold) return { points: threshold.points };
  return { passGrade: true };
}
