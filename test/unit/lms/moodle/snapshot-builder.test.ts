import assert from 'node:assert/strict';
import fixture from '../../../fixtures/moodle-ws/webservice-rest-completion-grades.json';
import {
  buildCourseCompletion,
  buildCourseStructure,
  buildGradeResults,
  buildLearnerSnapshot,
  completionState,
  gradeItemIdsByActivity,
  gradePercentage,
  parsePercentageFormatted,
} from '../../../../src/lms/moodle/snapshot-builder.js';
import { parseAnswer } from '../../../../src/lms/moodle/functions.js';
import { learnerFingerprint } from '../../../../src/lms/moodle/fingerprint.js';
import {
  activitiesCompletionSchema,
  courseCompletionSchema,
  courseContentsSchema,
  gradeReportSchema,
  type GradeReportItem,
} from '../../../../src/lms/moodle/ws-schemas.js';

const calls = (fixture as { calls: { wsfunction: string; params: Record<string, unknown>; response: unknown }[] }).calls;
const answer = (fn: string, userid?: number) => calls.find((c) => c.wsfunction === fn && c.params['userid'] === userid)!.response;
const report = (userid?: number) => parseAnswer(gradeReportSchema, answer('gradereport_user_get_grade_items', userid), 'x').usergrades;
const item = (over: Partial<GradeReportItem>): GradeReportItem => ({ id: 9, itemname: 'X', itemtype: 'mod', grademin: 0, grademax: 100, ...over });

const when = (c: ReturnType<typeof buildCourseCompletion>) => c && { completed: c.completed, completedAt: c.completedAt };

