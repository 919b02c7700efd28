/**
 * Sync group: a 1,000-learner course synced against a fake Moodle that charges what a real one does
 * (test/support/moodle-cost-model.ts: Moodle-seconds per call measured on Moodle 4.5.6, PHP-FPM pool of 5 workers
 * on 2 cores, scaled down by BENCH_SYNC_COST_SCALE), at MOODLE_WS_CONCURRENCY 1, 2 and 4; then, at 4, the same
 * sync again with nothing changed in Moodle.
 *
 * - Set-up (not timed): the real app (startTool) with the concurrency in its config, a registered simulated Moodle,
 *   the fake Moodle WS with its 3 captured students plus clones (addLearners), the web-service connection saved as
 *   the registrar page saves it, and one badge with the rule of the measured course: course completed.
 * - Figures are in real-site seconds (wall time ÷ scale). The floor is what the simulated site cannot go below at
 *   that concurrency: the Moodle-seconds charged ÷ min(concurrency, cores); the target is a sync within 1.2× it.
 * - Decisions and learner states are kept in memory (test/support/memory-sync-stores.ts): FerretDB's SQLite handler
 *   scans a collection for every upsert (minutes for 1,000 learners), which would measure the database, not Moodle.
 *   BENCH_SYNC_STORE=db puts them on the database (for MONGODB_URI = a real MongoDB).
 */
import { runCourseSync, type CourseSyncDeps } from '../src/sync/course-sync';
import type { SyncRun } from '../src/store/sync-runs';
import { startFakeMoodleWs, type FakeMoodleWs } from '../test/support/fake-moodle-ws';
import { memorySyncStores } from '../test/support/memory-sync-stores';
import type { MoodleCostModel } from '../test/support/moodle-cost-model';
import { PlatformSimulator } from '../test/support/platform-simulator';
import { COURSE_ID, definitionWith, TestClock } from '../test/support/sync-helpers';
import { startTool, type RunningTool } from '../test/support/tool';
import { note, num, round1, round2, type Figure, type GroupContext } from './common';

const LEARNERS = num('BENCH_SYNC_LEARNERS', 1000);
const SCALE = num('BENCH_SYNC_COST_SCALE', 0.02);
const CONCURRENCIES = (process.env.BENCH_SYNC_CONCURRENCY ?? '1,2,4')
  .split(',')
  .map(Number)
  .filter((n) => n >= 1);
const STORE = process.env.BENCH_SYNC_STORE === 'db' ? 'db' : 'memory';
const COST: MoodleCostModel = { scale: SCALE, workers: 5, cores: 2, gradeItems: 101 };
/** Measured on the real site: 50 learners' three calls took 14.1 s four at a time. */
const REAL_FLOOR_PER_LEARNER_AT_4 = 0.28;

interface Measured {
  realSeconds: number;
  moodleSeconds: number;
  calls: number;
  byFunction: Record<string, number>;
  run: SyncRun;
  floorSeconds: number;
}

async function syncOnce(deps: CourseSyncDeps, fake: FakeMoodleWs, platformId: string, concurrency: number): Promise<Measured> {
  fake.resetStats();
  fake.costs(COST);
  const t0 = performance.now();
  const outcome = await runCourseSync(deps, platformId, COURSE_ID, 'teacher');
  const wall = (performance.now() - t0) / 1000;
  if (!outcome.started || outcome.run.status !== 'completed') throw new Error(`bench: the sync did not complete: ${JSON.stringify(outcome)}`);
  const moodleSeconds = fake.moodle!.seconds;
  return {
    realSeconds: wall / SCALE,
    moodleSeconds,
    calls: fake.count(),
    byFunction: fake.countsByFunction(),
    run: outcome.run,
    floorSeconds: moodleSeconds / Math.min(concurrency, COST.cores!, COST.workers!),
  };
}

