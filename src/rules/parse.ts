/**
 * JSON → Rule, or every problem found, each with its path and a message a teacher can act on.
 * The input is untrusted (pasted JSON, an old stored version): this never throws, never copies unknown keys into
 * its output (so `__proto__` and friends stay inert) and bounds its work by the limits below.
 */
import { readWindowDate } from './window';
import type {
  AcceptedCompletionState,
  Criterion,
  CriterionType,
  GradeTarget,
  GradeThreshold,
  ParseRuleResult,
  Rule,
  RuleProblem,
  RuleProblemCode,
  RuleWindow,
} from './types';

export const RULE_LIMITS = Object.freeze({
  /** Levels of rules inside rules, the top-level rule being level 1. */
  maxDepth: 8,
  /** Rules in the whole tree, composites included. */
  maxParts: 200,
  maxIdLength: 100,
  /** Beyond this the rest is summarised: a page of 1000 problems helps nobody. */
  maxProblems: 100,
});

export const RULE_TYPES: readonly CriterionType[] = Object.freeze([
  'courseCompleted',
  'activityCompleted',
  'sectionCompleted',
  'grade',
  'badgeEarned',
  'all',
  'any',
  'atLeast',
]);

const ACCEPTED_STATES: readonly AcceptedCompletionState[] = ['complete', 'complete-pass', 'complete-fail'];

const KEYS_BY_TYPE: Record<CriterionType, readonly string[]> = {
  courseCompleted: ['type'],
  activityCompleted: ['type', 'activityId', 'states'],
  sectionCompleted: ['type', 'sectionId', 'states'],
  grade: ['type', 'target', 'atLeast'],
  badgeEarned: ['type', 'badgeId'],
  all: ['type', 'rules'],
  any: ['type', 'rules'],
  atLeast: ['type', 'count', 'rules'],
};

/** How each type is named in messages. */
const TYPE_LABEL: Record<CriterionType, string> = {
  courseCompleted: 'course completion',
  activityCompleted: 'activity completion',
  sectionCompleted: 'section completion',
  grade: 'grade',
  badgeEarned: 'earned badge',
  all: '"all of"',
  any: '"any of"',
  atLeast: '"at least"',
};

const TYPE_LIST = RULE_TYPES.join(', ');
const DATE_EXAMPLE = 'a date like 2027-03-31, or a date and time with a time zone like 2027-03-31T23:59:00+03:00';

type JsonObject = Record<string, unknown>;

interface ParseState {
  problems: RuleProblem[];
  dropped: number;
  parts: number;
  reportedTooManyParts: boolean;
}

export function parseRule(json: unknown): ParseRuleResult {
  const state: ParseState = { problems: [], dropped: 0, parts: 0, reportedTooManyParts: false };
  let rule: Rule | null = null;
  try {
    rule = parseTopLevel(json, state);
  } catch {
    // Exotic input (a throwing getter, a revoked Proxy) is not a rule; say so instead of crashing the caller.
    report(state, '$', 'unreadable', 'could not be read as a rule: it must be plain JSON');
  }
  if (state.dropped > 0)
    state.problems.push({
      path: '$',
      code: 'too-many-problems',
      message: `…and ${state.dropped} more problem${state.dropped === 1 ? '' : 's'}; fix the ones above first`,
    });
  if (state.problems.length > 0 || rule === null) return { ok: false, problems: state.problems };
  return { ok: true, rule };
}

function parseTopLevel(json: unknown, state: ParseState): Rule | null {
  if (!isPlainObject(json)) {
    report(state, '$', 'not-an-object', notAnObjectMessage(json));
    return null;
  }
  const criterion = parseCriterion(json, '$', 1, state, true);
  const windowValue = own(json, 'window');
  const window = windowValue === undefined ? undefined : parseWindow(windowValue, '$.window', state);
  if (criterion === null || window === null) return null;
  return window === undefined ? criterion : { ...criterion, window };
}

