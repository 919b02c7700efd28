/**
 * Checks a parsed rule against the course it is for: every activity, section and grade item it names must exist,
 * and an activity or section must have completion tracking, or the badge could never be earned.
 * Separate from parseRule because the rule is valid JSON either way; this is about one course at one moment
 * (activities get deleted), so the teacher UI runs it on save and the teacher page on view.
 */
import type { CourseStructure } from './snapshot';
import type { Criterion, Rule, RuleProblem } from './types';

export interface CourseIds {
  /**
   * Every grade item of the course. CourseStructure only knows the items attached to activities, so without
   * this a manual grade item is reported as unknown.
   */
  gradeItemIds?: Iterable<string>;
  /** The badges defined in this course, to check stacking rules. Not checked when absent. */
  badgeIds?: Iterable<string>;
}

export function validateRuleAgainstCourse(rule: Rule, structure: CourseStructure, ids: CourseIds = {}): RuleProblem[] {
  const activities = new Map(structure.activities.map((a) => [a.id, a]));
  const sections = new Map(structure.sections.map((s) => [s.id, s]));
  const gradeItemIds = new Set(ids.gradeItemIds ?? structure.activities.flatMap((a) => (a.gradeItemId === null ? [] : [a.gradeItemId])));
  const badgeIds = ids.badgeIds === undefined ? null : new Set(ids.badgeIds);
  const problems: RuleProblem[] = [];

  const visit = (criterion: Criterion, path: string): void => {
    switch (criterion.type) {
      case 'activityCompleted': {
        const activity = activities.get(criterion.activityId);
        if (activity === undefined)
          problems.push({
            path: `${path}.activityId`,
            code: 'not-in-course',
            message: `there is no activity with id ${criterion.activityId} in ${structure.name}`,
          });
        else if (!activity.completionTracked)
          problems.push({
            path: `${path}.activityId`,
            code: 'not-tracked',
            message: `${activity.name} has no completion tracking, so nobody can complete it: turn on completion in its Moodle settings`,
          });
        return;
      }
      case 'sectionCompleted': {
        const section = sections.get(criterion.sectionId);
        if (section === undefined)
          problems.push({
            path: `${path}.sectionId`,
            code: 'not-in-course',
            message: `there is no section with id ${criterion.sectionId} in ${structure.name}`,
          });
        else if (!section.activityIds.some((id) => activities.get(id)?.completionTracked === true))
          problems.push({
            path: `${path}.sectionId`,
            code: 'not-tracked',
            message: `no activity in ${section.name} has completion tracking, so the section cannot be completed`,
          });
        return;
      }
      case 'grade':
        if ('gradeItemId' in criterion.target && !gradeItemIds.has(criterion.target.gradeItemId))
          problems.push({
            path: `${path}.target.gradeItemId`,
            code: 'not-in-course',
            message: `there is no grade item with id ${criterion.target.gradeItemId} in ${structure.name}`,
          });
        return;
      case 'badgeEarned':
        if (badgeIds !== null && !badgeIds.has(criterion.badgeId))
          problems.push({ path: `${path}.badgeId`, code: 'not-in-course', message: `there is no badge with id ${criterion.badgeId} in this course` });
        return;
      case 'all':
      case 'any':
      case 'atLeast':
        criterion.rules.forEach((child, i) => visit(child, `${path}.rules[${i}]`));
        return;
      case 'courseCompleted':
        return;
    }
  };
  visit(rule, '$');
  return problems;
}
