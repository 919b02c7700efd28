/**
 * Change hints for Moodle learners from the two bulk reads a sync makes anyway: core_enrol_get_enrolled_users
 * (`lastcourseaccess`) and gradereport_user_get_grade_items with userid=0 (grades and their dates).
 * Activity completion has no bulk read in Moodle, but it changes only on course access (view, manual
 * completion, submission) or on grading, which both move the fingerprint. Not covered: a teacher overriding
 * completion by hand (no cheap signal), hence canSkipLearner's settle margin and an occasional full sync.
 */
import { createHash } from 'node:crypto';
import type { LearnerChangeHint } from '../data-source.js';
import type { GradeReportItem } from './ws-schemas.js';

export interface FingerprintInput {
  userId: string;
  /** core_enrol_get_enrolled_users `lastcourseaccess` (epoch seconds; 0/null = never). */
  lastCourseAccess?: number | null;
  /** The learner's items from gradereport_user_get_grade_items. */
  gradeItems?: readonly GradeReportItem[];
}

export function learnerFingerprint(input: FingerprintInput): LearnerChangeHint {
  const items = [...(input.gradeItems ?? [])].sort((a, b) => a.id - b.id);
  let latest = input.lastCourseAccess ?? 0;
  const parts: unknown[] = [input.userId, input.lastCourseAccess ?? 0];
  for (const item of items) {
    // Range and hidden flags are included: a changed maximum or a released grade changes percentages/visibility.
    parts.push([
      item.id,
      item.graderaw ?? null,
      item.grademin ?? null,
      item.grademax ?? null,
      item.gradedategraded ?? 0,
      item.gradedatesubmitted ?? 0,
      item.gradeishidden ?? false,
      item.gradehiddenbydate ?? false,
    ]);
    latest = Math.max(latest, item.gradedategraded ?? 0, item.gradedatesubmitted ?? 0);
  }
  const fingerprint = createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);
  return { userId: input.userId, fingerprint, lastActivityAt: latest > 0 ? new Date(latest * 1000) : null };
}
