/**
 * Hand-made LearnerSnapshots of the three students of course 2 (OBD101) on the captured Moodle 4.5.6 site,
 * taken from ../shared/moodle-fixtures/webservice-rest-completion-grades.json (ids, names, states, grades, times)
 * and its README (gradepass 50 on Essay 1, which gradereport_user_get_grade_items does not return).
 * Builders: every call returns fresh objects, so a test can change its copy freely.
 */
import type { ActivityCompletion, CompletionState, CourseStructure, GradeItemResult, LearnerSnapshot } from '../../../src/rules/snapshot';

/** Moodle timestamps (seconds) as Dates. */
export const at = (seconds: number): Date => new Date(seconds * 1000);

export const TIMES = {
  /** Essay 1 and Final Project graded (gradedategraded) and completed (timecompleted). */
  graded: 1795860395,
  /** Course completion, written by the completion cron after the grades (not in the capture; hand-picked). */
  courseCompleted: 1795860455,
  /** student1 viewed the Badge tool (cmid 3). */
  badgeToolViewed: 1795860493,
  /** The tool sent a score for the Badge tool line item. */
  badgeToolScored: 1795860615,
  /** Course total recomputed. */
  courseTotal: 1795860707,
} as const;

/** Well after the capture: the tests' clock. */
export const NOW = new Date('2026-12-01T12:00:00Z');

export const IDS = {
  course: '2',
  essay: '1',
  finalProject: '2',
  badgeTool: '3',
  badgeToolDynamic: '4',
  badgeToolCrossSite: '5',
  sectionGeneral: '1',
  /** Essay 1, Badge tool, Badge tool (cross-site). */
  sectionOne: '2',
  /** Final Project, Badge tool (dynamic, completion not tracked). */
  sectionTwo: '3',
  essayGrade: '2',
  finalProjectGrade: '3',
  badgeToolGrade: '4',
  manualGrade: '5',
  courseTotalGrade: '1',
} as const;

export function courseStructure(): CourseStructure {
  return {
    courseId: '2',
    name: 'Open Badges Demo Course',
    sections: [
      { id: '1', number: 0, name: 'General', activityIds: [] },
      { id: '2', number: 1, name: 'New section', activityIds: ['1', '3', '5'] },
      { id: '3', number: 2, name: 'New section', activityIds: ['2', '4'] },
    ],
    activities: [
      { id: '1', name: 'Essay 1', modname: 'assign', sectionId: '2', completionTracked: true, gradeItemId: '2' },
      { id: '3', name: 'Badge tool', modname: 'lti', sectionId: '2', completionTracked: true, gradeItemId: '4' },
      { id: '5', name: 'Badge tool (cross-site)', modname: 'lti', sectionId: '2', completionTracked: true, gradeItemId: '7' },
      { id: '2', name: 'Final Project', modname: 'assign', sectionId: '3', completionTracked: true, gradeItemId: '3' },
      { id: '4', name: 'Badge tool (dynamic)', modname: 'lti', sectionId: '3', completionTracked: false, gradeItemId: '6' },
    ],
  };
}

type GradeRow = [id: string, activityId: string | null, name: string, grade: number | null, max: number, gradedAt: number | null];

function grades(rows: GradeRow[]): GradeItemResult[] {
  return rows.map(([gradeItemId, activityId, name, grade, gradeMax, gradedAt]) => ({
    gradeItemId,
    activityId,
    name,
    isCourseTotal: gradeItemId === IDS.courseTotalGrade,
    grade,
    gradeMin: 0,
    gradeMax,
    gradePass: gradeItemId === IDS.essayGrade ? 50 : null,
    percentage: grade === null ? null : Math.round((grade / gradeMax) * 10000) / 100,
    gradedAt: gradedAt === null ? null : at(gradedAt),
  }));
}

