/** The badge rule language: parse and store rules, evaluate them against a learner's snapshot, explain the result. */
export { parseRule, RULE_LIMITS, RULE_TYPES } from './parse';
export { serialiseRule, type JsonObject, type JsonValue } from './serialise';
export { validateRuleAgainstCourse, type CourseIds } from './validate-course';
export { evaluate } from './evaluate';
export { explainDecision, type ExplainLocale, type ExplainOptions } from './explain';
export {
  DEFAULT_ACCEPTED_STATES,
  type AcceptedCompletionState,
  type AssessedGrade,
  type CompletionState,
  type Criterion,
  type CriterionResult,
  type CriterionType,
  type Decision,
  type DecisionStatus,
  type Evidence,
  type Explanation,
  type GradeTarget,
  type GradeThreshold,
  type GradeUnit,
  type ParseRuleResult,
  type Progress,
  type Rule,
  type RuleProblem,
  type RuleProblemCode,
  type RuleSummary,
  type RuleWindow,
} from './types';
