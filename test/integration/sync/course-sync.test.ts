import assert from 'node:assert/strict';
import request from 'supertest';
import fixture from '../../fixtures/moodle-ws/webservice-rest-completion-grades.json';
import mongoose from 'mongoose';
import type { CourseDataSource } from '../../../src/lms/data-source';
import { createMoodleDataSource } from '../../../src/lms/moodle';
import { explainDecision } from '../../../src/rules';
import type { StoredDecision } from '../../../src/store/decisions';
import type { SyncRun } from '../../../src/store/sync-runs';
import { badgesToEvaluate, runCourseSync, type CourseSyncDeps } from '../../../src/sync/course-sync';
import { evaluateLearner, storedRuleDecision } from '../../../src/sync/evaluate-learner';
import { startFakeMoodleWs, type FakeMoodleWs } from '../../support/fake-moodle-ws';
import { launchAs } from '../../support/launch';
import { useRegisteredTool } from '../../support/registered-tool';
import { connectFakeMoodle, COURSE_ID, createBadge, ESSAY_PASSED_AND_FINAL_PROJECT, pageText, pollUntil, TestClock } from '../../support/sync-helpers';
import type { Badge } from '../../../src/store/badges';

const { BSON } = mongoose.mongo;
const COMPLETION_FNS = ['core_completion_get_activities_completion_status', 'core_completion_get_course_completion_status'];
const GRADES_FN = 'gradereport_user_get_grade_items';

/** Per-learner completion calls since the fake's last resetStats(), by user id. */
function completionCallsByUser(fake: FakeMoodleWs): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of fake.log) if (COMPLETION_FNS.includes(c.wsfunction)) out[c.params['userid']!] = (out[c.params['userid']!] ?? 0) + 1;
  return out;
}

