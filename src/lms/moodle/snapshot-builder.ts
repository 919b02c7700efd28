/**
 * Pure mapping from Moodle web-service answers to the tool's contract (src/rules/snapshot.ts).
 * No I/O, no clock: everything comes in as arguments, so the mapping is tested without a server.
 */
import { AppError } from '../../errors.js';
import type {
  ActivityCompletion,
  CompletionState,
  CourseActivity,
  CourseCompletion,
  CourseCompletionCriterion,
  CourseStructure,
  GradeDisplay,
  GradeItemResult,
  LearnerSnapshot,
} from '../../rules/snapshot';
import { MoodleErrorCode } from './error-codes.js';
import type { ActivityStatus, CourseCompletionStatus, CourseContents, CourseInfo, GradeReportItem, UserGradeReport } from './ws-schemas.js';

/** COMPLETION_INCOMPLETE, COMPLETION_COMPLETE, COMPLETION_COMPLETE_PASS, COMPLETION_COMPLETE_FAIL (lib/completionlib.php). */
const STATES: readonly CompletionState[] = ['incomplete', 'complete', 'complete-pass', 'complete-fail'];

export function completionState(state: number): CompletionState {
  const mapped = STATES[state];
  if (!mapped) {
    throw new AppError(MoodleErrorCode.BAD_RESPONSE, `Unknown Moodle completion state ${state}`, {
      status: 502,
      details: { field: 'statuses[].state', value: state },
    });
  }
  return mapped;
}

/** Moodle timestamps are epoch seconds; 0 and null both mean "never". */
export function epochToDate(seconds: number | null | undefined): Date | null {
  return typeof seconds === 'number' && seconds > 0 ? new Date(seconds * 1000) : null;
}

/** cmid → grade item id, from a grade report. An activity with several items (e.g. forum ratings + whole-forum grade) keeps itemnumber 0. */
export function gradeItemIdsByActivity(items: readonly GradeReportItem[]): Map<string, string> {
  const byCm = new Map<string, { id: string; itemnumber: number }>();
  for (const item of items) {
    if (item.cmid === null || item.cmid === undefined) continue;
    const key = String(item.cmid);
    const itemnumber = item.itemnumber ?? 0;
    const current = byCm.get(key);
    if (!current || itemnumber < current.itemnumber) byCm.set(key, { id: String(item.id), itemnumber });
  }
  return new Map([...byCm].map(([cm, v]) => [cm, v.id]));
}

/**
 * core_course_get_contents (+ course name from core_course_get_courses_by_field) → CourseStructure.
 * core_course_get_contents does not name grade items: `gradeItemId` is filled from a grade report when one is
 * given (see withGradeItemIds), else left null.
 */
export function buildCourseStructure(input: {
  courseId: string;
  course: Pick<CourseInfo, 'fullname'> | null;
  contents: CourseContents;
  gradeItems?: readonly GradeReportItem[];
}): CourseStructure {
  const gradeIds = input.gradeItems ? gradeItemIdsByActivity(input.gradeItems) : new Map<string, string>();
  const sections: CourseStructure['sections'] = [];
  const activities: CourseActivity[] = [];
  for (const section of input.contents) {
    const sectionId = String(section.id);
    sections.push({ id: sectionId, number: section.section, name: section.name, activityIds: section.modules.map((m) => String(m.id)) });
    for (const cm of section.modules) {
      const id = String(cm.id);
      activities.push({
        id,
        name: cm.name,
        modname: cm.modname,
        sectionId,
        // `completion` is 0 (none), 1 (manual) or 2 (automatic); absent when completion is off.
        completionTracked: (cm.completion ?? 0) > 0,
        gradeItemId: gradeIds.get(id) ?? null,
      });
    }
  }
  return { courseId: input.courseId, name: input.course?.fullname ?? '', sections, activities };
}

/** Fills missing activity grade item ids from a grade report; returns the same object when nothing changes. */
export function withGradeItemIds(structure: CourseStructure, items: readonly GradeReportItem[]): CourseStructure {
  const gradeIds = gradeItemIdsByActivity(items);
  if (!structure.activities.some((a) => a.gradeItemId === null && gradeIds.has(a.id))) return structure;
  return {
    ...structure,
    activities: structure.activities.map((a) => (a.gradeItemId === null && gradeIds.has(a.id) ? { ...a, gradeItemId: gradeIds.get(a.id)! } : a)),
  };
}

