/**
 * Sync group: one course sync of 2,000 learners against the fake Moodle web service, then the same sync again
 * with nothing changed in Moodle; and a small course synced with every store on the database.
 *
 * - Set-up (not timed): the real app (startTool, with a clock the bench can move) and a registered simulated
 *   Moodle; the fake Moodle WS (test/support/fake-moodle-ws.ts) with its 3 captured students plus clones
 *   (addLearners); the platform's web-service connection saved as the registrar page saves it; one badge of course 2
 *   with the rule "Essay 1 passed and Final Project completed" (test/support/sync-helpers.ts).
 * - Sync: runCourseSync with the app's own sync deps (`tool.sync`), every learner new. Re-sync: the clock moved on
 *   15 minutes (and at least 11 minutes past the latest activity in the capture), so canSkipLearner's 10-minute
 *   settle margin has passed; Moodle unchanged.
 * - The 2,000-learner course keeps its decisions and learner states in memory (test/support/memory-sync-stores.ts);
 *   everything else (data source, WS client, rules, badges, runs, leases) is the app's. FerretDB's SQLite handler
 *   scans a collection for every upsert, so on it the 2,000 decision upserts alone take 20-40 minutes (measured:
 *   200 learners 37 s, 400 learners 121 s, of which the decision upserts 31 s and 102 s). BENCH_SYNC_STORE=db
 *   puts them on the database too (for MONGODB_URI = a real MongoDB). The small course (BENCH_SYNC_DB_LEARNERS,
 *   100) runs with every store on the database, to show what the writes cost there and that the WS calls per
 *   learner do not depend on the store.
 * - Calls are counted by the fake (every request it answered, per wsfunction). The fake runs in this process, so
 *   the time includes the fake building its answers (the bulk grade report of all learners is the large one).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import fixture from '../test/fixtures/moodle-ws/webservice-rest-completion-grades.json';
import { runCourseSync, type CourseSyncDeps } from '../src/sync/course-sync';
import type { SyncRun } from '../src/store/sync-runs';
import { startFakeMoodleWs, type FakeCall, type FakeMoodleWs } from '../test/support/fake-moodle-ws';
import { PlatformSimulator } from '../test/support/platform-simulator';
import { COURSE_ID, definitionWith, ESSAY_PASSED_AND_FINAL_PROJECT, TestClock } from '../test/support/sync-helpers';
import { startTool, type RunningTool } from '../test/support/tool';
import { memorySyncStores } from '../test/support/memory-sync-stores';
import { cpuWatch, note, num, round1, round2, type Figure, type GroupContext } from './common';

const LEARNERS = num('BENCH_SYNC_LEARNERS', 2000);
/** Learners of the second, small course synced with every store on the database; 0 skips it. */
const DB_LEARNERS = process.env.BENCH_SYNC_DB_LEARNERS === '0' ? 0 : num('BENCH_SYNC_DB_LEARNERS', 100);
/** Where the big course's decisions and learner states go: 'memory' (default) or 'db'. */
const BIG_STORE = process.env.BENCH_SYNC_STORE === 'db' ? 'db' : 'memory';
/** The capture has three students (4, 5, 6); the rest are clones. */
const CAPTURED_LEARNERS = 3;

/** The latest activity time (s) anywhere in the capture: course access, grading or submission. */
function latestCapturedActivity(): number {
  let latest = 0;
  const text = JSON.stringify(fixture);
  for (const m of text.matchAll(/"(?:lastcourseaccess|gradedategraded|gradedatesubmitted|timecompleted)":(\d+)/g)) latest = Math.max(latest, Number(m[1]));
  return latest;
}

interface RunFigures {
  seconds: number;
  run: SyncRun;
  calls: number;
  byFunction: Record<string, number>;
  log: FakeCall[];
  changed: number;
  cpuMs: number;
  dbMs: number | null;
}

/** Calls that name one learner (userid other than 0), per function and learner. */
function perLearnerCalls(log: readonly FakeCall[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const c of log) {
    const user = c.params['userid'];
    if (user === undefined || user === '0') continue;
    const m = out.get(c.wsfunction) ?? new Map<string, number>();
    m.set(user, (m.get(user) ?? 0) + 1);
    out.set(c.wsfunction, m);
  }
  return out;
}

async function syncOnce(ctx: GroupContext, deps: CourseSyncDeps, fake: FakeMoodleWs, platformId: string): Promise<RunFigures> {
  fake.resetStats();
  const watch = cpuWatch(ctx.mongo);
  const t0 = performance.now();
  const outcome = await runCourseSync(deps, platformId, COURSE_ID, 'teacher');
  const seconds = (performance.now() - t0) / 1000;
  const used = watch();
  if (!outcome.started) throw new Error(`bench: the sync did not start (${outcome.reason})`);
  if (outcome.run.status !== 'completed') throw new Error(`bench: the sync ${outcome.run.status}: ${JSON.stringify(outcome.run.error)}`);
  const run = outcome.run;
  return {
    seconds,
    run,
    calls: fake.count(),
    byFunction: fake.countsByFunction(),
    log: [...fake.log],
    changed: (run.learnersTotal ?? 0) - (run.learnersSkipped ?? 0),
    cpuMs: used.ownMs,
    dbMs: used.dbMs,
  };
}

