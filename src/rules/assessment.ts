/**
 * The assessment a badge states: every grade item in the rule's scope with the learner's grade at decision
 * time, so the credential can list what was assessed and how the learner did, not only the fact that made
 * the rule true. Scope: the course's items for a course rule, the section's for a section rule, the named
 * item for activity and grade rules (composites: the union), plus the course total. Pure.
 */
import type { GradeItemResult, LearnerSnapshot } from './snapshot';
import { copyDate, percentOf } from './evidence';
import type { AssessedGrade, Criterion } from './types';

export function assessmentOf(rule: Criterion, snapshot: LearnerSnapshot): AssessedGrade[] {
  const scope: Scope = { all: false, activityIds: new Set(), gradeItemIds: new Set() };
  collectScope(rule, snapshot, scope);
  // one pass over the grades whatever the rule's size: this runs for every earned learner of a sync
  const out: AssessedGrade[] = [];
  for (const g of snapshot.grades) {
    if (scope.all || g.isCourseTotal || scope.gradeItemIds.has(g.gradeItemId) || (g.activityId !== null && scope.activityIds.has(g.activityId))) {
      out.push(assessedGrade(g));
    }
  }
  return out;
}

interface Scope {
  all: boolean;
  activityIds: Set<string>;
  gradeItemIds: Set<string>;
}

function collectScope(c: Criterion, snapshot: LearnerSnapshot, scope: Scope): void {
  switch (c.type) {
    case 'courseCompleted':
      scope.all = true;
      return;
    case 'sectionCompleted': {
      const section = snapshot.structure.sections.find((s) => s.id === c.sectionId);
      if (section) for (const id of section.activityIds) scope.activityIds.add(id);
      return;
    }
    case 'activityCompleted':
      scope.activityIds.add(c.activityId);
      return;
    case 'grade':
      if ('gradeItemId' in c.target) scope.gradeItemIds.add(c.target.gradeItemId);
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