export function buildActivityCompletions(statuses: readonly ActivityStatus[]): ActivityCompletion[] {
  return statuses.map((s) => {
    const state = completionState(s.state);
    // timecompleted is the completion record's timemodified: meaningful only once the activity is complete.
    return { activityId: String(s.cmid), state, completedAt: state === 'incomplete' ? null : epochToDate(s.timecompleted) };
  });
}

/**
 * core_completion_get_course_completion_status gives `completed` but not the course's own completion time, so
 * `completedAt` is taken from the criteria: the last one met when all are required (aggregation 1), the first
 * one met when any is enough (aggregation 2). Null when not completed.
 */
export function buildCourseCompletion(status: CourseCompletionStatus | null): CourseCompletion | null {
  if (!status) return null;
  const criteria = status.completions.map(completionCriterion);
  const aggregation = status.aggregation === 2 ? ('any' as const) : ('all' as const);
  if (!status.completed) return { completed: false, completedAt: null, criteria, aggregation };
  const times = status.completions
    .filter((c) => c.complete)
    .map((c) => c.timecompleted ?? 0)
    .filter((t) => t > 0);
  if (times.length === 0) return { completed: true, completedAt: null, criteria, aggregation };
  const seconds = status.aggregation === 2 ? Math.min(...times) : Math.max(...times);
  return { completed: true, completedAt: epochToDate(seconds), criteria, aggregation };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ', ndash: '–' };
/** Moodle's criterion HTML (a link around the activity name) → plain text. */
export function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp|ndash);/g, (_m, e: string) => ENTITIES[e] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}

function completionCriterion(c: CourseCompletionStatus['completions'][number]): CourseCompletionCriterion {
  const html = c.details?.criteria ?? '';
  // activity criteria link to /mod/<name>/view.php?id=<cmid>
  const cm = c.type === 4 ? /\/mod\/[a-z0-9_]+\/view\.php\?id=(\d+)/.exec(html) : null;
  return {
    type: c.type,
    title: c.title,
    activityId: cm?.[1] ?? null,
    name: plainText(html) || c.title,
    requirement: plainText(c.details?.requirement ?? ''),
    complete: c.complete,
    completedAt: c.complete ? epochToDate(c.timecompleted) : null,
  };
}

/** "85.00 %", "85,00 %" (decimal comma locales) → 85; "-", "Error", "" → null. */
export function parsePercentageFormatted(text: string | null | undefined): number | null {
  if (!text) return null;
  const match = /^\s*(-?\d+(?:[.,]\d+)?)\s*%\s*$/.exec(text);
  return match?.[1] ? Number(match[1].replace(',', '.')) : null;
}

/** Six decimals: enough for any threshold, and free of binary noise (e.g. 56.99999999999999). */
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * Percentage of one item. Computed from raw/min/max (exact, locale-free); Moodle's `percentageformatted` is the
 * fallback when the range column is hidden in the user report (then grademin/grademax are not sent).
 */
export function gradePercentage(item: GradeReportItem, grade: number | null): number | null {
  if (grade === null) return null;
  const min = item.grademin;
  const max = item.grademax;
  if (typeof min === 'number' && typeof max === 'number' && max > min) return round6(((grade - min) * 100) / (max - min));
  return parsePercentageFormatted(item.percentageformatted);
}

/** Moodle's gradeformatted without its pass/fail icon markup and entities: "85.00", "85.00 %", "B+", "Competent", "-". */
export function plainGradeText(formatted: string | null | undefined): string {
  return (formatted ?? '')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .trim();
}

/**
 * How the item is graded and shown: a scale (scaleid), else what gradeformatted looks like. Points (the default,
 * also when not graded) add nothing, so the common snapshot keeps its shape.
 */