function completions(states: Record<'1' | '3' | '5' | '2', [CompletionState, number | null]>): ActivityCompletion[] {
  // Same order as core_completion_get_activities_completion_status; cmid 4 is untracked, so absent.
  return (['1', '3', '5', '2'] as const).map((id) => {
    const [state, time] = states[id];
    return { activityId: id, state, completedAt: time === null ? null : at(time) };
  });
}

function snapshot(userId: string, parts: Pick<LearnerSnapshot, 'activities' | 'courseCompletion' | 'grades'>): LearnerSnapshot {
  return {
    platformId: 'http://127.0.0.1:8080',
    courseId: '2',
    userId,
    structure: courseStructure(),
    earnedBadgeIds: [],
    readAt: at(1795860800),
    ...parts,
  };
}

/** student1 (user 4): Essay 1 85/100, Final Project 18/20, course completed. */
export function completedStudent(): LearnerSnapshot {
  return snapshot('4', {
    activities: completions({
      '1': ['complete-pass', TIMES.graded],
      '3': ['complete', TIMES.badgeToolViewed],
      '5': ['incomplete', null],
      '2': ['complete-pass', TIMES.graded],
    }),
    courseCompletion: { completed: true, completedAt: at(TIMES.courseCompleted) },
    grades: grades([
      ['2', '1', 'Essay 1', 85, 100, TIMES.graded],
      ['3', '2', 'Final Project', 18, 20, TIMES.graded],
      ['4', '3', 'Badge tool', 80, 100, TIMES.badgeToolScored],
      ['5', null, 'Badge: Course Finisher (renamed)', 10, 10, TIMES.badgeToolScored],
      ['6', '4', 'Badge tool (dynamic)', null, 10, null],
      ['7', '5', 'Badge tool (cross-site)', null, 100, null],
      ['1', null, 'Course total', 193, 230, TIMES.courseTotal],
    ]),
  });
}

/** student2 (user 5): Essay 1 40/100 (complete-fail), viewed Final Project (still incomplete), course not completed. */
export function failedStudent(): LearnerSnapshot {
  return snapshot('5', {
    activities: completions({
      '1': ['complete-fail', TIMES.graded],
      '3': ['incomplete', null],
      '5': ['incomplete', null],
      '2': ['incomplete', null],
    }),
    courseCompletion: { completed: false, completedAt: null },
    grades: grades([
      ['2', '1', 'Essay 1', 40, 100, TIMES.graded],
      ['3', '2', 'Final Project', null, 20, null],
      ['4', '3', 'Badge tool', null, 100, null],
      ['5', null, 'Badge: Course Finisher (renamed)', null, 10, null],
      ['6', '4', 'Badge tool (dynamic)', null, 10, null],
      ['7', '5', 'Badge tool (cross-site)', null, 100, null],
      // Moodle recomputes the total over graded items only: 40 of 100.
      ['1', null, 'Course total', 40, 100, TIMES.graded],
    ]),
  });
}

/** student3 (user 6): nothing done. */
export function inactiveStudent(): LearnerSnapshot {
  return snapshot('6', {
    activities: completions({
      '1': ['incomplete', null],
      '3': ['incomplete', null],
      '5': ['incomplete', null],
      '2': ['incomplete', null],
    }),
    courseCompletion: { completed: false, completedAt: null },
    grades: grades([
      ['2', '1', 'Essay 1', null, 100, null],
      ['3', '2', 'Final Project', null, 20, null],
      ['4', '3', 'Badge tool', null, 100, null],
      ['5', null, 'Badge: Course Finisher (renamed)', null, 10, null],
      ['6', '4', 'Badge tool (dynamic)', null, 10, null],
      ['7', '5', 'Badge tool (cross-site)', null, 100, null],
      ['1', null, 'Course total', null, 340, null],
    ]),
  });
}

export const LEARNERS = [
  { name: 'student1 (completed)', build: completedStudent },
  { name: 'student2 (failed Essay 1)', build: failedStudent },
  { name: 'student3 (inactive)', build: inactiveStudent },
] as const;
