/**
 * The badge rule language (what a teacher stores as JSON) and the Decision that evaluating it produces.
 * Rules name Moodle things by id (cmid, section id, grade item id) because names change and ids do not.
 */
import type { CompletionState, GradeDisplay } from './snapshot';

export type { CompletionState };

/** Completion states that can satisfy a rule; 'incomplete' never can. */
export type AcceptedCompletionState = Exclude<CompletionState, 'incomplete'>;

/** Used when a rule does not list `states`: done, with or without a pass grade, but not failed. */
export const DEFAULT_ACCEPTED_STATES: readonly AcceptedCompletionState[] = Object.freeze(['complete', 'complete-pass']);

export type GradeTarget = { gradeItemId: string } | { courseTotal: true };

export type GradeThreshold = { percent: number } | { points: number } | { passGrade: true };

/**
 * One requirement. Composite criteria nest further criteria; only the top-level rule may carry a window
 * (a nested window would make "when was the badge earned" ambiguous).
 */
export type Criterion =
  | { type: 'courseCompleted' }
  | { type: 'activityCompleted'; activityId: string; states?: AcceptedCompletionState[] }
  /** All completion-tracked activities of a course section (a "module"). */
  | { type: 'sectionCompleted'; sectionId: string; states?: AcceptedCompletionState[] }
  | { type: 'grade'; target: GradeTarget; atLeast: GradeThreshold }
  /** Another badge of this tool, for stacking micro-credentials. */
  | { type: 'badgeEarned'; badgeId: string }
  | { type: 'all'; rules: Criterion[] }
  | { type: 'any'; rules: Criterion[] }
  | { type: 'atLeast'; count: number; rules: Criterion[] };

export type CriterionType = Criterion['type'];
export type LeafCriterion = Exclude<Criterion, { rules: Criterion[] }>;
export type CompositeCriterion = Extract<Criterion, { rules: Criterion[] }>;

/**
 * A period in which the evidence must be dated. ISO 8601: a date ("2027-03-31", read in UTC: `from` at the start
 * of that day, `until` at its end) or a date-time with a zone ("2027-03-31T23:59:59+03:00"). Both ends inclusive.
 */
export interface RuleWindow {
  from?: string;
  until?: string;
}

/** A badge rule as stored: a criterion plus, optionally, the window its evidence must fall in. */
export type Rule = Criterion & { window?: RuleWindow };

export interface RuleProblem {
  /** JSONPath-like location, e.g. `$.rules[2].atLeast.percent`. */
  path: string;
  /** In words a teacher understands. */
  message: string;
  /** Stable, for translations and tests. */
  code: RuleProblemCode;
}

export type RuleProblemCode =
  | 'not-an-object'
  | 'not-a-list'
  | 'missing'
  | 'unknown-type'
  | 'unknown-key'
  | 'not-a-string'
  | 'empty'
  | 'too-long'
  | 'not-a-number'
  | 'out-of-range'
  | 'not-true'
  | 'choose-one'
  | 'duplicate'
  | 'invalid-state'
  | 'invalid-date'
  | 'window-order'
  | 'window-nested'
  | 'too-deep'
  | 'too-many-parts'
  | 'too-many-problems'
  | 'unreadable'
  | 'not-in-course'
  | 'not-tracked';

export type ParseRuleResult = { ok: true; rule: Rule } | { ok: false; problems: RuleProblem[] };

// ——— Decision ———

export type DecisionStatus = 'earned' | 'in-progress' | 'not-started' | 'closed';

/** `done` of `required`, in the criterion's own unit (activities, percent, points, sub-criteria). */
export interface Progress {
  done: number;
  required: number;
  /** 0..1; 1 exactly when met. */
  fraction: number;
}

export type Evidence =
  | { kind: 'activity-completion'; activityId: string; name: string; state: CompletionState; date: Date | null }
  | { kind: 'course-completion'; courseId: string; name: string; date: Date | null }
  | {
      kind: 'grade';
      gradeItemId: string;
      activityId: string | null;
      name: string;
      value: { grade: number; min: number; max: number; percent: number | null };
      date: Date | null;
    }
  /** The snapshot carries no dates for earned badges. */
  | { kind: 'badge'; badgeId: string; date: null };

export type GradeUnit = 'percent' | 'points';

/** One course completion criterion not met yet, and why, from Moodle's answers. */
export interface MissingCriterion {
  name: string;
  /** not-graded: no grade yet; failed: graded without a passing grade; incomplete: something else is missing (`requirement`). */
  why: 'not-graded' | 'failed' | 'incomplete';
  /** The grade it has, when graded. */
  grade: { have: number; max: number } | null;
  /** What Moodle asks, e.g. "Viewing the assignment, Achieving grade". */
  requirement: string;
}

