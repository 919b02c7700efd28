/**
 * The assessment a badge states: every grade item in the rule's scope with the learner's grade at decision
 * time, so the credential can list what was assessed and how the learner did, not only the fact that made
 * the rule true. Scope: the course's items for a course rule, the section's for a section rule, the named
 * item for activity and grade rules (composites: the union), plus the course total. Pure.
 */
import type { GradeItemResult, LearnerSnapshot } from '../lms/snapshot';
import { copyDate, percentOf } from './evidence';
import type { AssessedGrade, Criterion } from './types';

export function assessmentOf(rule: Criterion, snapshot: LearnerSnapshot): AssessedGrade[] {
  const scope = new Set<string>();
  collectScope(rule, snapshot, scope);
  return snapshot.grades.filter((g) => g.isCourseTotal || scope.has(g.gradeItemId)).map(assessedGrade);
}

function collectScope(c: Criterion, snapshot: LearnerSnapshot, scope: Set<string>): void {
  const byActivity = (ids: ReadonlySet<string>) => {
    for (const g of snapshot.grades) if (g.activityId !== null && ids.has(g.activityId)) scope.add(g.gradeItemId);
  };
  switch (c.type) {
    case 'courseCompleted':
      for (const g of snapshot.grades) scope.add(g.gradeItemId);
      return;
    case 'sectionCompleted': {
      const section = snapshot.structure.sections.find((s) => s.id === c.sectionId);
      if (section) byActivity(new Set(section.activityIds));
      return;
    }
    case 'activityCompleted':
      byActivity(new Set([c.activityId]));
      return;
    case 'grade':
      if ('gradeItemId' in c.target) scope.add(c.target.gradeItemId);
      return;
    case 'badgeEarned':
      return;
    default:
      for (const child of c.rules) collectScope(child, snapshot, scope);
  }
}

function assessedGrade(g: GradeItemResult): AssessedGrade {
  return {
    gradeItemId: g.gradeItemId,
    activityId: g.activityId,
    name: g.name,
    isCourseTotal: g.isCourseTotal,
    grade: g.grade,
    min: g.gradeMin,
    max: g.gradeMax,
    pass: g.gradePass,
    percent: percentOf(g),
    display: g.gradeType ?? 'points',
    text: g.gradeText ?? null,
    ...(g.scaleItems ? { scaleItems: [...g.scaleItems] } : {}),
    date: copyDate(g.gradedAt),
  };
}
