import assert from 'node:assert/strict';
import { canSkipLearner } from '../../../../src/lms/data-source.js';
import type { LearnerSnapshot } from '../../../../src/rules/snapshot';
import { MoodleDataSource } from '../../../../src/lms/moodle/data-source.js';
import { REQUIRED_FUNCTIONS } from '../../../../src/lms/moodle/functions.js';
import { rejection, startWsHarness, type WsHarness } from './helpers.js';

const at = (seconds: number) => new Date(seconds * 1000);
const byActivity = (s: LearnerSnapshot) => Object.fromEntries(s.activities.map((a) => [a.activityId, a]));
const gradeOf = (s: LearnerSnapshot, name: string) => s.grades.find((g) => g.name === name)!;
const withoutReadAt = (s: LearnerSnapshot) => ({ ...s, readAt: null });

describe('lms/moodle/data-source (over HTTP against the fake Moodle)', () => {
  let h: WsHarness;
  beforeEach(async () => {
    h = await startWsHarness();
  });
  afterEach(async () => {
    await h.fake.close();
  });

  describe('checkConnection', () => {
    it('all required functions present → ok, site name and release', async () => {
      const check = await h.source.checkConnection();
      assert.deepEqual(check, { ok: true, siteName: 'Badges E2E Moodle', release: '4.5.6 (Build: 20250811)', missingFunctions: [], warnings: [] });
    });

    it('lists exactly the missing functions', async () => {
      h.fake.allowFunctions(
        REQUIRED_FUNCTIONS.filter((f) => f !== 'gradereport_user_get_grade_items' && f !== 'core_completion_get_activities_completion_status'),
      );
      const check = await h.source.checkConnection();
      assert.equal(check.ok, false);
      assert.deepEqual(check.missingFunctions, ['gradereport_user_get_grade_items', 'core_completion_get_activities_completion_status']);
    });

    it('a bad token → ok false with the error code, no throw', async () => {
      const client = h.newClient({ token: 'not-the-token-123456' });
      const check = await new MoodleDataSource({ platformId: 'p', client }).checkConnection();
      assert.equal(check.ok, false);
      assert.equal(check.error?.code, 'MOODLE_WS_ACCESS_DENIED');
      assert.ok(!JSON.stringify(check).includes('not-the-token-123456'));
    });
  });

  describe('getCourseStructure', () => {
    it('sections, activities and completion tracking from core_course_get_contents', async () => {
      const s = await h.source.getCourseStructure('2');
      assert.equal(s.name, 'Open Badges Demo Course');
      assert.deepEqual(
        s.sections.map((x) => [x.id, x.number, x.activityIds]),
        [
          ['1', 0, []],
          ['2', 1, ['1', '3', '5']],
          ['3', 2, ['2', '4']],
        ],
      );
      const byId = Object.fromEntries(s.activities.map((a) => [a.id, a]));
      assert.deepEqual(byId['1'], { id: '1', name: 'Essay 1', modname: 'assign', sectionId: '2', completionTracked: true, gradeItemId: null });
      assert.equal(byId['4']?.completionTracked, false); // "Badge tool (dynamic)": completion 0
      assert.deepEqual(h.fake.countsByFunction(), { core_course_get_courses_by_field: 1, core_course_get_contents: 1 });
    });

    it('unknown course → MOODLE_COURSE_NOT_FOUND; non-numeric id → MOODLE_INVALID_ARGUMENT', async () => {
      await rejection(h.source.getCourseStructure('77'), 'MOODLE_COURSE_NOT_FOUND');
      await rejection(h.source.getCourseStructure('2 OR 1=1'), 'MOODLE_INVALID_ARGUMENT');
    });
  });

  describe('getLearnerSnapshot (the three captured students)', () => {
    it('student1 (4): completed, 85 % and 90 %, course completed', async () => {
      const s = await h.source.getLearnerSnapshot('2', '4', { earnedBadgeIds: ['starter'] });
      assert.equal(s.platformId, 'moodle-test');
      assert.deepEqual(s.earnedBadgeIds, ['starter']);
      assert.deepEqual(byActivity(s), {
        '1': { activityId: '1', state: 'complete-pass', completedAt: at(1795860395) },
        '3': { activityId: '3', state: 'complete', completedAt: at(1795860493) },
        '5': { activityId: '5', state: 'incomplete', completedAt: null },
        '2': { activityId: '2', state: 'complete-pass', completedAt: at(1795860395) },
      });
      assert.deepEqual(s.courseCompletion && { completed: s.courseCompletion.completed, completedAt: s.courseCompletion.completedAt }, {
        completed: true,
        completedAt: at(1795860395),
      });
      // Moodle's own criteria, each with the activity it names (for the learner's explanation)
      assert.deepEqual(
        s.courseCompletion?.criteria?.map((c) => [c.activityId, c.name, c.complete, c.requirement]),
        [
          ['1', 'Essay 1', true, 'Achieving grade, Achieving passing grade'],
          ['2', 'Final Project', true, 'Viewing the assignment, Achieving grade'],
        ],
      );
      const essay = gradeOf(s, 'Essay 1');
      assert.deepEqual(essay, {
        gradeItemId: '2',
        activityId: '1',
        name: 'Essay 1',
        isCourseTotal: false,
        grade: 85,
        gradeMin: 0,
        gradeMax: 100,
        gradePass: null,
        percentage: 85,
        gradedAt: at(1795860395),
      });
      assert.equal(gradeOf(s, 'Final Project').percentage, 90);
      assert.equal(gradeOf(s, 'Final Project').grade, 18);
      const total = s.grades.find((g) => g.isCourseTotal)!;
      assert.equal(total.name, 'Course total');
      assert.equal(total.gradeItemId, '1');
      assert.equal(total.activityId, null);
      assert.equal(total.grade, 193);
      assert.equal(total.percentage, 83.913043); // 193 / 230, Moodle shows "83.91 %"
      assert.equal(s.grades.filter((g) => g.isCourseTotal).length, 1);
      // Ungraded items: no grade, no percentage, no date.
      assert.deepEqual([gradeOf(s, 'Badge tool (dynamic)').grade, gradeOf(s, 'Badge tool (dynamic)').percentage], [null, null]);
      // The snapshot's structure knows the grade items (core_course_get_contents alone does not).
      assert.equal(s.structure.activities.find((a) => a.id === '1')?.gradeItemId, '2');
      assert.equal(s.structure.activities.find((a) => a.id === '2')?.gradeItemId, '3');
      assert.ok(s.readAt instanceof Date);
    });

    it('student2 (5): Essay 1 complete-fail at 40 %, course not completed', async () => {
      const s = await h.source.getLearnerSnapshot('2', '5');
      assert.equal(byActivity(s)['1']?.state, 'complete-fail');
      assert.deepEqual(byActivity(s)['1']?.completedAt, at(1795860395));
      assert.equal(byActivity(s)['2']?.state, 'incomplete');
      assert.equal(gradeOf(s, 'Essay 1').percentage, 40);
      assert.equal(gradeOf(s, 'Final Project').grade, null);
      assert.deepEqual(s.courseCompletion && { completed: s.courseCompletion.completed, completedAt: s.courseCompletion.completedAt }, {
        completed: false,
        completedAt: null,
      });
      assert.equal(s.grades.find((g) => g.isCourseTotal)?.percentage, 40);
    });

    it('student3 (6): nothing graded, only the cross-site tool viewed', async () => {
      const s = await h.source.getLearnerSnapshot('2', '6');
      assert.ok(s.grades.every((g) => g.grade === null && g.percentage === null && g.gradedAt === null));
      assert.deepEqual(byActivity(s)['5'], { activityId: '5', state: 'complete', completedAt: at(1795860734) });
      assert.deepEqual(s.courseCompletion && { completed: s.courseCompletion.completed, completedAt: s.courseCompletion.completedAt }, {
        completed: false,
        completedAt: null,
      });
    });

    it('teacher (3): course completion null (usernotenroled), no throw', async () => {
      const s = await h.source.getLearnerSnapshot('2', '3');
      assert.equal(s.courseCompletion, null);
    });

    it('a field of the wrong type → MOODLE_BAD_RESPONSE naming it', async () => {
      const report = JSON.parse(JSON.stringify(await h.client.call('gradereport_user_get_grade_items', { courseid: 2, userid: 4 }))) as {
        usergrades: { gradeitems: Record<string, unknown>[] }[];
      };
      report.usergrades[0]!.gradeitems[0]!['graderaw'] = '85.00';
      h.fake.respondWith('gradereport_user_get_grade_items', report);
      const err = await rejection(h.source.getLearnerSnapshot('2', '4'), 'MOODLE_BAD_RESPONSE', h.fake.token);
      assert.equal(err.details?.['field'], 'usergrades[0].gradeitems[0].graderaw');
      assert.equal(err.details?.['wsfunction'], 'gradereport_user_get_grade_items');
      // In a batch it is platform-wide: the batch rejects.
      await rejection(h.source.getLearnerSnapshots('2', ['4', '5']), 'MOODLE_BAD_RESPONSE');
    });

    it('with a structure passed in: 1 (cached course info) + 3 calls; course info reused afterwards', async () => {
      const structure = await h.source.getCourseStructure('2');
      h.fake.resetStats();
      await h.source.getLearnerSnapshot('2', '4', { structure });
      assert.deepEqual(h.fake.countsByFunction(), {
        gradereport_user_get_grade_items: 1,
        core_completion_get_activities_completion_status: 1,
        core_completion_get_course_completion_status: 1,
      });
    });
  });

  describe('getLearnerSnapshots (many learners)', () => {
    it("each learner's own grade report, never the course-wide one (userid=0); same result as one by one", async () => {
      const batch = await h.source.getLearnerSnapshots('2', ['6', '4', '5']);
      assert.deepEqual(h.fake.countsByFunction(), {
        core_course_get_courses_by_field: 1,
        core_course_get_contents: 1,
        gradereport_user_get_grade_items: 3,
        core_completion_get_activities_completion_status: 3,
        core_completion_get_course_completion_status: 3,
      });
      const gradeCalls = h.fake.log.filter((c) => c.wsfunction === 'gradereport_user_get_grade_items').map((c) => c.params['userid']);
      assert.deepEqual(gradeCalls.sort(), ['4', '5', '6']);
      assert.deepEqual(batch.failures, []);
      assert.deepEqual(
        batch.snapshots.map((s) => s.userId),
        ['6', '4', '5'],
      );
      for (const snapshot of batch.snapshots) {
        const single = await h.source.getLearnerSnapshot('2', snapshot.userId);
        assert.deepEqual(withoutReadAt(snapshot), withoutReadAt(single));
      }
    });

    it('the teacher is read like a learner; an unknown user is a failure, not a crash', async () => {
      const batch = await h.source.getLearnerSnapshots('2', ['4', '3', '999'], { earnedBadgeIds: new Map([['4', ['a']]]) });
      assert.deepEqual(
        batch.snapshots.map((s) => [s.userId, s.earnedBadgeIds]),
        [
          ['4', ['a']],
          ['3', []],
        ],
      );
      assert.equal(batch.failures.length, 1);
      assert.equal(batch.failures[0]?.userId, '999');
      assert.equal(batch.failures[0]?.error.code, 'MOODLE_WS_ERROR');
      const gradeCalls = h.fake.log.filter((c) => c.wsfunction === 'gradereport_user_get_grade_items').map((c) => c.params['userid']);
      assert.deepEqual(gradeCalls.sort(), ['3', '4', '999']);
    });

    it('a platform-wide failure rejects the whole batch early', async () => {
      h.fake.allowFunctions(REQUIRED_FUNCTIONS.filter((f) => f !== 'core_completion_get_activities_completion_status'));
      h.fake.addLearners(50);
      const ids = ['4', '5', '6', ...Array.from({ length: 50 }, (_, i) => String(1001 + i))];
      const err = await rejection(h.source.getLearnerSnapshots('2', ids), 'MOODLE_WS_FUNCTION_MISSING', h.fake.token);
      assert.deepEqual(err.details?.['missingFunctions'], ['core_completion_get_activities_completion_status']);
      // Stopped after the first wave of workers, not after 53 learners.
      assert.ok(h.fake.count('core_completion_get_activities_completion_status') <= 8);
    });

    it('completion disabled for the course → no completion calls at all', async () => {
      h.fake.respondWith('core_course_get_courses_by_field', {
        courses: [{ id: 2, fullname: 'Open Badges Demo Course', shortname: 'OBD101', enablecompletion: 0 }],
        warnings: [],
      });
      const batch = await h.source.getLearnerSnapshots('2', ['4', '5']);
      assert.deepEqual(
        batch.snapshots.map((s) => [s.activities, s.courseCompletion]),
        [
          [[], null],
          [[], null],
        ],
      );
      assert.equal(h.fake.count('core_completion_get_activities_completion_status'), 0);
      assert.equal(h.fake.count('core_completion_get_course_completion_status'), 0);
    });

    it('only the reads asked for: course completion first, activities and grades only for learners who have not completed', async () => {
      const batch = await h.source.getLearnerSnapshots('2', ['4', '5', '6'], {
        reads: { grades: false, activities: true, courseCompletion: true, onlyIfCourseIncomplete: true, gradesToExplain: true },
      });
      const asked = (fn: string) =>
        h.fake.log
          .filter((c) => c.wsfunction === fn)
          .map((c) => c.params['userid'])
          .sort();
      assert.deepEqual(asked('core_completion_get_course_completion_status'), ['4', '5', '6']);
      assert.deepEqual(asked('core_completion_get_activities_completion_status'), ['5', '6'], 'learner 4 completed the course');
      assert.deepEqual(asked('gradereport_user_get_grade_items'), ['5', '6']);
      assert.deepEqual(
        batch.snapshots.map((s) => [s.userId, s.courseCompletion?.completed, s.activities.length > 0, s.grades.length > 0]),
        [
          ['4', true, false, false],
          ['5', false, true, true],
          ['6', false, true, true],
        ],
      );
    });

    it('activity completion alone: grades only of the learners with a failed activity, to explain it', async () => {
      await h.source.getLearnerSnapshots('2', ['4', '5', '6'], { reads: { grades: false, activities: true, courseCompletion: false, gradesToExplain: true } });
      assert.equal(h.fake.count('core_completion_get_course_completion_status'), 0);
      assert.equal(h.fake.count('core_completion_get_activities_completion_status'), 3);
      assert.deepEqual(
        h.fake.log.filter((c) => c.wsfunction === 'gradereport_user_get_grade_items').map((c) => c.params['userid']),
        ['5'],
      );
    });

    it('200 synthetic learners: 2 + 3·N calls, never more than 4 in flight', async () => {
      const ids = h.fake.addLearners(200).map(String);
      const batch = await h.source.getLearnerSnapshots('2', ids);
      assert.equal(batch.snapshots.length, 200);
      assert.equal(h.fake.count(), 2 + 3 * 200);
      assert.equal(h.fake.log.filter((c) => c.wsfunction === 'gradereport_user_get_grade_items' && c.params['userid'] === '0').length, 0);
      assert.ok(h.fake.maxInFlight <= 4, `max in flight ${h.fake.maxInFlight}`);
      // Clones behave like their templates: completed, failed, inactive, completed…
      assert.deepEqual(
        batch.snapshots.slice(0, 3).map((s) => [s.courseCompletion?.completed, s.grades.find((g) => g.name === 'Essay 1')?.percentage]),
        [
          [true, 85],
          [false, 40],
          [false, null],
        ],
      );
    });

    it('no user ids → no calls', async () => {
      assert.deepEqual(await h.source.getLearnerSnapshots('2', []), { snapshots: [], failures: [] });
      assert.equal(h.fake.count(), 0);
    });
  });

  describe('listLearners', () => {
    it('students only (roles from core_enrol_get_enrolled_users), paged with limitfrom/limitnumber', async () => {
      const source = new MoodleDataSource({ platformId: 'p', client: h.client, pageSize: 2 });
      const learners = await source.listLearners('2');
      assert.deepEqual(
        learners.map((l) => [l.userId, l.fullName, l.roles]),
        [
          ['4', 'Sam Student', ['student']],
          ['5', 'Sara Student', ['student']],
          ['6', 'Stan Student', ['student']],
        ],
      );
      assert.deepEqual(learners[0]?.lastCourseAccessAt, at(1795860493));
      assert.equal(learners[0]?.email, 'student1@example.com');
      const calls = h.fake.log.filter((c) => c.wsfunction === 'core_enrol_get_enrolled_users');
      assert.equal(calls.length, 3); // 2 + 2 + 0 users
      const first = calls[0]!.params;
      const options = Object.fromEntries([0, 1, 2].map((i) => [first[`options[${i}][name]`], first[`options[${i}][value]`]]));
      // No onlyactive by default: it needs moodle/course:enrolreview, which the documented WS role lacks.
      assert.deepEqual(options, { userfields: 'id,fullname,email,idnumber,roles,lastcourseaccess', limitfrom: '0', limitnumber: '2' });
      assert.equal(calls[1]!.params['options[1][value]'], '2');
      await new MoodleDataSource({ platformId: 'p', client: h.client, onlyActiveEnrolments: true }).listLearners('2');
      assert.equal(h.fake.log.at(-1)?.params['options[0][name]'], 'onlyactive');
    });
  });

  describe('change hints', () => {
    it('one fingerprint per learner from 2 bulk calls; changes when a grade changes', async () => {
      const before = await h.source.getChangeHints('2');
      assert.deepEqual([...before.keys()], ['4', '5', '6']);
      assert.deepEqual(h.fake.countsByFunction(), { core_enrol_get_enrolled_users: 1, gradereport_user_get_grade_items: 1 });
      // student1's latest activity: the badge items graded at 1795860707 (course total).
      assert.deepEqual(before.get('4')?.lastActivityAt, at(1795860707));

      const again = await h.source.getChangeHints('2', ['4', '5']);
      assert.deepEqual([...again.keys()], ['4', '5']);
      assert.equal(again.get('4')?.fingerprint, before.get('4')?.fingerprint);

      // student2 gets Final Project graded.
      const report = JSON.parse(JSON.stringify(await h.client.call('gradereport_user_get_grade_items', { courseid: 2, userid: 0 }))) as {
        usergrades: { userid: number; gradeitems: Record<string, unknown>[] }[];
      };
      const fp = report.usergrades.find((u) => u.userid === 5)!.gradeitems.find((i) => i['id'] === 3)!;
      Object.assign(fp, { graderaw: 15, gradedategraded: 1795870000 });
      h.fake.respondWith('gradereport_user_get_grade_items', report);
      const after = await h.source.getChangeHints('2');
      assert.equal(after.get('4')?.fingerprint, before.get('4')?.fingerprint);
      assert.notEqual(after.get('5')?.fingerprint, before.get('5')?.fingerprint);
      assert.deepEqual(after.get('5')?.lastActivityAt, at(1795870000));

      // canSkipLearner: unchanged and read well after the last activity → skip; changed → read again.
      const prev4 = { fingerprint: before.get('4')!.fingerprint, readAt: at(1795860707 + 3600) };
      assert.equal(canSkipLearner(after.get('4')!, prev4), true);
      assert.equal(canSkipLearner(after.get('4')!, { ...prev4, readAt: at(1795860707 + 60) }), false); // cron may still complete the course
      assert.equal(canSkipLearner(after.get('5')!, { fingerprint: before.get('5')!.fingerprint, readAt: at(1795880000) }), false);
      assert.equal(canSkipLearner(after.get('5')!, undefined), false);
    });
  });
});