/** Why a criterion is (not) met, as data: explain.ts turns it into sentences. */
export type Explanation =
  | { kind: 'course-completed'; courseName: string; date: Date | null }
  | {
      kind: 'course-not-completed';
      courseName: string;
      /** Moodle's criteria still missing, with the activity state and grade behind each (absent: Moodle listed none). */
      missing?: MissingCriterion[];
      /** Criteria met of those Moodle lists. */
      met?: number;
      total?: number;
    }
  /** Moodle could not tell (completion tracking off). */
  | { kind: 'course-completion-unknown'; courseName: string }
  | { kind: 'activity-completed'; activityName: string; state: CompletionState; date: Date | null }
  | { kind: 'activity-incomplete'; activityName: string }
  | {
      kind: 'activity-state-not-accepted';
      activityName: string;
      state: CompletionState;
      accepted: AcceptedCompletionState[];
      /** The activity's grade against its pass grade, when it has both (why Moodle says complete-fail). */
      grade: { have: number; need: number; unit: 'percent' } | null;
    }
  | { kind: 'activity-missing'; activityId: string }
  | { kind: 'activity-not-tracked'; activityName: string }
  | { kind: 'section-completed'; sectionName: string; done: number; required: number }
  | {
      kind: 'section-incomplete';
      sectionName: string;
      done: number;
      required: number;
      /** `grade`: what a failed activity was graded (so the learner reads why it does not count). */
      remaining: Array<{ activityId: string; activityName: string; state: CompletionState; grade?: { have: number; max: number } | null }>;
    }
  | { kind: 'section-missing'; sectionId: string }
  | { kind: 'section-has-no-tracked-activities'; sectionName: string }
  | { kind: 'grade-met'; itemName: string; have: number; need: number; unit: GradeUnit }
  | { kind: 'grade-below'; itemName: string; have: number; need: number; unit: GradeUnit }
  | { kind: 'grade-missing'; itemName: string; need: number; unit: GradeUnit }
  | { kind: 'grade-item-missing'; gradeItemId: string }
  | { kind: 'course-total-missing' }
  | { kind: 'pass-grade-not-set'; itemName: string }
  | { kind: 'badge-earned'; badgeId: string }
  | { kind: 'badge-not-earned'; badgeId: string }
  /** The evidence exists but is dated outside the window (or has no date to check). */
  | { kind: 'outside-window'; name: string; date: Date | null; from: Date | null; until: Date | null }
  | {
      kind: 'composite';
      mode: 'all' | 'any' | 'atLeast';
      metCount: number;
      needCount: number;
      /** Indices of the children whose evidence counts (the chosen branches). */
      counted: number[];
    };

/** The rule a result node stands for, without its children; `states` filled in with the default. */
export type RuleSummary =
  | { type: 'courseCompleted' }
  | { type: 'activityCompleted'; activityId: string; states: AcceptedCompletionState[] }
  | { type: 'sectionCompleted'; sectionId: string; states: AcceptedCompletionState[] }
  | { type: 'grade'; target: GradeTarget; atLeast: GradeThreshold }
  | { type: 'badgeEarned'; badgeId: string }
  | { type: 'all' }
  | { type: 'any' }
  | { type: 'atLeast'; count: number };

/** One node of the result tree; the tree mirrors the rule. */
export interface CriterionResult {
  rule: RuleSummary;
  met: boolean;
  /** Some relevant evidence exists (inside the window), even if not enough. */
  started: boolean;
  progress: Progress;
  explanation: Explanation;
  /** Met: the evidence that satisfies it. Not met: what was found so far (e.g. the failing grade). */
  evidence: Evidence[];
  /** When it became met: the latest date of the evidence used; null when not met or no evidence is dated. */
  metAt: Date | null;
  children: CriterionResult[];
}

/** One grade item in the badge's scope with the learner's grade when the decision was made (for the credential). */
export interface AssessedGrade {
  gradeItemId: string;
  activityId: string | null;
  name: string;
  isCourseTotal: boolean;
  /** Null when the learner has no (visible) grade. */
  grade: number | null;
  min: number;
  max: number;
  /** Moodle's pass grade (gradepass); null when Moodle has none or does not report it. */
  pass: number | null;
  percent: number | null;
  display: GradeDisplay;
  /** The grade as Moodle shows it when not a number (letter, scale item). */
  text: string | null;
  scaleItems?: string[];
  date: Date | null;
}

export interface Decision {
  earned: boolean;
  status: DecisionStatus;
  progress: Progress;
  criteria: CriterionResult;
  /** When earned: the evidence used (deduplicated), for the credential. Otherwise empty. */
  evidence: Evidence[];
  /** When earned: the latest date among the evidence used; null otherwise, or when none of it is dated. */
  earnedAt: Date | null;
  /** The rule's window as instants, so a page can say until when the badge can be earned. */
  window: { from: Date | null; until: Date | null } | null;
  /** When earned: the grade items in the rule's scope and the learner's grades (absent in older decisions). */
  assessment?: AssessedGrade[];
}
