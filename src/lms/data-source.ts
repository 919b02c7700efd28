/**
 * The one interface through which the tool reads an LMS course: structure, learners, and per-learner snapshots
 * (src/rules/snapshot.ts). Implemented for Moodle by src/lms/moodle/data-source.ts. Ids are strings, as in the
 * launch claims; failures are AppErrors with stable codes (MOODLE_* for the Moodle implementation).
 */
import type { AppError } from '../errors.js';
import type { CourseStructure, LearnerSnapshot } from '../rules/snapshot';

export interface ConnectionCheck {
  /** True when the LMS answered and every required function is available. */
  ok: boolean;
  siteName: string | null;
  /** LMS release, e.g. "4.5.6 (Build: 20250811)". */
  release: string | null;
  /** Required functions the credentials cannot call (for Moodle: missing from the external service). */
  missingFunctions: string[];
  /** Non-blocking findings for the admin (e.g. completion tracking disabled site-wide). */
  warnings: string[];
  /** Why the check failed before the function list could be compared (bad token, unreachable…). */
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

export interface Learner {
  userId: string;
  fullName: string | null;
  email: string | null;
  idNumber: string | null;
  /** Course role short names, e.g. ["student"]. */
  roles: string[];
  /** Last access to this course, null when never. */
  lastCourseAccessAt: Date | null;
}

export interface SnapshotOptions {
  /** A structure read earlier (getCourseStructure), to save the calls that read it. */
  structure?: CourseStructure;
}

export interface LearnerSnapshotFailure {
  userId: string;
  error: AppError;
}

export interface LearnerSnapshotBatch {
  snapshots: LearnerSnapshot[];
  /** Learners whose data could not be read (e.g. unenrolled meanwhile); platform-wide failures reject instead. */
  failures: LearnerSnapshotFailure[];
}

/**
 * A cheap "did anything change?" signal for one learner, computed from data read in bulk (no per-learner call).
 * Equal fingerprints mean nothing the LMS exposes cheaply has changed.
 */
export interface LearnerChangeHint {
  userId: string;
  fingerprint: string;
  /** Latest activity time behind the fingerprint (course access, grading, submission), null when none. */
  lastActivityAt: Date | null;
}

/**
 * A course's learners and their change hints, read once at the start of a sync. Passed back to
 * getLearnerSnapshots (`course`), it lets the data source take each learner's data from the course-wide reads
 * behind it instead of repeating them for every batch.
 */
export interface CourseLearners {
  courseId: string;
  learners: Learner[];
  hints: Map<string, LearnerChangeHint>;
}

/**
 * Which per-learner reads a snapshot needs (all by default). A sync leaves out what no rule of the course reads:
 * each is a Moodle call per learner (for Moodle: grade report ≈ 0.25 s, activity and course completion ≈ 0.1 s).
 * What is not read comes back empty (no grades, no activity states, course completion null).
 */
export interface LearnerReads {
  grades: boolean;
  activities: boolean;
  courseCompletion: boolean;
  /** Grades and activity states only for learners whose course completion says "not completed" (read first). */
  onlyIfCourseIncomplete?: boolean;
  /**
   * With `grades` false: still read a learner's grades when their completion answers need them explained (course
   * not completed, an activity completed with a failing grade), after those answers.
   */
  gradesToExplain?: boolean;
}

export interface LearnerSnapshotsOptions extends SnapshotOptions {
  earnedBadgeIds?: ReadonlyMap<string, readonly string[]>;
  reads?: LearnerReads;
  /** From readCourseLearners of the same source and course: its course-wide reads are reused, not repeated. */
  course?: CourseLearners;
}

/** A grade item of the course, for a teacher choosing a minimum grade. */
export interface CourseGradeItem {
  id: string;
  name: string;
  activityId: string | null;
  isCourseTotal: boolean;
}

export interface CourseDataSource {
  readonly platformId: string;
  checkConnection(): Promise<ConnectionCheck>;
  getCourseStructure(courseId: string): Promise<CourseStructure>;
  /** The structure with each activity's grade item filled in, and the course's grade items (incl. the course total). */
  getGradedStructure(courseId: string): Promise<{ structure: CourseStructure; gradeItems: CourseGradeItem[] }>;
  /** Enrolled users with a learner role. */
  listLearners(courseId: string): Promise<Learner[]>;
  getLearnerSnapshot(courseId: string, userId: string, options?: SnapshotOptions & { earnedBadgeIds?: readonly string[] }): Promise<LearnerSnapshot>;
  /** Many learners at once, using the LMS's bulk reads where it has them (or those behind `options.course`). */
  getLearnerSnapshots(courseId: string, userIds: readonly string[], options?: LearnerSnapshotsOptions): Promise<LearnerSnapshotBatch>;
  /** Change hints for the course's learners (or just `userIds`), to skip unchanged learners in a sync. */
  getChangeHints(courseId: string, userIds?: readonly string[]): Promise<Map<string, LearnerChangeHint>>;
  /** The roster and every learner's change hint, each course-wide read made once: where a sync starts. */
  readCourseLearners(courseId: string): Promise<CourseLearners>;
}

/**
 * Whether a sync may skip a learner: same fingerprint as at the previous read AND that read happened at least
 * `settleMs` after the latest activity behind it. The margin covers LMS data written late without changing the
 * fingerprint: Moodle writes course completion from cron (quirk 1) and updates lastcourseaccess at most once a
 * minute (LASTACCESS_UPDATE_SECS). Default 10 minutes. A learner with no previous read is never skipped.
 */
export function canSkipLearner(
  hint: LearnerChangeHint,
  previous: { fingerprint: string; readAt: Date } | undefined,
  options: { settleMs?: number } = {},
): boolean {
  if (!previous || previous.fingerprint !== hint.fingerprint) return false;
  if (!hint.lastActivityAt) return true;
  const settleMs = options.settleMs ?? 10 * 60_000;
  return previous.readAt.getTime() - hint.lastActivityAt.getTime() >= settleMs;
}