/** A data source whose getLearnerSnapshots runs `before`/`after` hooks around the real one. */
function hooked(source: CourseDataSource, hooks: { before?: (call: number) => void; after?: (call: number) => void }): CourseDataSource {
  let calls = 0;
  return new Proxy(source, {
    get(target, prop, receiver) {
      if (prop === 'getLearnerSnapshots') {
        return async (...args: Parameters<CourseDataSource['getLearnerSnapshots']>) => {
          const n = ++calls;
          hooks.before?.(n);
          const result = await target.getLearnerSnapshots(...args);
          hooks.after?.(n);
          return result;
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Uses up the fake's pending failNext() answers for `wsfunction`, so they cannot leak into the next test. */
async function drainFailures(fake: FakeMoodleWs, wsfunction: string) {
  for (let i = 0; i < 200; i++) {
    const res = await fetch(fake.endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ wstoken: fake.token, wsfunction, moodlewsrestformat: 'json', courseid: '2', userid: '4' }).toString(),
    });
    await res.text();
    if (res.status === 200) return;
  }
  throw new Error('the fake kept failing');
}

describe('sync: the course sync reads Moodle and decides for every learner', () => {
  const clock = new TestClock();
  const ctx = useRegisteredTool({ now: clock.now });
  let fake: FakeMoodleWs;
  let platformId: string;
  let badge: Badge;
  let teacher: string;

  const col = (name: string) => ctx.tool.db.connection.collection(name);
  const decisions = () => ctx.tool.sync.decisions.listForCourse(platformId, COURSE_ID, { badgeId: badge.id });
  const decisionOf = async (userId: string): Promise<StoredDecision> => {
    const d = await ctx.tool.sync.decisions.find({ platformId, courseId: COURSE_ID, userId, badgeId: badge.id, badgeVersion: badge.currentVersion });
    assert.ok(d, `a decision for learner ${userId}`);
    return d;
  };
  const sync = (deps: CourseSyncDeps = ctx.tool.sync) => runCourseSync(deps, platformId, COURSE_ID, 'teacher');
  const completed = (outcome: Awaited<ReturnType<typeof sync>>): SyncRun => {
    assert.equal(outcome.started, true);
    if (!outcome.started) throw new Error('not started');
    assert.equal(outcome.run.status, 'completed', JSON.stringify(outcome.run.error));
    return outcome.run;
  };

  before(async () => {
    ctx.sim.now = clock.now;
    fake = await startFakeMoodleWs();
    platformId = await connectFakeMoodle(ctx.tool, fake);
    badge = await createBadge(ctx.tool, platformId, ESSAY_PASSED_AND_FINAL_PROJECT, 'Essay passed and Final Project completed');
    teacher = (await launchAs(ctx.tool, ctx.sim, 'teacher')).token;
  });
  after(async () => {
    await fake?.close();
  });
  beforeEach(async () => {
    clock.reset();
    fake.up();
    fake.respondWith(GRADES_FN, null, 0);
    for (const name of ['decisions', 'learner_states', 'sync_runs', 'leases']) await col(name).deleteMany({});
    fake.resetStats();
  });

  describe('decisions', () => {
    it('learner 4 earned, 5 not earned (and why), 6 not started with progress 0; the teacher is not a learner', async () => {
      const run = completed(await sync());
      assert.equal(run.learnersTotal, 3);
      assert.equal(run.learnersDone, 3);
      assert.equal(run.learnersSkipped, 0);
      assert.deepEqual(run.learnersFailed, []);
      assert.equal(run.decisionsWritten, 3);

      const earned = await decisionOf('4');
      assert.equal(earned.earned, true);
      assert.equal(earned.status, 'earned');
      assert.equal(earned.source, 'rules');
      assert.equal(earned.progress.fraction, 1);
      assert.ok(earned.earnedAt instanceof Date);
      assert.equal(earned.earnedAt.toISOString(), new Date(1795860395 * 1000).toISOString(), 'earned when the last requirement was met in Moodle');
      assert.deepEqual(earned.learner, { name: 'Sam Student', email: 'student1@example.com' });

      const failed = await decisionOf('5');
      assert.equal(failed.earned, false);
      assert.equal(failed.status, 'in-progress');
      assert.equal(failed.earnedAt, null);
      assert.ok(failed.progress.fraction < 1);
      const why = explainDecision(failed.decision, 'en');
      assert.equal(why[0], 'In progress: 0% done.');
      assert.ok(
        why.some((l) => /Essay 1: (your grade 40% is below the 50% needed|completed, but without a passing grade)\./.test(l)),
        why.join('\n'),
      );
      assert.ok(
        why.some((l) => /Final Project: not completed yet\./.test(l)),
        why.join('\n'),
      );

      const inactive = await decisionOf('6');
      assert.equal(inactive.earned, false);
      assert.equal(inactive.status, 'not-started');
      assert.equal(inactive.progress.fraction, 0);
      assert.equal(explainDecision(inactive.decision, 'en')[0], 'Not started yet.');

      assert.deepEqual((await decisions()).map((d) => d.userId).sort(), ['4', '5', '6'], 'no decision for the teacher (user 3)');
    });

    it("the teacher's badge page lists every learner with status, progress and the explanation", async () => {
      completed(await sync());
      const res = await request(ctx.tool.url).get(`/app/teacher/badges/${badge.id}`).query({ s: teacher });
      assert.equal(res.status, 200);
      const text = pageText(res.text);
      assert.match(text, /Sam Student Earned 100%/);
      assert.match(text, /Sara Student In progress \d+% In progress: 0% done\./);
      assert.match(text, /Essay 1: (your grade 40% is below the 50% needed|completed, but without a passing grade)\./);
      assert.match(text, /Final Project: not completed yet\./);
      assert.match(text, /Stan Student Not started 0% Not started yet\./);
      // earned first, then in progress, then not started
      assert.ok(text.indexOf('Sam Student') < text.indexOf('Sara Student') && text.indexOf('Sara Student') < text.indexOf('Stan Student'));
    });

    it('before any sync the badge page says nobody was checked yet', async () => {
      const res = await request(ctx.tool.url).get(`/app/teacher/badges/${badge.id}`).query({ s: teacher });
      assert.equal(res.status, 200);
      assert.match(pageText(res.text), /No learner has been checked yet/);
      assert.doesNotMatch(pageText(res.text), /Sam Student/);
    });

    it('the teacher home shows the counts (1 earned, 1 in progress, 1 not started) and the last check', async () => {
      const before = await request(ctx.tool.url).get('/app/teacher').query({ s: teacher });
      assert.match(before.text, /aria-label="0 earned, 0 in progress, 0 not started"/);
      completed(await sync());
      const res = await request(ctx.tool.url).get('/app/teacher').query({ s: teacher });
      assert.equal(res.status, 200);
      assert.match(res.text, /aria-label="1 earned, 1 in progress, 1 not started"/);
      assert.match(res.text, /<td>1<\/td><td>1<\/td><td>1<\/td>/);
      assert.match(res.text, /data-status="completed"/);
      assert.match(pageText(res.text), /Last check .+: 3 learners, 0 of them not read again\./);
    });
  });

  describe('running again', () => {
    it('makes no duplicate decisions; a learner who earned every badge is not read again, the others are', async () => {
      completed(await sync());
      const first = await decisions();
      assert.equal(await col('decisions').countDocuments(), 3);
      // the rule reads activity completion only; learner 5's failed Essay 1 brings their grades, to explain it, and
      // learner 4, who earns the badge, has theirs read for the credential's assessment
      assert.deepEqual(completionCallsByUser(fake), { '4': 1, '5': 1, '6': 1 });
      assert.deepEqual(
        fake.log
          .filter((c) => c.wsfunction === GRADES_FN)
          .map((c) => c.params['userid'])
          .sort(),
        ['4', '5'],
      );

      fake.resetStats();
      const run = completed(await sync());
      assert.equal(run.learnersSkipped, 1);
      assert.deepEqual(run.skippedBecause, { allEarned: 1, readBeforeInterruption: 0 });
      assert.equal(run.learnersDone, 3);
      assert.equal(run.learnersChanged, 0, 'Moodle said the same about 5 and 6');
      assert.deepEqual(completionCallsByUser(fake), { '5': 1, '6': 1 }, 'no call about the learner who earned the badge');
      assert.equal(fake.log.filter((c) => c.wsfunction === GRADES_FN && c.params['userid'] === '0').length, 0, 'never the course-wide grade report');
      assert.equal(await col('decisions').countDocuments(), 3);
      const again = await decisions();
      assert.deepEqual(
        again.map(({ evaluatedAt: _e, ...d }) => d),
        first.map(({ evaluatedAt: _e, ...d }) => d),
        'the same decisions',
      );
    });

    it('a learner whose Moodle data changed is counted as changed', async () => {
      completed(await sync());
      const statuses = (fixture as { calls: Array<{ wsfunction: string; params: Record<string, unknown>; response: unknown }> }).calls.find(
        (c) => c.wsfunction === 'core_completion_get_activities_completion_status' && c.params['userid'] === 4,
      )!.response;
      fake.respondWith('core_completion_get_activities_completion_status', statuses, 1); // learner 5, read first, now completed everything
      fake.resetStats();
      const run = completed(await sync());
      assert.equal(run.learnersChanged, 1);
      assert.equal((await decisionOf('5')).earned, true);
    });

    it('a new badge version: the learner who earned the badge keeps it unread, the others are decided for the new version', async () => {
      completed(await sync());
      const v2 = await ctx.tool.sync.badges.saveVersion(badge, (await ctx.tool.sync.badges.getVersion(badge.id, 1))!.definition, '3');
      try {
        fake.resetStats();
        const run = completed(await sync());
        assert.equal(run.learnersSkipped, 1);
        assert.deepEqual(completionCallsByUser(fake), { '5': 1, '6': 1 });
        const all = await col('decisions').find({ badgeId: badge.id }).toArray();
        assert.deepEqual(all.map((d) => `${d.userId}@${d.badgeVersion}`).sort(), ['4@1', '5@1', '5@2', '6@1', '6@2']);
      } finally {
        await col('badge_versions').deleteOne({ badgeId: badge.id, version: v2.version });
        await col('badges').updateOne({ name: badge.name }, { $set: { currentVersion: 1 } });
      }
    });

    it('snapshots are stamped with the app clock, so learner states and runs use one clock', async () => {
      clock.advance(20 * 60_000);
      completed(await sync());
      const state = await col('learner_states').findOne({ userId: '5' });
      assert.ok(
        Math.abs((state!.readAt as Date).getTime() - clock.now()) < 60_000,
        `readAt ${(state!.readAt as Date).toISOString()} follows the app clock ${new Date(clock.now()).toISOString()}`,
      );
    });
  });

  describe('one learner failing', () => {
    it('a learner Moodle cannot read is reported, the others are decided, and the next run reads them again', async () => {
      // the first completion call (learner 4, read first) gets a per-user Moodle error, not a platform-wide one
      fake.respondWith(
        'core_completion_get_activities_completion_status',
        { exception: 'dml_missing_record_exception', errorcode: 'invalidrecord', message: "Can't find data record in database table user." },
        1,
      );
      const run = completed(await sync({ ...ctx.tool.sync, batchSize: 1 }));
      assert.deepEqual(run.learnersFailed, [{ userId: '4', code: 'MOODLE_WS_ERROR' }]);
      assert.deepEqual((await decisions()).map((d) => d.userId).sort(), ['5', '6']);
      const home = await request(ctx.tool.url).get('/app/teacher').query({ s: teacher });
      assert.match(pageText(home.text), /1 learner could not be read and keeps their previous state\./);

      fake.resetStats();
      const next = completed(await sync());
      assert.equal(next.learnersSkipped, 0);
      assert.deepEqual(completionCallsByUser(fake), { '4': 1, '5': 1, '6': 1 });
      assert.deepEqual((await decisions()).map((d) => d.userId).sort(), ['4', '5', '6']);
    });
  });

  describe('an earned badge is kept', () => {
    it('later data that no longer meets the rule does not take the badge back', async () => {
      completed(await sync());
      const earned = await decisionOf('4');
      assert.equal(earned.earned, true);
      // a second badge learner 4 has not earned makes them be read again; Moodle now reports Essay 1 as failed
      const second = await createBadge(
        ctx.tool,
        platformId,
        { type: 'grade', target: { gradeItemId: '3' }, atLeast: { percent: 95 } },
        'Project with distinction',
      );
      try {
        const failedStatuses = (fixture as { calls: Array<{ wsfunction: string; params: Record<string, unknown>; response: unknown }> }).calls.find(
          (c) => c.wsfunction === 'core_completion_get_activities_completion_status' && c.params['userid'] === 5,
        )!.response;
        fake.respondWith('core_completion_get_activities_completion_status', failedStatuses, 1);
        fake.resetStats();
        const run = completed(await sync({ ...ctx.tool.sync, batchSize: 1 }));
        assert.equal(run.learnersSkipped, 0);
        assert.equal(completionCallsByUser(fake)['4'], 1, 'learner 4 was read again');
        const after = await decisionOf('4');
        assert.equal(after.earned, true);
        assert.deepEqual(after.earnedAt, earned.earnedAt);
        assert.deepEqual(after.decision, earned.decision);
      } finally {
        await col('badges').deleteOne({ name: 'Project with distinction' });
        await col('badge_versions').deleteMany({ badgeId: second.id });
      }
    });
  });

  describe('one sync at a time', () => {
    it('a sync while another instance holds the lease → {started:false}, and no run is recorded', async () => {
      const key = `sync:${platformId}:${COURSE_ID}`;
      assert.ok(await ctx.tool.sync.leases.acquire(key, 'another-instance', 60_000));
      const outcome = await sync();
      assert.deepEqual(outcome, { started: false, reason: 'already-running' });
      assert.equal(await col('sync_runs').countDocuments(), 0);
      assert.equal(fake.count(), 0, 'Moodle is not read');
      await ctx.tool.sync.leases.release(key, 'another-instance');
      completed(await sync());
    });

    it('two syncs started together: exactly one runs', async () => {
      const other: CourseSyncDeps = { ...ctx.tool.sync, owner: 'second-instance' };
      const outcomes = await Promise.all([sync(), sync(other)]);
      assert.deepEqual(outcomes.map((o) => o.started).sort(), [false, true]);
      assert.equal(await col('decisions').countDocuments(), 3);
    });

    it('the lease is released after a run, so the next run starts', async () => {
      completed(await sync());
      assert.equal(await col('leases').countDocuments(), 0);
      completed(await sync());
    });
  });

  describe('Moodle failing', () => {
    it('Moodle down from the start → run failed with MOODLE_UNREACHABLE, decisions from before unchanged', async () => {
      completed(await sync());
      const before = await decisions();
      await col('learner_states').deleteMany({}); // every learner would be read again
      fake.down();
      const outcome = await sync();
      assert.ok(outcome.started);
      assert.equal(outcome.run.status, 'failed');
      assert.equal(outcome.run.error?.code, 'MOODLE_UNREACHABLE');
      const stored = await ctx.tool.sync.runs.latest(platformId, COURSE_ID);
      assert.equal(stored?.status, 'failed');
      assert.equal(stored?.error?.code, 'MOODLE_UNREACHABLE');
      assert.ok(stored?.finishedAt instanceof Date);
      assert.deepEqual(await decisions(), before);
      assert.equal(await col('leases').countDocuments(), 0, 'the lease is released after a failure');

      const home = await request(ctx.tool.url).get('/app/teacher').query({ s: teacher });
      assert.match(home.text, /data-status="failed"/);
      assert.match(pageText(home.text), /stopped: no decision was changed\. Moodle could not be read: .+ \( MOODLE_UNREACHABLE \)/);
    });

    it('Moodle going down after the roster was read (mid-sync) → failed, no decision written or changed', async () => {
      completed(await sync());
      const before = await decisions();
      await col('learner_states').deleteMany({});
      const source = (await ctx.tool.sync.dataSourceFor(platformId))!;
      const deps: CourseSyncDeps = { ...ctx.tool.sync, dataSourceFor: async () => hooked(source, { before: () => fake.down() }) };
      fake.resetStats();
      const outcome = await sync(deps);
      assert.ok(outcome.started);
      assert.equal(outcome.run.status, 'failed');
      assert.equal(outcome.run.error?.code, 'MOODLE_UNREACHABLE');
      assert.ok(fake.count('core_enrol_get_enrolled_users') >= 1, 'the roster had been read');
      assert.deepEqual(await decisions(), before);
      assert.equal(await col('learner_states').countDocuments(), 0, 'no learner is marked as read');
    });

    it('a few transient HTTP 503s are retried and the run completes', async () => {
      fake.failNext(3, 503, 'core_completion_get_activities_completion_status');
      completed(await sync());
      assert.equal(await col('decisions').countDocuments(), 3);
    });

    it('persistent HTTP 503s on completion reads → failed with MOODLE_UNREACHABLE, nothing decided from partial data', async () => {
      fake.failNext(50, 503, 'core_completion_get_activities_completion_status');
      try {
        const outcome = await sync();
        assert.ok(outcome.started);
        assert.equal(outcome.run.status, 'failed');
        assert.equal(outcome.run.error?.code, 'MOODLE_UNREACHABLE');
        assert.equal(await col('decisions').countDocuments(), 0);
        assert.equal(await col('learner_states').countDocuments(), 0);
      } finally {
        await drainFailures(fake, 'core_completion_get_activities_completion_status');
      }
    });

    it('a sync that fails after the first batch (batch size 1) resumes on the next run without duplicates', async () => {
      const source = (await ctx.tool.sync.dataSourceFor(platformId))!;
      const crashing: CourseSyncDeps = {
        ...ctx.tool.sync,
        batchSize: 1,
        // call 1 reads learner 4, call 2 their grades (they earn the badge): Moodle goes down after that batch
        dataSourceFor: async () => hooked(source, { after: (n) => n === 2 && fake.down() }),
      };
      const first = await sync(crashing);
      assert.ok(first.started);
      assert.equal(first.run.status, 'failed');
      assert.deepEqual(
        (await decisions()).map((d) => d.userId),
        ['4'],
        'the first batch was decided',
      );

      fake.up();
      fake.resetStats();
      const run = completed(await sync({ ...ctx.tool.sync, batchSize: 1 }));
      assert.equal(run.learnersSkipped, 1, 'learner 4 was read by the failed run');
      assert.equal(run.resumedFrom, first.run.runId, 'the run continues the failed one');
      assert.deepEqual(completionCallsByUser(fake), { '5': 1, '6': 1 });
      const all = await col('decisions').find({}).toArray();
      assert.equal(all.length, 3);
      assert.deepEqual(all.map((d) => d.userId).sort(), ['4', '5', '6']);
    });

    it('a killed instance (lease left behind) blocks the course until its lease expires; then the sync takes over', async () => {
      const key = `sync:${platformId}:${COURSE_ID}`;
      const leaseMs = 120_000;
      assert.ok(await ctx.tool.sync.leases.acquire(key, 'killed-instance', leaseMs));
      const dead = await ctx.tool.sync.runs.start(platformId, COURSE_ID, 'schedule'); // its run stays "running"
      assert.equal((await sync()).started, false);
      clock.advance(leaseMs + 1_000);
      const run = completed(await sync());
      assert.equal(run.learnersDone, 3);
      assert.equal(run.resumedFrom, dead.runId);
      assert.equal((await col('sync_runs').findOne({ runId: dead.runId }))?.status, 'interrupted', 'the dead run is closed');
      assert.equal(await col('decisions').countDocuments(), 3);
      assert.equal(await col('leases').countDocuments(), 0);
    });
  });

  describe('"check now" from the teacher page', () => {
    it('POST /app/teacher/sync starts a run whose status is visible at /app/teacher/sync/status until completed', async () => {
      fake.slow(150, 'core_completion_get_activities_completion_status');
      try {
        const res = await request(ctx.tool.url).post('/app/teacher/sync').type('form').send({ s: teacher });
        assert.equal(res.status, 303);
        assert.equal(new URL(res.headers.location!, ctx.tool.url).pathname, '/app/teacher');
        const status = async () => (await request(ctx.tool.url).get('/app/teacher/sync/status').query({ s: teacher }).expect(200)).body.run;
        const running = await pollUntil(status, (run) => !!run);
        assert.ok(running, 'the run is recorded');
        assert.equal(running.trigger, 'teacher');
        const last = await pollUntil(status, (run) => run?.status !== 'running');
        assert.equal(last.status, 'completed', JSON.stringify(last));
        assert.equal(last.runId, running.runId);
        assert.equal(last.learnersDone, 3);
        assert.equal(await col('decisions').countDocuments(), 3);
      } finally {
        fake.slow(0, 'core_completion_get_activities_completion_status');
      }
    });

    it('before any run the status is null', async () => {
      const res = await request(ctx.tool.url).get('/app/teacher/sync/status').query({ s: teacher });
      assert.equal(res.status, 200);
      assert.equal(res.body.run, null);
    });

    it('without a web-service connection the run fails with SYNC_NO_WEB_SERVICE', async () => {
      const saved = (await ctx.tool.wsConnections.find(platformId))!;
      await ctx.tool.wsConnections.remove(platformId);
      try {
        await request(ctx.tool.url).post('/app/teacher/sync').type('form').send({ s: teacher }).expect(303);
        const last = await pollUntil(
          async () => (await request(ctx.tool.url).get('/app/teacher/sync/status').query({ s: teacher })).body.run,
          (run) => !!run && run.status !== 'running',
        );
        assert.equal(last.status, 'failed');
        assert.equal(last.error.code, 'SYNC_NO_WEB_SERVICE');
      } finally {
        await ctx.tool.wsConnections.save(saved);
      }
    });

    it('a student cannot start a sync nor read its status (403)', async () => {
      const { token } = await launchAs(ctx.tool, ctx.sim, 'student');
      const post = await request(ctx.tool.url).post('/app/teacher/sync').type('form').set('Accept', 'application/json').send({ s: token });
      assert.equal(post.status, 403);
      const status = await request(ctx.tool.url).get('/app/teacher/sync/status').query({ s: token }).set('Accept', 'application/json');
      assert.equal(status.status, 403);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(await col('sync_runs').countDocuments(), 0);
    });

    it('the session must come from the form body: a link with ?s= cannot start a sync', async () => {
      const res = await request(ctx.tool.url).post(`/app/teacher/sync?s=${teacher}`).set('Accept', 'application/json');
      assert.equal(res.status, 401);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(await col('sync_runs').countDocuments(), 0);
    });
  });
});

describe("sync: a grade rule decided from each learner's grade report", () => {
  const ctx = useRegisteredTool();
  const moodle = useFakeMoodle();

  it('Final Project at least 60%: learner 4 (18/20) earned, 5 and 6 (not graded) not, with the reason', async () => {
    const platformId = await connectFakeMoodle(ctx.tool, moodle.fake);
    const badge = await createBadge(ctx.tool, platformId, { type: 'grade', target: { gradeItemId: '3' }, atLeast: { percent: 60 } }, 'Project grade');
    const outcome = await runCourseSync(ctx.tool.sync, platformId, COURSE_ID, 'schedule');
    assert.ok(outcome.started && outcome.run.status === 'completed', JSON.stringify(outcome.started && outcome.run.error));
    const byUser = Object.fromEntries((await ctx.tool.sync.decisions.listForCourse(platformId, COURSE_ID, { badgeId: badge.id })).map((d) => [d.userId, d]));
    assert.equal(byUser['4']?.earned, true);
    assert.equal(byUser['5']?.earned, false);
    assert.equal(byUser['6']?.earned, false);
    assert.ok(
      explainDecision(byUser['5']!.decision, 'en').some((l) => /Final Project: not graded yet; 60% is needed\./.test(l)),
      explainDecision(byUser['5']!.decision, 'en').join('\n'),
    );
  });
});

describe('sync: a 200-learner course', () => {
  const ctx = useRegisteredTool();
  let fake: FakeMoodleWs;

  before(async () => {
    fake = await startFakeMoodleWs();
  });
  after(async () => {
    await fake?.close();
  });

  it('no course-wide grade report, one roster read, each learner asked once per call the rule needs', async function () {
    // ~45 s on FerretDB/SQLite: the time goes into per-learner database reads and writes, not Moodle calls (see report)
    this.timeout(240_000);
    const added = fake.addLearners(200);
    assert.equal(added.length, 200);
    const platformId = await connectFakeMoodle(ctx.tool, fake);
    const badge = await createBadge(ctx.tool, platformId, ESSAY_PASSED_AND_FINAL_PROJECT);
    fake.resetStats();
    const outcome = await runCourseSync(ctx.tool.sync, platformId, COURSE_ID, 'schedule');
    assert.ok(outcome.started);
    assert.equal(outcome.run.status, 'completed', JSON.stringify(outcome.run.error));
    const learners = 203;
    assert.equal(outcome.run.learnersTotal, learners);
    assert.equal(outcome.run.learnersDone, learners);

    const gradeCalls = fake.log.filter((c) => c.wsfunction === GRADES_FN);
    assert.equal(gradeCalls.filter((c) => c.params['userid'] === '0').length, 0, 'never the course-wide grade report');
    assert.equal(
      gradeCalls.length,
      68 + 68,
      'grades of the learners whose Essay 1 failed, to explain it, and of the 68 who earn the badge, for the assessment',
    );
    assert.equal(fake.count('core_enrol_get_enrolled_users'), 1, 'the roster (one page of 500), once');
    assert.equal(fake.count('core_completion_get_activities_completion_status'), learners, 'activity completion once per learner');
    assert.equal(fake.count('core_completion_get_course_completion_status'), 0, 'no rule reads course completion');
    assert.ok(fake.maxInFlight <= 4, `at most 4 requests in flight, saw ${fake.maxInFlight}`);

    const stored = await ctx.tool.sync.decisions.listForCourse(platformId, COURSE_ID, { badgeId: badge.id });
    assert.equal(stored.length, learners);
    const earned = stored.filter((d) => d.earned).length;
    // addLearners cycles completed/failed/inactive: 67 clones of learner 4 plus learner 4 itself
    assert.equal(earned, 68);
    assert.equal(stored.filter((d) => d.status === 'in-progress').length, 68);
    assert.equal(stored.filter((d) => d.status === 'not-started').length, 67);

    fake.resetStats();
    const again = await runCourseSync(ctx.tool.sync, platformId, COURSE_ID, 'schedule');
    assert.ok(again.started && again.run.status === 'completed');
    assert.equal(again.run.learnersSkipped, 68, 'the learners who earned the badge');
    assert.equal(again.run.learnersChanged, 0);
    assert.equal(fake.log.filter((c) => COMPLETION_FNS.includes(c.wsfunction)).length, learners - 68);
    assert.equal(await ctx.tool.db.connection.collection('decisions').countDocuments(), learners);
  });
});

describe('sync: a course bigger than one batch reads the course once and each learner once', () => {
  const clock = new TestClock();
  const ctx = useRegisteredTool({ now: clock.now });
  const ROSTER_PAGE = 50;
  let fake: FakeMoodleWs;
  let platformId: string;
  let badge: Badge;
  let learnerIds: string[];
  /** Each learner read alone (per-user grade report, completion) and decided: what every sync must store. */
  let expected: Map<string, Pick<StoredDecision, 'earned' | 'status' | 'progress' | 'earnedAt' | 'decision'>>;

  const col = (name: string) => ctx.tool.db.connection.collection(name);
  /** Like the app's source, with roster pages of 50 so the roster takes several pages. */
  const pagedSource = (timeoutMs?: number) =>
    createMoodleDataSource({ platformId, siteUrl: fake.siteUrl, token: fake.token, pageSize: ROSTER_PAGE, timeoutMs, now: () => new Date(clock.now()) });
  const depsWith = (source: CourseDataSource, more: Partial<CourseSyncDeps> = {}): CourseSyncDeps => ({
    ...ctx.tool.sync,
    dataSourceFor: async () => source,
    ...more,
  });
  const sync = (deps: CourseSyncDeps) => runCourseSync(deps, platformId, COURSE_ID, 'schedule');
  const runOf = async (deps: CourseSyncDeps): Promise<SyncRun> => {
    const outcome = await sync(deps);
    if (!outcome.started) throw new Error('not started');
    return outcome.run;
  };
  const bulkGradeReads = () => fake.log.filter((c) => c.wsfunction === GRADES_FN && c.params['userid'] === '0').length;
  /** limitfrom of each roster page read since resetStats(), in order. */
  const rosterPages = () =>
    fake.log
      .filter((c) => c.wsfunction === 'core_enrol_get_enrolled_users')
      .map((c) => {
        const i = Object.keys(c.params)
          .find((k) => c.params[k] === 'limitfrom')!
          .match(/^options\[(\d+)\]/)![1];
        return Number(c.params[`options[${i}][value]`]);
      });
  const assertOneReadOfEach = (label: string) => {
    assert.equal(bulkGradeReads(), 0, `${label}: never the course-wide grade report`);
    const perUser = fake.log
      .filter((c) => c.wsfunction !== 'core_enrol_get_enrolled_users' && c.params['userid'])
      .map((c) => `${c.wsfunction}:${c.params['userid']}`);
    assert.equal(new Set(perUser).size, perUser.length, `${label}: no learner asked twice by one function`);
    assert.deepEqual(rosterPages(), [0, 50, 100], `${label}: each roster page once`);
    assert.equal(fake.count('core_course_get_contents'), 1, `${label}: the course contents once`);
  };
  /** Every learner's stored decision equals the one decided from reading them alone. */
  const assertDecisionsAsExpected = async () => {
    const stored = await ctx.tool.sync.decisions.listForCourse(platformId, COURSE_ID, { badgeId: badge.id });
    assert.deepEqual(stored.map((d) => d.userId).sort(), [...learnerIds].sort());
    for (const d of stored) {
      // the assessment lists the grades read: the lone read takes every learner's grades, the sync only what its rules need
      const {
        earned,
        status,
        progress,
        earnedAt,
        decision: { assessment: _a, ...decision },
      } = d;
      const {
        decision: { assessment: _b, ...want },
        ...rest
      } = expected.get(d.userId) as StoredDecision;
      assert.deepEqual({ earned, status, progress, earnedAt, decision }, { ...rest, decision: want }, `learner ${d.userId}`);
    }
  };

  before(async function () {
    this.timeout(120_000);
    ctx.sim.now = clock.now;
    fake = await startFakeMoodleWs();
    fake.addLearners(120);
    platformId = await connectFakeMoodle(ctx.tool, fake);
    badge = await createBadge(ctx.tool, platformId, ESSAY_PASSED_AND_FINAL_PROJECT, 'Essay passed and Final Project completed');
    const source = pagedSource();
    learnerIds = (await source.listLearners(COURSE_ID)).map((l) => l.userId);
    assert.equal(learnerIds.length, 123, '3 captured students and 120 clones');
    // decided one learner at a time from per-learner reads; through BSON as stored decisions are, so both compare alike
    const badges = await badgesToEvaluate(ctx.tool.sync.badges, platformId, COURSE_ID);
    const now = new Date(clock.now());
    expected = new Map();
    for (const userId of learnerIds) {
      const snapshot = await source.getLearnerSnapshot(COURSE_ID, userId, { earnedBadgeIds: [] });
      const [d] = evaluateLearner(badges, snapshot, now).map((one) => storedRuleDecision({ platformId, courseId: COURSE_ID, userId }, one, now));
      const { earned, status, progress, earnedAt, decision } = BSON.deserialize(BSON.serialize(d!)) as StoredDecision;
      expected.set(userId, { earned, status, progress, earnedAt, decision });
    }
    assert.equal([...expected.values()].filter((d) => d.earned).length, 41, 'learner 4 and its 40 clones earn the badge');
  });
  after(async () => {
    await fake?.close();
  });
  beforeEach(async () => {
    clock.reset();
    fake.up();
    for (const name of ['decisions', 'learner_states', 'sync_runs', 'leases']) await col(name).deleteMany({});
    fake.resetStats();
  });

  it('123 learners in 3 batches: each roster page once, each learner once, the same decisions as reading each learner alone', async function () {
    this.timeout(120_000);
    const run = await runOf(depsWith(pagedSource()));
    assert.equal(run.status, 'completed', JSON.stringify(run.error));
    assert.equal(run.learnersTotal, 123);
    assert.equal(run.learnersDone, 123);
    assert.deepEqual(run.learnersFailed, []);
    assertOneReadOfEach('sync');
    assert.equal(fake.count('core_completion_get_activities_completion_status'), 123, 'activity completion once per learner');
    // course info, 3 roster pages, contents, 123 activity completions, the grades of the 41 learners who failed Essay 1
    // (to explain it) and of the 41 who earn the badge (for the credential's assessment)
    assert.equal(fake.count(), 1 + 3 + 1 + 123 + 41 + 41, JSON.stringify(fake.countsByFunction()));
    await assertDecisionsAsExpected();
    assert.equal(await col('learner_states').countDocuments({ courseId: COURSE_ID }), 123, 'every learner read is remembered');

    // nothing changed: the learners who earned the badge are not read, the others are and nothing changes
    clock.advance(15 * 60_000);
    fake.resetStats();
    const again = await runOf(depsWith(pagedSource()));
    assert.equal(again.status, 'completed', JSON.stringify(again.error));
    assert.equal(again.learnersSkipped, 41);
    assert.equal(again.learnersChanged, 0);
    assertOneReadOfEach('re-sync');
    assert.equal(Object.keys(completionCallsByUser(fake)).length, 82);
    await assertDecisionsAsExpected();
  });

  it('Moodle going down after the first batch → failed with MOODLE_UNREACHABLE; the batch read is kept and the next run reads only the rest', async function () {
    this.timeout(120_000);
    // the first batch is two reads: its learners, then the grades of those who earn the badge
    const crashing = hooked(pagedSource(), { after: (n) => n === 2 && fake.down() });
    const run = await runOf(depsWith(crashing));
    assert.equal(run.status, 'failed');
    assert.equal(run.error?.code, 'MOODLE_UNREACHABLE');
    const stored = await ctx.tool.sync.runs.latest(platformId, COURSE_ID);
    assert.equal(stored?.status, 'failed');
    assert.equal(stored?.learnersDone, 50, 'the first batch is reported done');
    assert.equal(await col('decisions').countDocuments({ courseId: COURSE_ID }), 50);
    assert.equal(await col('learner_states').countDocuments({ courseId: COURSE_ID }), 50, 'only the decided learners are remembered');

    fake.up();
    fake.resetStats();
    const next = await runOf(depsWith(pagedSource()));
    assert.equal(next.status, 'completed', JSON.stringify(next.error));
    assert.equal(next.learnersSkipped, 50);
    assert.equal(next.resumedFrom, run.runId);
    assertOneReadOfEach('next run');
    assert.equal(Object.keys(completionCallsByUser(fake)).length, 73, 'only the learners not decided before are read');
    await assertDecisionsAsExpected();
  });

  it('a learner read timing out (after its retries) → failed with MOODLE_TIMEOUT naming the function; nothing written, the next run completes', async function () {
    this.timeout(120_000);
    const ACTIVITIES = 'core_completion_get_activities_completion_status';
    fake.slow(1_000, ACTIVITIES);
    try {
      const run = await runOf(depsWith(pagedSource(300)));
      assert.equal(run.status, 'failed');
      assert.equal(run.error?.code, 'MOODLE_TIMEOUT');
      assert.match(run.error?.message ?? '', new RegExp(ACTIVITIES));
      assert.equal((await ctx.tool.sync.runs.latest(platformId, COURSE_ID))?.error?.code, 'MOODLE_TIMEOUT', 'the stored run says why');
      assert.equal(await col('decisions').countDocuments(), 0, 'nothing decided');
      assert.equal(await col('learner_states').countDocuments(), 0, 'no learner marked as read');
      assert.equal(await col('leases').countDocuments(), 0, 'the lease is released');
    } finally {
      fake.slow(0, ACTIVITIES);
    }
    fake.resetStats();
    const next = await runOf(depsWith(pagedSource()));
    assert.equal(next.status, 'completed', JSON.stringify(next.error));
    assertOneReadOfEach('next run');
    await assertDecisionsAsExpected();
  });
});

describe('sync: a learner who earns a course-completion badge has their grades stated for the credential', () => {
  const ctx = useRegisteredTool();
  const moodle = useFakeMoodle();

  it('one grade report more, only for the learner who earns, and the decision carries each item with its grade', async () => {
    const platformId = await connectFakeMoodle(ctx.tool, moodle.fake);
    const badge = await createBadge(ctx.tool, platformId, { type: 'courseCompleted' }, 'Course completed');
    moodle.fake.resetStats();
    const outcome = await runCourseSync(ctx.tool.sync, platformId, COURSE_ID, 'teacher');
    assert.ok(outcome.started && outcome.run.status === 'completed', JSON.stringify(outcome.started && outcome.run.error));
    const stored = await ctx.tool.sync.decisions.listForCourse(platformId, COURSE_ID, { badgeId: badge.id });
    const earner = stored.find((d) => d.userId === '4')!;
    assert.equal(earner.earned, true);
    const grades = Object.fromEntries((earner.decision.assessment ?? []).map((a) => [a.name, a.grade]));
    assert.equal(grades['Essay 1'], 85);
    assert.equal(grades['Final Project'], 18);
    assert.ok(
      (earner.decision.assessment ?? []).some((a) => a.isCourseTotal),
      'the course total too',
    );
    // learner 4 (completed) is asked for grades for the assessment; 5 (not completed) to explain what is missing
    assert.ok(moodle.fake.log.some((c) => c.wsfunction === GRADES_FN && c.params['userid'] === '4'));
    assert.equal(moodle.fake.log.filter((c) => c.wsfunction === GRADES_FN && c.params['userid'] === '0').length, 0, 'never the course-wide report');
  });
});

describe('sync: a course-completion badge and a grade badge in one course', () => {
  const ctx = useRegisteredTool();
  const moodle = useFakeMoodle();

  it('a learner who completed the course is still read for grades: learner 4 earns both badges', async () => {
    const platformId = await connectFakeMoodle(ctx.tool, moodle.fake);
    const completion = await createBadge(ctx.tool, platformId, { type: 'courseCompleted' }, 'Course completed');
    const project = await createBadge(ctx.tool, platformId, { type: 'grade', target: { gradeItemId: '3' }, atLeast: { percent: 60 } }, 'Project grade');
    const outcome = await runCourseSync(ctx.tool.sync, platformId, COURSE_ID, 'schedule');
    assert.ok(outcome.started && outcome.run.status === 'completed', JSON.stringify(outcome.started && outcome.run.error));
    const decisionOf = async (badgeId: string) =>
      (await ctx.tool.sync.decisions.listForCourse(platformId, COURSE_ID, { badgeId })).find((d) => d.userId === '4')!;
    assert.equal((await decisionOf(completion.id)).earned, true, 'course completed');
    const graded = await decisionOf(project.id);
    assert.equal(graded.earned, true, explainDecision(graded.decision, 'en').join('\n'));
  });
});

/** A fake Moodle for one describe block, started before its tests and closed after them. */
function useFakeMoodle(): { fake: FakeMoodleWs } {
  const holder = {} as { fake: FakeMoodleWs };
  before(async () => {
    holder.fake = await startFakeMoodleWs();
  });
  after(async () => {
    await holder.fake?.close();
  });
  return holder;
}