export function gradeDisplay(item: GradeReportItem, graded: boolean): { gradeType?: GradeDisplay; gradeText?: string | null } {
  const text = graded ? plainGradeText(item.gradeformatted) : '';
  const shown = text && text !== '-' ? text : null;
  if (typeof item.scaleid === 'number' && item.scaleid > 0) return { gradeType: 'scale', gradeText: shown };
  if (shown === null || /^-?\d+(?:[.,]\d+)?$/.test(shown)) return {};
  if (/%$/.test(shown)) return { gradeType: 'percent' };
  return { gradeType: 'letter', gradeText: shown };
}

function itemName(item: GradeReportItem): string {
  if (item.itemname) return item.itemname;
  if (item.itemtype === 'course') return 'Course total';
  if (item.itemtype === 'category') return 'Category total';
  return item.idnumber ?? `Grade item ${item.id}`;
}

/**
 * One learner's grade report → GradeItemResult[].
 * - No grade (`graderaw` null/absent, status "novalue") → grade and percentage null.
 * - A grade hidden from the learner (`gradeishidden`, incl. hidden until a date) or one Moodle flags as stale
 *   (`gradeneedsupdate`) counts as not graded: the learner cannot see it yet, so nothing should be awarded for it.
 * - `gradePass` is null unless the report carries `gradepass` (> 0; Moodle's 0 means "no pass grade"): Moodle 4.x's
 *   gradereport_user_get_grade_items does not expose it (completion state 2/3 carries pass/fail instead).
 */
export function buildGradeResults(report: UserGradeReport | null): GradeItemResult[] {
  if (!report) return [];
  return report.gradeitems.map((item, index) => {
    const hidden = item.gradeishidden === true || item.gradehiddenbydate === true || item.gradeneedsupdate === true;
    const grade = !hidden && typeof item.graderaw === 'number' ? item.graderaw : null;
    const field = (name: string) => `usergrades[userid=${report.userid}].gradeitems[${index}].${name}`;
    if (typeof item.grademin !== 'number' || typeof item.grademax !== 'number') {
      // The contract needs the range; Moodle omits it when the user report's "Show range" column is off.
      throw new AppError(MoodleErrorCode.BAD_RESPONSE, `Grade report lacks ${field(typeof item.grademin !== 'number' ? 'grademin' : 'grademax')}`, {
        status: 502,
        details: {
          wsfunction: 'gradereport_user_get_grade_items',
          field: field(typeof item.grademin !== 'number' ? 'grademin' : 'grademax'),
          hint: 'enable "Show range" in the user report settings (grade_report_user_showrange)',
        },
      });
    }
    return {
      gradeItemId: String(item.id),
      activityId: item.cmid === null || item.cmid === undefined ? null : String(item.cmid),
      name: itemName(item),
      isCourseTotal: item.itemtype === 'course',
      grade,
      gradeMin: item.grademin,
      gradeMax: item.grademax,
      gradePass: typeof item.gradepass === 'number' && item.gradepass > 0 ? item.gradepass : null,
      percentage: gradePercentage(item, grade),
      gradedAt: grade === null ? null : epochToDate(item.gradedategraded),
      ...gradeDisplay(item, grade !== null),
    };
  });
}

export interface LearnerSnapshotInput {
  platformId: string;
  courseId: string;
  userId: string;
  structure: CourseStructure;
  /** core_completion_get_activities_completion_status statuses; [] when completion is off. */
  activityStatuses: readonly ActivityStatus[];
  /** Null when Moodle could not tell (not a tracked user, no criteria, completion off). */
  courseCompletion: CourseCompletionStatus | null;
  grades: UserGradeReport | null;
  earnedBadgeIds?: readonly string[];
  readAt: Date;
}

export function buildLearnerSnapshot(input: LearnerSnapshotInput): LearnerSnapshot {
  const structure = input.grades ? withGradeItemIds(input.structure, input.grades.gradeitems) : input.structure;
  return {
    platformId: input.platformId,
    courseId: input.courseId,
    userId: input.userId,
    structure,
    activities: buildActivityCompletions(input.activityStatuses),
    courseCompletion: buildCourseCompletion(input.courseCompletion),
    grades: buildGradeResults(input.grades),
    earnedBadgeIds: [...(input.earnedBadgeIds ?? [])],
    readAt: input.readAt,
  };
}
