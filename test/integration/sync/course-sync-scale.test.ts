/**
 * A 1,000-learner course against a fake Moodle that charges what a real one does (test/support/moodle-cost-model.ts,
 * scaled down 200×), synced to the end although the instance running it dies halfway.
 * Decisions and learner states are kept in memory (test/support/memory-sync-stores.ts: 1,000 upserts on FerretDB's
 * SQLite handler take minutes); leases, runs, badges and the data source are the app's own, on the database.
 */
import assert from 'node:assert/strict';
import type { SyncRun } from '../../../src/store/sync-runs';
import { runCourseSync, type CourseSyncDeps } from '../../../src/sync/course-sync';
import { startFakeMoodleWs, type FakeMoodleWs } from '../../support/fake-moodle-ws';
import { memorySyncStores } from '../../support/memory-sync-stores';
import { useRegisteredTool } from '../../support/registered-tool';
import request from 'supertest';
import { launchAs } from '../../support/launch';
import { connectFakeMoodle, COURSE_ID, createBadge, pageText, TestClock } from '../../support/sync-helpers';

const LEARNERS = 1000;
const CONCURRENCY = 4;

class Killed extends Error {}

/** The same deps, but the instance "dies" once `learnersRead` reaches `after`: every later write throws, nothing is released. */
function dyingAfter(deps: CourseSyncDeps, after: number): CourseSyncDeps {
  let dead = false;
  const check = () => {
    if (dead) throw new Killed('the instance died');
  };
  return {
    ...deps,
    owner: 'instance-that-dies',
    runs: new Proxy(deps.runs, {
      get: (target, prop) =>
        prop === 'update'
          ? async (runId: string, patch: Partial<SyncRun>) => {
              check();
              await target.update(runId, patch);
              if ((patch.learnersRead ?? 0) >= after) dead = true;
            }
          : Reflect.get(target, prop).bind(target),
    }),
    leases: new Proxy(deps.leases, {
      get: (target, prop) => (prop === 'release' ? async () => undefined : (...args: unknown[]) => (check(), Reflect.get(target, prop).apply(target, args))),
    }),
    decisions: new Proxy(deps.decisions, {
      get:
        (target, prop) =>
        (...args: unknown[]) => (check(), Reflect.get(target, prop).apply(target, args)),
    }),
  };
}