function parseCriterion(value: unknown, path: string, depth: number, state: ParseState, isTop: boolean): Criterion | null {
  if (depth > RULE_LIMITS.maxDepth) {
    report(state, path, 'too-deep', `rules are nested too deeply here: at most ${RULE_LIMITS.maxDepth} levels of rules inside rules`);
    return null;
  }
  state.parts += 1;
  if (state.parts > RULE_LIMITS.maxParts) {
    if (!state.reportedTooManyParts) report(state, '$', 'too-many-parts', `the rule has too many parts: at most ${RULE_LIMITS.maxParts} rules in all`);
    state.reportedTooManyParts = true;
    return null;
  }
  if (!isPlainObject(value)) {
    report(state, path, 'not-an-object', notAnObjectMessage(value));
    return null;
  }
  const type = readType(value, path, state);
  if (type === null) return null;

  const allowed = KEYS_BY_TYPE[type];
  for (const key of Object.keys(value)) {
    if (allowed.includes(key)) continue;
    if (key === 'window') {
      if (!isTop) report(state, childPath(path, key), 'window-nested', 'a time window can only be set on the whole rule, not on a part of it');
      continue;
    }
    report(state, childPath(path, key), 'unknown-key', `"${shorten(key)}" is not a setting of a ${TYPE_LABEL[type]} rule; remove it`);
  }

  switch (type) {
    case 'courseCompleted':
      return { type };
    case 'activityCompleted': {
      const activityId = readId(value, 'activityId', path, state, 'choose an activity of the course');
      const states = readStates(value, path, state);
      if (activityId === null || states === null) return null;
      return states === undefined ? { type, activityId } : { type, activityId, states };
    }
    case 'sectionCompleted': {
      const sectionId = readId(value, 'sectionId', path, state, 'choose a section of the course');
      const states = readStates(value, path, state);
      if (sectionId === null || states === null) return null;
      return states === undefined ? { type, sectionId } : { type, sectionId, states };
    }
    case 'grade': {
      const target = readGradeTarget(own(value, 'target'), childPath(path, 'target'), state);
      const atLeast = readGradeThreshold(own(value, 'atLeast'), childPath(path, 'atLeast'), state);
      if (target === null || atLeast === null) return null;
      return { type, target, atLeast };
    }
    case 'badgeEarned': {
      const badgeId = readId(value, 'badgeId', path, state, 'choose a badge of this course');
      return badgeId === null ? null : { type, badgeId };
    }
    case 'all':
    case 'any': {
      const rules = readRules(value, path, depth, state);
      return rules === null ? null : { type, rules };
    }
    case 'atLeast': {
      const rules = readRules(value, path, depth, state);
      const count = readCount(own(value, 'count'), childPath(path, 'count'), listedRuleCount(value), state);
      if (rules === null || count === null) return null;
      return { type, count, rules };
    }
  }
}

function readType(value: JsonObject, path: string, state: ParseState): CriterionType | null {
  const type = own(value, 'type');
  const typePath = childPath(path, 'type');
  if (type === undefined) {
    report(state, typePath, 'missing', `is missing: say which kind of rule this is, one of: ${TYPE_LIST}`);
    return null;
  }
  if (typeof type !== 'string' || !(RULE_TYPES as readonly string[]).includes(type)) {
    const shown = typeof type === 'string' ? `"${shorten(type)}" is not a kind of rule` : 'must be the kind of rule, as text';
    report(state, typePath, 'unknown-type', `${shown}; use one of: ${TYPE_LIST}`);
    return null;
  }
  return type as CriterionType;
}

function readId(value: JsonObject, key: string, path: string, state: ParseState, hint: string): string | null {
  const id = own(value, key);
  const idPath = childPath(path, key);
  if (id === undefined) return fail(state, idPath, 'missing', `is missing: ${hint}`);
  if (typeof id !== 'string') return fail(state, idPath, 'not-a-string', 'must be an id written as text, e.g. "12"');
  if (id.trim() === '') return fail(state, idPath, 'empty', `must not be empty: ${hint}`);
  if (id.length > RULE_LIMITS.maxIdLength) return fail(state, idPath, 'too-long', `is too long: an id has at most ${RULE_LIMITS.maxIdLength} characters`);
  return id;
}

/** undefined = not given (use the default); null = given but wrong. */
function readStates(value: JsonObject, path: string, state: ParseState): AcceptedCompletionState[] | undefined | null {
  const states = own(value, 'states');
  if (states === undefined) return undefined;
  const statesPath = childPath(path, 'states');
  const choices = 'complete, complete-pass or complete-fail';
  if (!Array.isArray(states)) return fail(state, statesPath, 'not-a-list', `must be a list of completion states, e.g. ["complete-pass"]; use ${choices}`);
  if (states.length === 0) return fail(state, statesPath, 'empty', `must list at least one completion state: ${choices}`);
  if (states.length > ACCEPTED_STATES.length * 4) return fail(state, statesPath, 'too-long', `lists too many states: use some of ${choices}, each once`);
  const result: AcceptedCompletionState[] = [];
  let valid = true;
  // An index loop, not forEach: forEach skips the holes of a sparse array, which must be reported too.
  for (let i = 0; i < states.length; i++) {
    const s: unknown = states[i];
    const itemPath = `${statesPath}[${i}]`;
    if (s === 'incomplete') {
      valid = false;
      report(state, itemPath, 'invalid-state', `"incomplete" cannot earn a badge; use ${choices}`);
    } else if (typeof s !== 'string' || !(ACCEPTED_STATES as readonly string[]).includes(s)) {
      valid = false;
      const shown = typeof s === 'string' ? `"${shorten(s)}" is not a completion state` : 'must be a completion state, as text';
      report(state, itemPath, 'invalid-state', `${shown}; use ${choices}`);
    } else if (result.includes(s as AcceptedCompletionState)) {
      valid = false;
      report(state, itemPath, 'duplicate', `"${s}" is listed twice`);
    } else {
      result.push(s as AcceptedCompletionState);
    }
  }
  return valid ? result : null;
}

