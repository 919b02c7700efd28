/**
 * What the tool knows about one learner in one course at one moment, read from Moodle.
 * What the rules engine evaluates (its input vocabulary, owned here); the data source (src/lms/moodle) produces it.
 * The contract between the data source and the rules: rules never see Moodle's
 * wire formats, and the data source never decides anything.
 */

/** Moodle activity completion states (core_completion_get_activities_completion_status). */
export type CompletionState = 'incomplete' | 'complete' | 'complete-pass' | 'complete-fail';

export interface CourseSection {
  id: string;
  /** Position in the course (0 = general section). */
  number: number;
  name: string;
  activityIds: string[];
}

export interface CourseActivity {
  /** Course module id (cmid), as a string. */
  id: string;
  name: string;
  /** Moodle module name: assign, quiz, lti, … */
  modname: string;
  sectionId: string;
  /** Whether completion is tracked for this activity (completion > 0). */
  completionTracked: boolean;
  /** Grade item id of the activity, when it has one. */
  gradeItemId: string | null;
}

export interface CourseStructure {
  courseId: string;
  name: string;
  sections: CourseSection[];
  activities: CourseActivity[];
}

export interface ActivityCompletion {
  activityId: string;
  state: CompletionState;
  /** When the state was reached (Moodle timecompleted), null when incomplete. */
  completedAt: Date | null;
}

export interface GradeItemResult {
  /** Grade item id; the course total has its own id and `isCourseTotal`. */
  gradeItemId: string;
  activityId: string | null;
  name: string;
  isCourseTotal: boolean;
  /** Raw grade; null when not graded. */
  grade: number | null;
  gradeMin: number;
  gradeMax: number;
  /** Pass grade set in Moodle (gradepass), null when none. */
  gradePass: number | null;
  /** 0–100, null when not graded. */
  percentage: number | null;
  gradedAt: Date | null;
  /**
   * How Moodle grades and shows the item: points (value grade), percent or letter (value grade shown that way),
   * scale (scaleid set: the grade is a 1-based index into `scaleItems`). Absent in older snapshots: points.
   */
  gradeType?: GradeDisplay;
  /** The grade as Moodle shows it (a letter, a scale item), when that is not a number; null when not graded. */
  gradeText?: string | null;
  /** A scale's items, lowest first, when the data source knows them. */
  scaleItems?: string[];
}

/** One of Moodle's course completion criteria for this learner (core_completion_get_course_completion_status). */
export interface CourseCompletionCriterion {
  /** Moodle's criterion type: 4 activity completion, 6 course grade, 2 date, 8 other course, 7 role… (COMPLETION_CRITERIA_TYPE_*). */
  type: number;
  /** Moodle's title, e.g. "Activity completion". */
  title: string;
  /** The activity (cmid) for activity criteria, read from the criterion's link; null for the others. */
  activityId: string | null;
  /** What the criterion names (activity name, grade…), as plain text. */
  name: string;
  /** What Moodle asks, e.g. "Achieving grade, Achieving passing grade". */
  requirement: string;
  complete: boolean;
  completedAt: Date | null;
}

export type GradeDisplay = 'points' | 'percent' | 'letter' | 'scale';

export interface CourseCompletion {
  completed: boolean;
  completedAt: Date | null;
  /** Each criterion and whether it is met; absent when Moodle's answer did not list them. */
  criteria?: CourseCompletionCriterion[];
  /** All criteria required (Moodle aggregation 1) or any one (2). */
  aggregation?: 'all' | 'any';
}

export interface LearnerSnapshot {
  platformId: string;
  courseId: string;
  /** Moodle user id (the launch `sub`). */
  userId: string;
  structure: CourseStructure;
  activities: ActivityCompletion[];
  /** Null when Moodle could not tell (e.g. completion tracking off). Written by Moodle's cron, so it lags grades. */
  courseCompletion: CourseCompletion | null;
  grades: GradeItemResult[];
  /** Badges (badge ids) this learner already earned, for stacking rules. */
  earnedBadgeIds: string[];
  /** When the data was read from Moodle. */
  readAt: Date;
}
