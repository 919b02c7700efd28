import { createHash } from 'node:crypto';
import type { LearnerReads } from '../lms/data-source';
import type { LearnerSnapshot } from '../rules/snapshot';
import type { Criterion } from '../rules';

type SyncReads = LearnerReads;

/**
 * The per-learner Moodle reads the course's rules need (pure): each is a call per learner, so what no rule
 * reads is left out. Course completion also reads activities and grades, for the learner's explanation of the
 * criteria still missing and for "in progress", but only while the course is not completed; activity rules read
 * grades only to explain a failed activity.
 */
export function readsFor(rules: readonly Criterion[]): SyncReads {
  const reads: SyncReads = { grades: false, activities: false, courseCompletion: false };
  const walk = (c: Criterion) => {
    switch (c.type) {
      case 'courseCompleted':
        reads.courseCompletion = true;
        break;
      case 'activityCompleted':
      case 'sectionCompleted':
        reads.activities = true;
        break;
      case 'grade':
        reads.grades = true;
        break;
      case 'badgeEarned':
        break;
      default:
        c.rules.forEach(walk);
    }
  };
  rules.forEach(walk);
  if (reads.courseCompletion) {
    // activity states only while the course is not completed, unless another rule reads them anyway
    reads.onlyIfCourseIncomplete = !reads.activities;
    reads.activities = true;
  }
  // grades behind a missing course completion or a failed activity, for the learner's explanation
  if (!reads.grades && (reads.activities || reads.courseCompletion)) reads.gradesToExplain = true;
  return reads;
}

/** Moodle calls per learner a set of reads costs at most. */
export const callsPerLearner = (r: LearnerReads) => Number(r.grades) + Number(r.activities) + Number(r.courseCompletion);

/** What Moodle said about a learner, hashed: equal hashes mean nothing the rules read changed since the last read. */
export function snapshotFingerprint(s: LearnerSnapshot): string {
  const parts = [
    s.activities.map((a) => [a.activityId, a.state, a.completedAt?.getTime() ?? 0]),
    s.grades.map((g) => [g.gradeItemId, g.grade, g.gradeMin, g.gradeMax, g.gradedAt?.getTime() ?? 0]),
    s.courseCompletion && [s.courseCompletion.completed, s.courseCompletion.criteria?.map((c) => c.complete)],
  ];
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);
}