function readGradeTarget(target: unknown, path: string, state: ParseState): GradeTarget | null {
  const shape = 'must be {"gradeItemId": "…"} for a grade item, or {"courseTotal": true} for the course total';
  if (target === undefined) return fail(state, path, 'missing', 'is missing: choose a grade item or the course total');
  if (!isPlainObject(target)) return fail(state, path, 'not-an-object', shape);
  reportUnknownKeys(target, ['gradeItemId', 'courseTotal'], path, 'grade target', state);
  const hasItem = own(target, 'gradeItemId') !== undefined;
  const hasTotal = own(target, 'courseTotal') !== undefined;
  if (hasItem && hasTotal) return fail(state, path, 'choose-one', 'choose either a grade item or the course total, not both');
  if (hasTotal) {
    if (own(target, 'courseTotal') !== true) return fail(state, childPath(path, 'courseTotal'), 'not-true', 'must be true');
    return { courseTotal: true };
  }
  if (!hasItem) return fail(state, path, 'missing', shape);
  const gradeItemId = readId(target, 'gradeItemId', path, state, 'choose a grade item of the course');
  return gradeItemId === null ? null : { gradeItemId };
}

function readGradeThreshold(threshold: unknown, path: string, state: ParseState): GradeThreshold | null {
  const choices = 'a percentage {"percent": 50}, points {"points": 10} or the pass grade set in Moodle {"passGrade": true}';
  if (threshold === undefined) return fail(state, path, 'missing', `is missing: say which grade is needed: ${choices}`);
  if (!isPlainObject(threshold)) return fail(state, path, 'not-an-object', `must say which grade is needed: ${choices}`);
  reportUnknownKeys(threshold, ['percent', 'points', 'passGrade'], path, 'needed grade', state);
  const given = (['percent', 'points', 'passGrade'] as const).filter((k) => own(threshold, k) !== undefined);
  if (given.length > 1) return fail(state, path, 'choose-one', `give only one of percent, points or passGrade, not ${given.join(' and ')}`);
  const [kind] = given;
  if (kind === undefined) return fail(state, path, 'missing', `must say which grade is needed: ${choices}`);
  const value = own(threshold, kind);
  const valuePath = childPath(path, kind);
  if (kind === 'passGrade') {
    if (value !== true) return fail(state, valuePath, 'not-true', 'must be true');
    return { passGrade: true };
  }
  if (typeof value !== 'number' || !Number.isFinite(value))
    return fail(state, valuePath, 'not-a-number', kind === 'percent' ? 'must be a number between 0 and 100' : 'must be a number of points, 0 or more');
  if (kind === 'percent') {
    if (value < 0 || value > 100) return fail(state, valuePath, 'out-of-range', 'must be a number between 0 and 100');
    return { percent: value };
  }
  if (value < 0) return fail(state, valuePath, 'out-of-range', 'must be a number of points, 0 or more');
  return { points: value };
}

function readRules(value: JsonObject, path: string, depth: number, state: ParseState): Criterion[] | null {
  const rules = own(value, 'rules');
  const rulesPath = childPath(path, 'rules');
  if (rules === undefined) return fail(state, rulesPath, 'missing', 'is missing: list the rules to combine');
  if (!Array.isArray(rules)) return fail(state, rulesPath, 'not-a-list', 'must be a list of rules');
  if (rules.length === 0) return fail(state, rulesPath, 'empty', 'must list at least one rule');
  if (rules.length > RULE_LIMITS.maxParts)
    return fail(state, rulesPath, 'too-many-parts', `lists too many rules: at most ${RULE_LIMITS.maxParts} rules in all`);
  const parsed: Criterion[] = [];
  let valid = true;
  for (let i = 0; i < rules.length; i++) {
    const criterion = parseCriterion(rules[i] as unknown, `${rulesPath}[${i}]`, depth + 1, state, false);
    if (criterion === null) valid = false;
    else parsed.push(criterion);
  }
  return valid ? parsed : null;
}

