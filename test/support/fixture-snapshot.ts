/**
 * A learner's snapshot built from the real Moodle web-service answers in test/fixtures/moodle-ws (course OBD101:
 * Essay 1 max 100, Final Project max 20, course total), through the product's own mapping.
 */
import fixture from '../fixtures/moodle-ws/webservice-rest-completion-grades.json';
import type { LearnerSnapshot } from '../../src/rules/snapshot';
import { parseAnswer } from '../../src/lms/moodle/functions';
import { buildCourseStructure, buildLearnerSnapshot } from '../../src/lms/moodle/snapshot-builder';
import { activitiesCompletionSchema, courseCompletionSchema, courseContentsSchema, gradeReportSchema } from '../../src/lms/moodle/ws-schemas';

const calls = (fixture as { calls: { wsfunction: string; params: Record<string, unknown>; response: unknown }[] }).calls;
const answer = (fn: string, userid?: number) => calls.find((c) => c.wsfunction === fn && c.params['userid'] === userid)!.response;

export function fixtureSnapshot(
  platformId: string,
  userid: 4 | 5 | 6,
  earnedBadgeIds: string[] = [],
  readAt = new Date('2026-11-28T12:00:00Z'),
): LearnerSnapshot {
  const course = (answer('core_course_get_courses_by_field') as { courses: Array<{ fullname: string }> }).courses[0]!;
  const structure = buildCourseStructure({ courseId: '2', course, contents: parseAnswer(courseContentsSchema, answer('core_course_get_contents'), 'x') });
  return buildLearnerSnapshot({
    platformId,
    courseId: '2',
    userId: String(userid),
    structure,
    activityStatuses: parseAnswer(activitiesCompletionSchema, answer('core_completion_get_activities_completion_status', userid), 'x').statuses,
    courseCompletion: parseAnswer(courseCompletionSchema, answer('core_completion_get_course_completion_status', userid), 'x').completionstatus,
    grades: parseAnswer(gradeReportSchema, answer('gradereport_user_get_grade_items', userid), 'x').usergrades[0]!,
    earnedBadgeIds,
    readAt,
  });
}