/** A fresh app at this concurrency, a fresh fake Moodle, the sync and (optionally) the re-sync. */
async function measure(concurrency: number, rerun: boolean): Promise<{ first: Measured; again: Measured | null }> {
  const clock = new TestClock();
  const sim = await PlatformSimulator.start();
  let tool: RunningTool | null = null;
  let fake: FakeMoodleWs | null = null;
  try {
    tool = await startTool({ now: clock.now, env: { MOODLE_WS_CONCURRENCY: String(concurrency) } });
    sim.toolUrl = tool.url;
    sim.now = clock.now;
    await tool.registry.register(sim.platformRegistration());
    const platformId = (await tool.registry.list())[0]!.id;
    fake = await startFakeMoodleWs();
    fake.addLearners(LEARNERS - 3);
    await tool.wsConnections.save({ platformId, siteUrl: fake.siteUrl, token: fake.token, siteName: 'Fake Moodle', checkedAt: new Date() });
    const badge = await tool.sync.badges.create({ platformId, courseId: COURSE_ID, name: 'Course completed', createdBy: '3' });
    await tool.sync.badges.saveVersion(badge, definitionWith({ type: 'courseCompleted' }, 'Course completed'), '3');
    const memory = STORE === 'memory' ? memorySyncStores() : null;
    const deps: CourseSyncDeps = memory ? { ...tool.sync, decisions: memory.decisions, learnerStates: memory.learnerStates } : tool.sync;
    const first = await syncOnce(deps, fake, platformId, concurrency);
    clock.advance(15 * 60_000);
    const again = rerun ? await syncOnce(deps, fake, platformId, concurrency) : null;
    return { first, again };
  } finally {
    await fake?.close().catch(() => undefined);
    await tool?.stop().catch(() => undefined);
    await sim.stop().catch(() => undefined);
  }
}

function show(label: string, m: Measured) {
  note(
    `${label}: ${round1(m.realSeconds)} s at the real site's pace (floor ${round1(m.floorSeconds)} s, ${round2(m.realSeconds / m.floorSeconds)}×); ` +
      `${m.run.learnersRead} read, ${m.run.learnersSkipped} skipped (${m.run.skippedBecause?.allEarned} earned every badge), ${m.run.learnersChanged} changed; ` +
      `${m.calls} WS calls (${Object.entries(m.byFunction)
        .sort((a, b) => b[1] - a[1])
        .map(([f, n]) => `${f} ${n}`)
        .join(', ')}), ${round1(m.moodleSeconds)} Moodle-seconds`,
  );
}

export async function runSyncGroup(_ctx: GroupContext): Promise<Figure[]> {
  const started = Date.now();
  note(
    `cost model: Moodle 4.5.6 on 2 cores, PHP-FPM pool of ${COST.workers}; gradereport per user 2.5 ms × ${COST.gradeItems} items, completion calls 0.10 / 0.08 s, ` +
      `roster 3 ms per user; scaled down ${round1(1 / SCALE)}× (BENCH_SYNC_COST_SCALE=${SCALE}); rule: course completed; stores: ${STORE}`,
  );
  const figures: Figure[] = [];
  const label = `sync_${LEARNERS}`;
  let problems = 0;
  for (const c of CONCURRENCIES) {
    const { first, again } = await measure(c, c === Math.max(...CONCURRENCIES));
    show(`sync of ${LEARNERS} at concurrency ${c}`, first);
    figures.push(
      { name: `${label}_c${c}_time`, value: round1(first.realSeconds), unit: 's' },
      { name: `${label}_c${c}_vs_floor`, value: round2(first.realSeconds / first.floorSeconds), unit: 'x' },
    );
    if (first.realSeconds > 1.2 * first.floorSeconds) {
      problems++;
      note(`target: the sync at concurrency ${c} took more than 1.2× its floor`);
    }
    if (c === CONCURRENCIES[0]) {
      figures.push(
        { name: `${label}_ws_calls_per_learner`, value: round2(first.calls / LEARNERS), unit: 'calls' },
        { name: `${label}_moodle_seconds_per_learner`, value: round2(first.moodleSeconds / LEARNERS), unit: 's' },
      );
    }
    if (again) {
      show(`re-sync of ${LEARNERS} at concurrency ${c}, nothing changed`, again);
      figures.push(
        { name: `${label}_rerun_time`, value: round1(again.realSeconds), unit: 's' },
        { name: `${label}_rerun_ws_calls_per_learner`, value: round2(again.calls / LEARNERS), unit: 'calls' },
        { name: `${label}_rerun_learners_read`, value: again.run.learnersRead ?? 0, unit: 'learners' },
      );
      note(
        `the real site's floor at concurrency 4 was ${REAL_FLOOR_PER_LEARNER_AT_4} s per learner (≈ ${Math.round(REAL_FLOOR_PER_LEARNER_AT_4 * LEARNERS)} s for ${LEARNERS} when ` +
          `every learner costs the three calls); here ${round2(first.realSeconds / LEARNERS)} s per learner, since learners who completed the course cost one call`,
      );
    }
  }
  figures.push({ name: 'sync_target_met', value: problems === 0 ? 1 : 0, unit: 'bool' });
  note(`sync group took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return figures;
}
