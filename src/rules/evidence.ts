/**
 * Evidence records built from snapshot entries. Dates are copied so a Decision never shares a mutable Date
 * with the snapshot it came from.
 */
import type { ActivityCompletion, CourseActivity, GradeItemResult, LearnerSnapshot } from './snapshot';
import type { Evidence } from './types';

export function copyDate(date: Date | null): Date | null {
  return date === null ? null : new Date(date.getTime());
}

export function completionEvidence(activity: CourseActivity, completion: ActivityCompletion): Evidence {
  return {
    kind: 'activity-completion',
    activityId: activity.id,
    name: activity.name,
    state: completion.state,
    date: copyDate(completion.completedAt),
  };
}

export function courseCompletionEvidence(snapshot: LearnerSnapshot, completedAt: Date | null): Evidence {
  return { kind: 'course-completion', courseId: snapshot.courseId, name: snapshot.structure.name, date: copyDate(completedAt) };
}

/** Only for graded items: the caller checks `grade !== null`. */
export function gradeEvidence(item: GradeItemResult & { grade: number }): Evidence {
  return {
    kind: 'grade',
    gradeItemId: item.gradeItemId,
    activityId: item.activityId,
    name: item.name,
    value: { grade: item.grade, min: item.gradeMin, max: item.gradeMax, percent: percentOf(item) },
    date: copyDate(item.gradedAt),
  };
}

export function badgeEvidence(badgeId: string): Evidence {
  return { kind: 'badge', badgeId, date: null };
}

/** Moodle's own percentage when the data source gave one, else computed from the range. */
export function percentOf(item: GradeItemResult): number | null {
  if (item.grade === null) return null;
  if (item.percentage !== null) return item.percentage;
  return pointsAsPercent(item, item.grade);
}

export function pointsAsPercent(item: GradeItemResult, points: number): number | null {
  const span = item.gradeMax - item.gradeMin;
  return span > 0 ? ((points - item.gradeMin) / span) * 100 : null;
}

/** One record per thing (an activity may be both a completion and a grade, each kept once), first one wins. */
export function dedupeEvidence(evidence: readonly Evidence[]): Evidence[] {
  const seen = new Set<string>();
  const result: Evidence[] = [];
  for (const e of evidence) {
    const key = evidenceKey(e);
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(e);
  }
  return result;
}

function evidenceKey(e: Evidence): string {
  switch (e.kind) {
    case 'activity-completion':
      return `activity:${e.activityId}`;
    case 'course-completion':
      return `course:${e.courseId}`;
    case 'grade':
      return `grade:${e.gradeItemId}`;
    case 'badge':
      return `badge:${e.badgeId}`;
  }
}