describe('lms/moodle/snapshot-builder (pure)', () => {
  it('completion states 0–3; anything else is MOODLE_BAD_RESPONSE', () => {
    assert.deepEqual([0, 1, 2, 3].map(completionState), ['incomplete', 'complete', 'complete-pass', 'complete-fail']);
    assert.throws(() => completionState(4), { code: 'MOODLE_BAD_RESPONSE' });
  });

  it('percentage: computed from raw/min/max, preferred over percentageformatted', () => {
    assert.equal(gradePercentage(item({ grademin: 0, grademax: 20, percentageformatted: '89.99 %' }), 18), 90);
    assert.equal(gradePercentage(item({ grademin: 10, grademax: 20 }), 15), 50);
    assert.equal(gradePercentage(item({ grademax: 230 }), 193), 83.913043);
    assert.equal(gradePercentage(item({}), null), null);
    // Range unknown (max == min) → Moodle's formatted percentage.
    assert.equal(gradePercentage(item({ grademin: 0, grademax: 0, percentageformatted: '85,50 %' }), 3), 85.5);
  });

  it('parses percentageformatted, including decimal commas; "-" and "Error" are null', () => {
    assert.equal(parsePercentageFormatted('85.00 %'), 85);
    assert.equal(parsePercentageFormatted('105,5 %'), 105.5);
    assert.equal(parsePercentageFormatted('-'), null);
    assert.equal(parsePercentageFormatted('Error'), null);
    assert.equal(parsePercentageFormatted(undefined), null);
  });

  it('grades: the bulk report (userid=0) and the per-user report give the same results', () => {
    const bulk = report(undefined);
    for (const userid of [4, 5, 6]) {
      const fromBulk = buildGradeResults(bulk.find((u) => u.userid === userid)!);
      const single = buildGradeResults(report(userid)[0]!);
      assert.deepEqual(fromBulk, single, `user ${userid}`);
    }
  });

  it('grades: missing, hidden and stale grades count as not graded; course total detected by itemtype', () => {
    const results = buildGradeResults({
      courseid: 2,
      userid: 4,
      userfullname: 'x',
      gradeitems: [
        item({ id: 1, itemtype: 'course', itemname: null, graderaw: 50, gradedategraded: 100 }),
        item({ id: 2, cmid: 7, graderaw: null, status: 'novalue' }),
        item({ id: 3, cmid: 8, graderaw: 70, gradeishidden: true, gradedategraded: 100 }),
        item({ id: 4, cmid: 9, graderaw: 70, gradeneedsupdate: true }),
        item({ id: 5, itemtype: 'manual', itemname: 'Bonus', graderaw: 5, grademax: 10, gradedategraded: 0 }),
      ],
    });
    assert.deepEqual(
      results.map((r) => [r.gradeItemId, r.isCourseTotal, r.activityId, r.grade, r.percentage, r.gradedAt]),
      [
        ['1', true, null, 50, 50, new Date(100_000)],
        ['2', false, '7', null, null, null],
        ['3', false, '8', null, null, null],
        ['4', false, '9', null, null, null],
        ['5', false, null, 5, 50, null],
      ],
    );
    assert.equal(results[0]?.name, 'Course total');
  });

  it('grades: no range in the report (user report "Show range" off) → MOODLE_BAD_RESPONSE naming the field', () => {
    assert.throws(
      () => buildGradeResults({ courseid: 2, userid: 4, userfullname: 'x', gradeitems: [item({ grademax: undefined, graderaw: 3 })] }),
      (err: { code: string; details: Record<string, unknown> }) =>
        err.code === 'MOODLE_BAD_RESPONSE' && err.details['field'] === 'usergrades[userid=4].gradeitems[0].grademax',
    );
  });

  it('course completion: completedAt from criteria (last for ALL, first for ANY); null status stays null', () => {
    const status = parseAnswer(courseCompletionSchema, answer('core_completion_get_course_completion_status', 4), 'x').completionstatus;
    assert.deepEqual(when(buildCourseCompletion(status)), { completed: true, completedAt: new Date(1795860395_000) });
    const any = {
      completed: true,
      aggregation: 2,
      completions: [
        { type: 4, title: 'a', status: 'Yes', complete: true, timecompleted: 200 },
        { type: 4, title: 'b', status: 'Yes', complete: true, timecompleted: 100 },
        { type: 4, title: 'c', status: 'No', complete: false, timecompleted: null },
      ],
    };
    assert.deepEqual(when(buildCourseCompletion(any)), { completed: true, completedAt: new Date(100_000) });
    assert.equal(buildCourseCompletion(any)?.aggregation, 'any');
    assert.deepEqual(when(buildCourseCompletion({ ...any, aggregation: 1 })), { completed: true, completedAt: new Date(200_000) });
    assert.equal(buildCourseCompletion(null), null);
  });

  it('structure + snapshot from the captured answers', () => {
    const contents = parseAnswer(courseContentsSchema, answer('core_course_get_contents'), 'x');
    const grades = report(5)[0]!;
    const structure = buildCourseStructure({ courseId: '2', course: { fullname: 'Open Badges Demo Course' }, contents });
    assert.ok(structure.activities.every((a) => a.gradeItemId === null));
    assert.deepEqual(Object.fromEntries(gradeItemIdsByActivity(grades.gradeitems)), { '1': '2', '2': '3', '3': '4', '4': '6', '5': '7' });
    const statuses = parseAnswer(activitiesCompletionSchema, answer('core_completion_get_activities_completion_status', 5), 'x').statuses;
    const readAt = new Date('2026-11-28T12:00:00Z');
    const snap = buildLearnerSnapshot({
      platformId: 'p',
      courseId: '2',
      userId: '5',
      structure,
      activityStatuses: statuses,
      courseCompletion: null,
      grades,
      readAt,
    });
    assert.equal(snap.structure.activities.find((a) => a.id === '1')?.gradeItemId, '2');
    assert.equal(structure.activities.find((a) => a.id === '1')?.gradeItemId, null, 'input not mutated');
    assert.deepEqual(
      snap.activities.find((a) => a.activityId === '1'),
      { activityId: '1', state: 'complete-fail', completedAt: new Date(1795860395_000) },
    );
    // An incomplete state never carries a date, even if Moodle's record has a timemodified.
    const reset = buildLearnerSnapshot({
      ...{ platformId: 'p', courseId: '2', userId: '5', structure, courseCompletion: null, grades: null, readAt },
      activityStatuses: [{ cmid: 1, modname: 'assign', instance: 1, state: 0, timecompleted: 1795860395, tracking: 2 }],
    });
    assert.deepEqual(reset.activities, [{ activityId: '1', state: 'incomplete', completedAt: null }]);
    assert.deepEqual(reset.grades, []);
    assert.deepEqual(snap.readAt, readAt);
  });

  it('validation names the offending field', () => {
    const bad = structuredClone(answer('gradereport_user_get_grade_items', 4)) as { usergrades: { gradeitems: Record<string, unknown>[] }[] };
    bad.usergrades[0]!.gradeitems[1]!['graderaw'] = '18';
    assert.throws(
      () => parseAnswer(gradeReportSchema, bad, 'gradereport_user_get_grade_items'),
      (err: { code: string; details: Record<string, unknown> }) =>
        err.code === 'MOODLE_BAD_RESPONSE' && err.details['field'] === 'usergrades[0].gradeitems[1].graderaw',
    );
    assert.throws(
      () => parseAnswer(activitiesCompletionSchema, { statuses: [{ cmid: 1, modname: 'a', instance: 1, state: 7, timecompleted: 0, tracking: 2 }] }, 'f'),
      {
        code: 'MOODLE_BAD_RESPONSE',
      },
    );
  });

  it('fingerprint: stable under item order, sensitive to grades, dates and access', () => {
    const items = report(4)[0]!.gradeitems;
    const a = learnerFingerprint({ userId: '4', lastCourseAccess: 1795860493, gradeItems: items });
    const b = learnerFingerprint({ userId: '4', lastCourseAccess: 1795860493, gradeItems: [...items].reverse() });
    assert.equal(a.fingerprint, b.fingerprint);
    assert.deepEqual(a.lastActivityAt, new Date(1795860707_000));
    const regraded = items.map((i) => (i.id === 2 ? { ...i, graderaw: 86 } : i));
    assert.notEqual(learnerFingerprint({ userId: '4', lastCourseAccess: 1795860493, gradeItems: regraded }).fingerprint, a.fingerprint);
    assert.notEqual(learnerFingerprint({ userId: '4', lastCourseAccess: 1795860999, gradeItems: items }).fingerprint, a.fingerprint);
    assert.deepEqual(learnerFingerprint({ userId: '9' }).lastActivityAt, null);
  });
});