/** The number of rules listed, when it can be known, to bound `count`. */
function listedRuleCount(value: JsonObject): number | null {
  const rules = own(value, 'rules');
  return Array.isArray(rules) && rules.length > 0 ? rules.length : null;
}

function readCount(count: unknown, path: string, listed: number | null, state: ParseState): number | null {
  const range = listed === null ? 'a whole number, 1 or more' : `a whole number from 1 to ${listed} (the number of rules listed)`;
  if (count === undefined) return fail(state, path, 'missing', `is missing: say how many of the rules must be met, ${range}`);
  if (typeof count !== 'number' || !Number.isFinite(count)) return fail(state, path, 'not-a-number', `must be ${range}`);
  if (!Number.isInteger(count) || count < 1 || (listed !== null && count > listed)) return fail(state, path, 'out-of-range', `must be ${range}`);
  return count;
}

/** undefined is never returned here: the caller only calls it for a present window. null = problems. */
function parseWindow(window: unknown, path: string, state: ParseState): RuleWindow | null {
  if (!isPlainObject(window)) return fail(state, path, 'not-an-object', 'must be a period like {"from": "2027-01-01", "until": "2027-03-31"}');
  reportUnknownKeys(window, ['from', 'until'], path, 'time window', state);
  const from = own(window, 'from');
  const until = own(window, 'until');
  if (from === undefined && until === undefined) return fail(state, path, 'empty', 'give a start date (from), an end date (until) or both');
  const fromMs = readWindowEdge(from, 'from', path, state);
  const untilMs = readWindowEdge(until, 'until', path, state);
  if (fromMs === null || untilMs === null) return null;
  if (fromMs !== undefined && untilMs !== undefined && fromMs > untilMs)
    return fail(state, path, 'window-order', 'the start date (from) must not be after the end date (until)');
  const result: RuleWindow = {};
  if (typeof from === 'string') result.from = from;
  if (typeof until === 'string') result.until = until;
  return result;
}

function readWindowEdge(value: unknown, edge: 'from' | 'until', path: string, state: ParseState): number | undefined | null {
  if (value === undefined) return undefined;
  const edgePath = childPath(path, edge);
  if (typeof value !== 'string') return fail(state, edgePath, 'invalid-date', `must be ${DATE_EXAMPLE}`);
  if (value.length > 40) return fail(state, edgePath, 'invalid-date', `must be ${DATE_EXAMPLE}`);
  const read = readWindowDate(value, edge);
  if (read.ok) return read.ms;
  const message =
    read.reason === 'no-zone'
      ? 'needs a time zone, e.g. 2027-03-31T23:59:00+03:00 or 2027-03-31T20:59:00Z; or give only the date'
      : read.reason === 'calendar'
        ? 'is not a real date or time'
        : `must be ${DATE_EXAMPLE}`;
  return fail(state, edgePath, 'invalid-date', message);
}

function reportUnknownKeys(value: JsonObject, allowed: readonly string[], path: string, label: string, state: ParseState): void {
  for (const key of Object.keys(value))
    if (!allowed.includes(key)) report(state, childPath(path, key), 'unknown-key', `"${shorten(key)}" is not a setting of a ${label}; remove it`);
}

// ——— helpers ———

function report(state: ParseState, path: string, code: RuleProblemCode, message: string): void {
  if (state.problems.length >= RULE_LIMITS.maxProblems) state.dropped += 1;
  else state.problems.push({ path, message, code });
}

function fail(state: ParseState, path: string, code: RuleProblemCode, message: string): null {
  report(state, path, code, message);
  return null;
}

/** Only plain JSON-like objects: a Date, Map or class instance is not a rule. */
function isPlainObject(value: unknown): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Own properties only, so inherited names (`constructor`, `toString`) never read as settings. */
function own(value: JsonObject, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
}

function notAnObjectMessage(value: unknown): string {
  const what = Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value === 'object' ? 'an unusual object' : `a ${typeof value}`;
  return `must be a rule: an object with a "type", such as {"type": "courseCompleted"}, not ${what}`;
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function childPath(path: string, key: string): string {
  return PLAIN_KEY.test(key) && key.length <= 60 ? `${path}.${key}` : `${path}[${JSON.stringify(shorten(key))}]`;
}

/** Echo what the teacher wrote, but never a megabyte of it. */
function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
