/**
 * Typed wrappers of the Moodle web-service functions the tool needs. Each one sends the params the way the
 * function's *_parameters() expects and validates the answer; a field of an unexpected type becomes
 * MOODLE_BAD_RESPONSE with `details.field` naming it (e.g. `usergrades[0].gradeitems[3].graderaw`).
 */
import type { z } from 'zod';
import { AppError } from '../../errors.js';
import { MoodleErrorCode } from './error-codes.js';
import { nameValueOptions, type WsParams } from './params.js';
import {
  activitiesCompletionSchema,
  courseCompletionSchema,
  courseContentsSchema,
  courseGradeItemsSchema,
  coursesByFieldSchema,
  enrolledUsersSchema,
  gradeReportSchema,
  siteInfoSchema,
  type ActivitiesCompletion,
  type CourseCompletionStatus,
  type CourseContents,
  type CourseGradeItemList,
  type CourseInfo,
  type EnrolledUser,
  type SiteInfo,
  type UserGradeReport,
} from './ws-schemas.js';

/** What the wrappers need from MoodleWsClient (an interface so tests and decorators can stand in). */
export interface WsCaller {
  call(wsfunction: string, params?: WsParams): Promise<unknown>;
}

/** Functions the external service must contain; checkConnection() reports the ones it lacks. */
export const REQUIRED_FUNCTIONS = [
  'core_webservice_get_site_info',
  'core_course_get_courses_by_field',
  'core_course_get_contents',
  'core_enrol_get_enrolled_users',
  'gradereport_user_get_grade_items',
  'core_completion_get_activities_completion_status',
  'core_completion_get_course_completion_status',
] as const;

function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out || '(root)';
}

export function parseAnswer<S extends z.ZodType>(schema: S, value: unknown, wsfunction: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue ? fieldPath(issue.path) : '(root)';
  throw new AppError(MoodleErrorCode.BAD_RESPONSE, `Unexpected answer from ${wsfunction}: field ${field}: ${issue?.message ?? 'invalid'}`, {
    status: 502,
    details: { wsfunction, field, problem: issue?.message ?? 'invalid' },
  });
}

/** core_webservice_get_site_info: site name, release, the WS user and the functions of the token's service. */
export async function getSiteInfo(ws: WsCaller): Promise<SiteInfo> {
  const fn = 'core_webservice_get_site_info';
  return parseAnswer(siteInfoSchema, await ws.call(fn), fn);
}

/** core_course_get_courses_by_field(field=id): the course's names and whether completion is enabled; null if no such course. */
export async function getCourse(ws: WsCaller, courseId: number): Promise<CourseInfo | null> {
  const fn = 'core_course_get_courses_by_field';
  const answer = parseAnswer(coursesByFieldSchema, await ws.call(fn, { field: 'id', value: courseId }), fn);
  return answer.courses.find((c) => c.id === courseId) ?? null;
}

/** core_course_get_contents: sections and their course modules (with `completion` tracking mode). */
export async function getCourseContents(ws: WsCaller, courseId: number): Promise<CourseContents> {
  const fn = 'core_course_get_contents';
  return parseAnswer(courseContentsSchema, await ws.call(fn, { courseid: courseId }), fn);
}

/** core_completion_get_activities_completion_status: one user's state per tracked activity (no bulk variant in Moodle). */
export async function getActivitiesCompletion(ws: WsCaller, courseId: number, userId: number): Promise<ActivitiesCompletion> {
  const fn = 'core_completion_get_activities_completion_status';
  return parseAnswer(activitiesCompletionSchema, await ws.call(fn, { courseid: courseId, userid: userId }), fn);
}

/**
 * core_completion_get_course_completion_status: one user's course completion. Throws MOODLE_WS_USER_NOT_ENROLLED
 * (`usernotenroled`) for users who are not tracked (teachers), MOODLE_WS_ERROR `nocriteriaset` without criteria.
 */
export async function getCourseCompletion(ws: WsCaller, courseId: number, userId: number): Promise<CourseCompletionStatus> {
  const fn = 'core_completion_get_course_completion_status';
  return parseAnswer(courseCompletionSchema, await ws.call(fn, { courseid: courseId, userid: userId }), fn).completionstatus;
}

/** gradereport_user_get_grade_items for one user; null if Moodle returned no report for them. */
export async function getUserGradeItems(ws: WsCaller, courseId: number, userId: number): Promise<UserGradeReport | null> {
  const fn = 'gradereport_user_get_grade_items';
  const answer = parseAnswer(gradeReportSchema, await ws.call(fn, { courseid: courseId, userid: userId }), fn);
  return answer.usergrades.find((u) => u.userid === userId) ?? null;
}

/**
 * gradereport_user_get_grade_items with userid=0: every graded user of the course (the gradebook roles, active
 * enrolments) in ONE call. Needs moodle/grade:viewall.
 */
export async function getCourseGradeItems(ws: WsCaller, courseId: number, options: { groupId?: number } = {}): Promise<UserGradeReport[]> {
  const fn = 'gradereport_user_get_grade_items';
  const answer = parseAnswer(gradeReportSchema, await ws.call(fn, { courseid: courseId, userid: 0, groupid: options.groupId }), fn);
  return answer.usergrades;
}

/**
 * core_grades_get_gradeitems: the course's grade items (id, name) without any grade: what a form needs, at a cost
 * that does not grow with the number of learners (the course-wide grade report does: 289 s for 1,000 learners).
 */
export async function getGradeItemList(ws: WsCaller, courseId: number): Promise<CourseGradeItemList> {
  const fn = 'core_grades_get_gradeitems';
  return parseAnswer(courseGradeItemsSchema, await ws.call(fn, { courseid: courseId }), fn).gradeItems;
}

export interface EnrolledUsersOptions {
  /** Paging (options limitfrom / limitnumber). */
  limitFrom?: number;
  limitNumber?: number;
  /** Only these user fields (option userfields, comma-separated); `id` always comes back. */
  userFields?: readonly string[];
  /** Only active enrolments (option onlyactive). */
  onlyActive?: boolean;
  /** Only users with this capability in the course (option withcapability). */
  withCapability?: string;
  groupId?: number;
}

/** core_enrol_get_enrolled_users: enrolled users with their course roles. */
export async function getEnrolledUsers(ws: WsCaller, courseId: number, options: EnrolledUsersOptions = {}): Promise<EnrolledUser[]> {
  const fn = 'core_enrol_get_enrolled_users';
  const opts = nameValueOptions({
    withcapability: options.withCapability,
    groupid: options.groupId,
    onlyactive: options.onlyActive === undefined ? undefined : options.onlyActive ? 1 : 0,
    userfields: options.userFields?.length ? options.userFields.join(',') : undefined,
    limitfrom: options.limitFrom,
    limitnumber: options.limitNumber,
  });
  return parseAnswer(enrolledUsersSchema, await ws.call(fn, { courseid: courseId, options: opts }), fn);
}