describe("sync: a 1,000-learner course at Moodle's real costs, interrupted once and resumed", () => {
  const clock = new TestClock();
  const ctx = useRegisteredTool({ now: clock.now, env: { MOODLE_WS_CONCURRENCY: String(CONCURRENCY) } });
  let fake: FakeMoodleWs;

  before(async () => {
    ctx.sim.now = clock.now;
    // 200× faster than the measured site: a learner's ≈ 0.43 Moodle-seconds take ≈ 2 ms here
    fake = await startFakeMoodleWs({ cost: { scale: 0.005, workers: 5, cores: 2 } });
    fake.addLearners(LEARNERS - 3);
  });
  after(async () => {
    await fake?.close();
  });

  it('finishes: every learner decided once, the second run continues where the dead one stopped', async function () {
    this.timeout(180_000);
    const platformId = await connectFakeMoodle(ctx.tool, fake);
    const badge = await createBadge(ctx.tool, platformId, { type: 'courseCompleted' }, 'Course completed');
    const memory = memorySyncStores();
    const deps: CourseSyncDeps = { ...ctx.tool.sync, decisions: memory.decisions, learnerStates: memory.learnerStates };

    // the first instance dies after reading 400 learners: its run stays "running", its lease stays taken
    await assert.rejects(runCourseSync(dyingAfter(deps, 400), platformId, COURSE_ID, 'schedule'), Killed);
    const dead = await ctx.tool.sync.runs.latest(platformId, COURSE_ID);
    assert.equal(dead?.status, 'running');
    assert.equal(dead?.learnersTotal, LEARNERS);
    assert.equal(dead?.learnersRead, 400);
    assert.ok((dead?.ratePerMinute ?? 0) > 0, 'the page can show a rate');
    assert.ok(dead?.expectedEndAt instanceof Date && dead.expectedEndAt.getTime() > dead.startedAt.getTime(), 'and an expected end');
    assert.deepEqual(dead?.reads, { grades: false, activities: true, courseCompletion: true }, 'grades only to explain a missing completion');
    const decidedBefore = memory.counts().states;
    assert.equal(decidedBefore, 400);
    // the teacher sees how far it got, the rate and the expected end
    const teacher = (await launchAs(ctx.tool, ctx.sim, 'teacher')).token;
    const home = pageText((await request(ctx.tool.url).get('/app/teacher').query({ s: teacher })).text);
    assert.match(
      home,
      /Read 400 of 1,000 learners from Moodle \(0 need no reading\)\. [\d.,]+ learners? a minute, expected to end at [A-Z][a-z]{2} \d{1,2}, \d{4}, \d\d:\d\d \(UTC\)\./,
    );

    // a run on another instance waits for the lease, then continues
    assert.equal((await runCourseSync(deps, platformId, COURSE_ID, 'schedule')).started, false);
    clock.advance(121_000);
    // the dead instance's last read (the batch after its last write) still reaches Moodle in this process, where a
    // killed one would stop: let it end first (half a second with nothing in flight and no new request; on a loaded
    // machine the gap between two of its requests can pass 100 ms)
    for (let quiet = 0, seen = fake.log.length; quiet < 10; await new Promise((r) => setTimeout(r, 50))) {
      quiet = fake.inFlight === 0 && fake.log.length === seen ? quiet + 1 : 0;
      seen = fake.log.length;
    }
    fake.resetStats();
    const outcome = await runCourseSync(deps, platformId, COURSE_ID, 'schedule');
    assert.ok(outcome.started);
    const run = outcome.run;
    assert.equal(run.status, 'completed', JSON.stringify(run.error));
    assert.equal(run.resumedFrom, dead!.runId);
    assert.equal(run.learnersTotal, LEARNERS);
    assert.equal(run.learnersDone, LEARNERS);
    // the dead run's 400: those who earned the badge, and the others it read
    assert.equal(run.learnersSkipped, 400, 'the learners the dead run decided are not read again');
    assert.equal(run.skippedBecause!.allEarned + run.skippedBecause!.readBeforeInterruption, 400);
    assert.ok(run.skippedBecause!.readBeforeInterruption > 200);
    assert.equal(run.learnersRead, LEARNERS - 400);
    assert.deepEqual(run.learnersFailed, []);
    assert.equal((await ctx.tool.sync.runs.latest(platformId, COURSE_ID))?.status, 'completed');
    assert.equal((await ctx.tool.db.connection.collection('sync_runs').findOne({ runId: dead!.runId }))?.status, 'interrupted');
    const after = pageText((await request(ctx.tool.url).get('/app/teacher').query({ s: teacher })).text);
    assert.match(after, /Not read: \d+ who already earned every badge, \d+ read by the interrupted check\. Read: 600, of whom 600 changed in Moodle\./);

    // Moodle's side: never the course-wide report, each remaining learner asked once, never beyond the bound
    const calls = fake.log.filter((c) => c.params['userid']);
    assert.equal(calls.filter((c) => c.params['userid'] === '0').length, 0);
    const asked = calls.map((c) => `${c.wsfunction}:${c.params['userid']}`);
    assert.equal(new Set(asked).size, asked.length, 'no learner asked twice by one function');
    assert.equal(fake.count('core_completion_get_course_completion_status'), LEARNERS - 400);
    assert.ok(fake.maxInFlight <= CONCURRENCY, `at most ${CONCURRENCY} requests in flight, saw ${fake.maxInFlight}`);
    assert.equal(fake.moodle?.maxQueued, 0, 'never more requests than PHP-FPM workers');
    // completed learners cost one call; the others three (grades and activities explain what is missing)
    const completedLearners =
      calls.filter((c) => c.wsfunction === 'core_completion_get_course_completion_status').length -
      fake.count('core_completion_get_activities_completion_status');
    assert.ok(completedLearners > 150, `${completedLearners} learners completed, read with one call`);

    const counts = memory.counts();
    assert.equal(counts.states, LEARNERS);
    assert.equal(counts.decisions, LEARNERS, `one decision per learner for badge ${badge.id}`);
    assert.equal(counts.earned, 334, 'learner 4 and its 333 clones completed the course');
  });
});