interface Measured {
  first: RunFigures;
  rerun: RunFigures;
  decisions: number;
  earned: number;
  problems: string[];
  bulkReports: [number, number];
  bulkBytes: number;
  rosterPages: [number, number];
}

/**
 * One course of `learners` learners: a fresh app and fake Moodle, the sync, then the sync again after the settle
 * margin. `store: 'memory'` keeps decisions and learner states in memory (test/support/memory-sync-stores.ts).
 */
async function measureSync(ctx: GroupContext, learners: number, store: 'memory' | 'db'): Promise<Measured> {
  const clock = new TestClock();
  const sim = await PlatformSimulator.start();
  let tool: RunningTool | null = null;
  let fake: FakeMoodleWs | null = null;
  try {
    tool = await startTool({ now: clock.now });
    sim.toolUrl = tool.url;
    sim.now = clock.now;
    await tool.registry.register(sim.platformRegistration());
    const [platform] = await tool.registry.list();
    const platformId = platform!.id;
    fake = await startFakeMoodleWs();
    fake.addLearners(learners - CAPTURED_LEARNERS);
    await tool.wsConnections.save({ platformId, siteUrl: fake.siteUrl, token: fake.token, siteName: 'Fake Moodle', checkedAt: new Date() });
    const badge = await tool.sync.badges.create({ platformId, courseId: COURSE_ID, name: 'Essay passed and Final Project completed', createdBy: '3' });
    await tool.sync.badges.saveVersion(badge, definitionWith(ESSAY_PASSED_AND_FINAL_PROJECT, 'Essay passed and Final Project completed'), '3');
    const memory = store === 'memory' ? memorySyncStores() : null;
    const deps: CourseSyncDeps = memory ? { ...tool.sync, decisions: memory.decisions, learnerStates: memory.learnerStates } : tool.sync;

    const profiler = ctx.cpuProfDir && store === 'memory' ? new Session() : null;
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    const first = await syncOnce(ctx, deps, fake, platformId);
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      const file = path.join(ctx.cpuProfDir!, `sync-${learners}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      note(`CPU profile of the sync of ${learners} (this process: tool and fake Moodle): ${file}`);
      profiler.disconnect();
    }
    if (first.run.learnersTotal !== learners || first.run.learnersDone !== learners || first.run.learnersFailed?.length)
      throw new Error(`bench: first sync covered ${first.run.learnersDone}/${first.run.learnersTotal} learners, failed ${JSON.stringify(first.run.learnersFailed)}`);
    const stored = memory
      ? memory.counts()
      : {
          decisions: await tool.db.connection.collection('decisions').countDocuments({ platformId }),
          earned: await tool.db.connection.collection('decisions').countDocuments({ platformId, earned: true }),
        };

    // past the settle margin for every learner, whatever the machine's clock says about the capture
    const settleAt = (latestCapturedActivity() + 11 * 60) * 1000;
    clock.advance(Math.max(15 * 60_000, settleAt - clock.now()));
    const rerun = await syncOnce(ctx, deps, fake, platformId);

    // the size of the course-wide grade report, asked once more after the measured syncs
    const body = new URLSearchParams({ wstoken: fake.token, wsfunction: 'gradereport_user_get_grade_items', moodlewsrestformat: 'json', courseid: COURSE_ID, userid: '0' });
    const bulkBytes = (await (await fetch(fake.endpoint, { method: 'POST', body })).arrayBuffer()).byteLength;

    // "at most one call per function per changed learner per sync": no learner is asked about twice by one
    // function, no function is called more often than there are changed learners, and a sync in which nothing
    // changed asks about no learner at all
    const problems: string[] = [];
    for (const [label, r] of [
      [`sync of ${learners}`, first],
      [`re-sync of ${learners}`, rerun],
    ] as const) {
      for (const [fn, users] of perLearnerCalls(r.log)) {
        const twice = [...users].filter(([, n]) => n > 1);
        if (twice.length) problems.push(`${label}: ${fn} asked about ${twice.length} learner(s) more than once (e.g. user ${twice[0]![0]} ${twice[0]![1]}×)`);
        if (r.changed === 0) problems.push(`${label}: ${fn} asked about ${users.size} learner(s) though none changed`);
      }
      if (r.changed > 0)
        for (const [fn, n] of Object.entries(r.byFunction)) if (n > r.changed) problems.push(`${label}: ${fn} called ${n} times for ${r.changed} changed learners`);
    }
    const bulk = (r: RunFigures) => r.log.filter((c) => c.wsfunction === 'gradereport_user_get_grade_items' && (c.params['userid'] ?? '0') === '0').length;
    const roster = (r: RunFigures) => r.byFunction['core_enrol_get_enrolled_users'] ?? 0;
    return {
      first,
      rerun,
      decisions: stored.decisions,
      earned: stored.earned,
      problems,
      bulkReports: [bulk(first), bulk(rerun)],
      bulkBytes,
      rosterPages: [roster(first), roster(rerun)],
    };
  } finally {
    await fake?.close().catch(() => undefined);
    await tool?.stop().catch(() => undefined);
    await sim.stop().catch(() => undefined);
  }
}

function show(name: string, r: RunFigures) {
  note(
    `${name}: ${r.run.learnersTotal} learners (${r.run.learnersSkipped} skipped as unchanged, ${r.changed} read), ${r.run.decisionsWritten} decisions written, ` +
      `${round1(r.seconds)} s; ${r.calls} WS calls: ${Object.entries(r.byFunction)
        .sort((a, b) => b[1] - a[1])
        .map(([f, n]) => `${f} ${n}`)
        .join(', ')}; ` +
      `bench process (tool + fake Moodle) ${round1(r.cpuMs / 1000)} s CPU${r.dbMs !== null ? `, FerretDB ${round1(r.dbMs / 1000)} s CPU` : ''}`,
  );
}

export async function runSyncGroup(ctx: GroupContext): Promise<Figure[]> {
  const started = Date.now();
  const figures: Figure[] = [];
  const problems: string[] = [];

  // the big course: every figure of the issue, with decisions and learner states in memory unless asked otherwise
  const big = await measureSync(ctx, LEARNERS, BIG_STORE);
  const where = BIG_STORE === 'memory' ? 'decisions and learner states in memory' : 'every store on the database';
  show(`sync of ${LEARNERS} (${where})`, big.first);
  show(`re-sync of ${LEARNERS}, nothing changed (${where})`, big.rerun);
  note(
    `after the first sync: ${big.decisions} decisions, ${big.earned} earned; course-wide reads: the bulk grade report of all learners ` +
      `(gradereport_user_get_grade_items userid=0, ${round1(big.bulkBytes / 1e6)} MB) ${big.bulkReports[0]}× in the sync ` +
      `(${round1((big.bulkReports[0] * big.bulkBytes) / 1e6)} MB) and ${big.bulkReports[1]}× in the re-sync, ` +
      `roster pages (core_enrol_get_enrolled_users) ${big.rosterPages[0]} and ${big.rosterPages[1]}`,
  );
  problems.push(...big.problems);
  const label = `sync_${LEARNERS}`;
  figures.push(
    { name: `${label}_time`, value: round1(big.first.seconds), unit: 's' },
    { name: `${label}_ws_calls`, value: big.first.calls, unit: 'calls' },
    ...Object.entries(big.first.byFunction)
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([fn, n]) => ({ name: `${label}_calls_${fn}`, value: n, unit: 'calls' })),
    { name: `${label}_calls_per_learner`, value: round2(big.first.calls / LEARNERS), unit: 'calls' },
    { name: `${label}_rerun_time`, value: round1(big.rerun.seconds), unit: 's' },
    { name: `${label}_rerun_ws_calls`, value: big.rerun.calls, unit: 'calls' },
    { name: `${label}_rerun_learners_read`, value: big.rerun.changed, unit: 'learners' },
  );

  // a small course with every store on the database: what the writes cost there
  if (DB_LEARNERS > 0) {
    const small = await measureSync(ctx, DB_LEARNERS, 'db');
    show(`sync of ${DB_LEARNERS} (every store on the database)`, small.first);
    show(`re-sync of ${DB_LEARNERS}, nothing changed (every store on the database)`, small.rerun);
    problems.push(...small.problems);
    const perLearner = (r: RunFigures) => r.calls / DB_LEARNERS;
    note(
      `WS calls per learner: ${round2(perLearner(small.first))} with ${DB_LEARNERS} learners on the database, ` +
        `${round2(big.first.calls / LEARNERS)} with ${LEARNERS} (${BIG_STORE === 'memory' ? 'memory stores' : 'database'}): the store does not change what is asked of Moodle`,
    );
    const db = `sync_db_${DB_LEARNERS}`;
    figures.push(
      { name: `${db}_time`, value: round1(small.first.seconds), unit: 's' },
      { name: `${db}_rerun_time`, value: round1(small.rerun.seconds), unit: 's' },
      ...(small.first.dbMs !== null ? [{ name: `${db}_db_cpu_per_learner`, value: round1(small.first.dbMs / DB_LEARNERS), unit: 'ms' }] : []),
      { name: `${db}_ws_calls`, value: small.first.calls, unit: 'calls' },
    );
  }
  for (const p of problems) note(`target: ${p}`);
  figures.push({ name: 'sync_calls_target_met', value: problems.length === 0 ? 1 : 0, unit: 'bool' });
  note(`sync group took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return figures;
}
