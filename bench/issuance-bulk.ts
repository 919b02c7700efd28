/**
 * Bulk issuance figures (part of the issuance group), each beside its floor measured in the same run:
 * - Floors: the database's insert rate for credential-sized documents (copies of a real stored credential, into a
 *   collection with the credentials' indexes), one insertOne at a time and insertMany in batches; and
 *   eddsa-rdfc-2022 on as many signing threads as the tool has (the rate bulk issuance can sign at).
 * - Bulk: issueEarnedInCourse over BENCH_BULK_N earned awards (batches of the tool's ISSUANCE_BATCH_SIZE), with
 *   the database operations it makes counted. Target: ≥ 50 % of min(signing-thread rate, bulk-insert floor).
 * - term_end: a course of BENCH_TERM_END_LEARNERS learners who all complete it become earned in one sync (fake
 *   Moodle; its decisions kept in memory and then stored with one insert, as bench/sync.ts does), then the teacher's "Issue all earned" job issues every award while a student keeps launching the
 *   tool; seconds, credentials/s, database operations per credential and the launches' p95 (and p95 before it).
 */
import { randomUUID } from 'node:crypto';
import { euExtensionContextDocuments } from '../src/credentials/eu-extension/context';
import type { IssuerKeys } from '../src/credentials/keys/issuer-keys';
import { DataIntegritySigningPool } from '../src/credentials/proof/signing-pool';
import type { CourseIssuer } from '../src/issuance/bulk/awards';
import { issueEarnedInCourse } from '../src/issuance/bulk/issue-course';
import { IssuedCredentialRepository } from '../src/store/issued-credentials';
import { runCourseSync } from '../src/sync/course-sync';
import { earnedDecisionRecord, INSTITUTION } from '../test/support/award';
import { startFakeMoodleWs, type FakeMoodleWs } from '../test/support/fake-moodle-ws';
import { launchAs } from '../test/support/launch';
import { PlatformSimulator } from '../test/support/platform-simulator';
import { connectFakeMoodle, COURSE_ID, createBadge, ESSAY_PASSED_AND_FINAL_PROJECT } from '../test/support/sync-helpers';
import { startTool, type RunningTool } from '../test/support/tool';
import { memorySyncStores } from '../test/support/memory-sync-stores';
import { closedLoop, cpuWatch, note, num, round1, round2, type Figure, type GroupContext } from './common';

const BULK_N = num('BENCH_BULK_N', 1000);
const FLOOR_SINGLE_N = num('BENCH_FLOOR_SINGLE_N', 300);
const FLOOR_BULK_N = num('BENCH_FLOOR_BULK_N', 1000);
const TERM_END_LEARNERS = num('BENCH_TERM_END_LEARNERS', 2000);
const TARGET_SHARE = 50;

type CountOperations = (onOperation: (op: string) => void) => () => void;

const p95 = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0;
};

/** Inserts per second of copies of `doc` (fresh keys), one at a time and in batches of `batchSize`. */
async function insertFloors(tool: RunningTool, doc: Record<string, unknown>, batchSize: number): Promise<{ single: number; bulk: number }> {
  const col = tool.db.connection.collection('floor_credentials');
  for (const def of IssuedCredentialRepository.indexes()) await col.createIndex(def.key, def.unique ? { unique: true } : {});
  const copy = () => {
    const key = randomUUID();
    return { ...doc, _id: key as never, idempotencyKey: key, id: randomUUID(), userId: key.slice(0, 8) };
  };
  try {
    const single = await closedLoop(FLOOR_SINGLE_N, 1, () => col.insertOne(copy()));
    const batches = Math.ceil(FLOOR_BULK_N / batchSize);
    const bulk = await closedLoop(batches, 1, () => col.insertMany(Array.from({ length: batchSize }, copy), { ordered: false }));
    return { single: single.rate, bulk: (batches * batchSize) / bulk.seconds };
  } finally {
    await col.drop().catch(() => undefined);
  }
}

/** eddsa-rdfc-2022 on `threads` signing threads (the tool's own count), closed loop. */
async function signingThreadRate(publicUrl: string, threads: number, unsigned: object, issuerKeys: IssuerKeys): Promise<number> {
  const pool = new DataIntegritySigningPool({ threads, documents: euExtensionContextDocuments(publicUrl) });
  try {
    // a fresh thread is slow for its first few dozen credentials (compiling, context sharing switched on after the first)
    await closedLoop(threads * 60, threads * 4, () => pool.sign(unsigned, { issuerKeys, now: new Date() }));
    return (await closedLoop(threads * 300, threads * 8, () => pool.sign(unsigned, { issuerKeys, now: new Date() }))).rate;
  } finally {
    await pool.close();
  }
}

/** What issuance reads and writes (launches and sessions use other collections). */
const ISSUANCE_COLLECTIONS = new Set([
  'credentials',
  'status_list_slots',
  'status_lists',
  'decisions',
  'issuance_jobs',
  'badges',
  'badge_versions',
  'institution_profiles',
  'issuer_keys',
  'audit_log',
]);

/** Runs `fn` with every database operation on the issuance collections counted. */
async function counted<T>(countOperations: CountOperations, fn: () => Promise<T>): Promise<{ value: T; operations: number }> {
  let operations = 0;
  const restore = countOperations((op) => {
    if (ISSUANCE_COLLECTIONS.has(op.slice(0, op.indexOf('.')))) operations++;
  });
  try {
    return { value: await fn(), operations };
  } finally {
    restore();
  }
}

export async function bulkIssuanceFigures(
  ctx: GroupContext,
  o: {
    tool: RunningTool;
    course: CourseIssuer;
    badge: { badgeId: string; badgeVersion: number };
    first: Record<string, unknown>;
    unsigned: object;
    issuerKeys: IssuerKeys;
    countOperations: CountOperations;
  },
): Promise<Figure[]> {
  const deps = o.tool.issuance.deps;
  const batchSize = o.tool.config.issuance.batchSize;
  const threads = deps.signingPool?.threads ?? 0;
  const floors = await insertFloors(o.tool, o.first, batchSize);
  note(
    `insert floor (credential-sized documents, ${JSON.stringify(o.first).length} bytes): ${round1(floors.single)}/s one at a time, ${round1(floors.bulk)}/s in batches of ${batchSize}`,
  );
  const signRate = threads ? await signingThreadRate(deps.publicUrl, threads, o.unsigned, o.issuerKeys) : 0;
  note(`eddsa-rdfc-2022 on the tool's ${threads} signing thread(s): ${round1(signRate)}/s`);

  // one insert, not upserts: FerretDB/SQLite scans the collection for each upsert (README)
  await o.tool.db.connection.collection('decisions').insertMany(
    Array.from({ length: BULK_N }, (_, i) => {
      const userId = String(500_000 + i);
      return earnedDecisionRecord({
        platformId: o.course.platformId,
        courseId: o.course.courseId,
        ...o.badge,
        userId,
        learner: { name: `Learner ${userId}`, email: `learner${userId}@example.com` },
      });
    }),
  );
  const watch = cpuWatch(ctx.mongo);
  const t0 = performance.now();
  const { value: result, operations } = await counted(o.countOperations, () => issueEarnedInCourse(deps, o.course, { batchSize }));
  const seconds = (performance.now() - t0) / 1000;
  const used = watch();
  if (result.issued < BULK_N || result.failed.length)
    throw new Error(`bench: bulk issuance stored ${result.issued} of ${BULK_N}, failed ${JSON.stringify(result.failed.slice(0, 3))}`);
  const rate = result.issued / seconds;
  const floor = Math.min(signRate || Infinity, floors.bulk);
  const share = (rate / floor) * 100;
  note(
    `bulk issuance: ${result.issued} credentials in ${seconds.toFixed(2)} s = ${round1(rate)}/s, ${round2(operations / result.issued)} database operations each ` +
      `(bench process ${round1(used.ownMs / result.issued)} ms CPU each${used.dbMs !== null ? `, FerretDB ${round1(used.dbMs / result.issued)} ms` : ''})`,
  );
  note(
    `target: bulk issuance ≥ ${TARGET_SHARE} % of min(signing threads ${round1(signRate)}/s, bulk insert ${round1(floors.bulk)}/s) = ${round1(floor)}/s: ${round1(share)} % → ${share >= TARGET_SHARE ? 'met' : 'NOT met'}`,
  );
  return [
    { name: 'issue_floor_insert_single_rate', value: round1(floors.single), unit: 'documents/s' },
    { name: 'issue_floor_insert_bulk_rate', value: round1(floors.bulk), unit: 'documents/s' },
    { name: 'issue_floor_sign_threads_rate', value: round1(signRate), unit: 'credentials/s' },
    { name: 'issue_bulk_rate', value: round1(rate), unit: 'credentials/s' },
    { name: 'issue_bulk_db_operations_per_credential', value: Math.round((operations / result.issued) * 100) / 100, unit: 'operations' },
    ...(used.dbMs !== null ? [{ name: 'issue_bulk_db_cpu_per_credential', value: round1(used.dbMs / result.issued), unit: 'ms/credential' }] : []),
    { name: 'issue_bulk_cpu_per_credential', value: round1(used.ownMs / result.issued), unit: 'ms/credential' },
    { name: 'issue_bulk_vs_floor', value: round1(share), unit: '%' },
    { name: 'issue_bulk_target_met', value: share >= TARGET_SHARE ? 1 : 0, unit: 'bool' },
  ];
}

/** Sequential student launches until `stop()` resolves; latency of each in ms. */
async function launchesUntil(tool: RunningTool, sim: PlatformSimulator, done: Promise<unknown>): Promise<number[]> {
  let finished = false;
  void done.finally(() => (finished = true));
  const times: number[] = [];
  while (!finished) {
    const t0 = performance.now();
    await launchAs(tool, sim, 'student');
    times.push(performance.now() - t0);
  }
  return times;
}

export async function termEndFigures(ctx: GroupContext, countOperations: CountOperations): Promise<Figure[]> {
  const sim = await PlatformSimulator.start();
  let tool: RunningTool | null = null;
  let fake: FakeMoodleWs | null = null;
  try {
    tool = await startTool();
    sim.toolUrl = tool.url;
    await tool.registry.register(sim.platformRegistration());
    fake = await startFakeMoodleWs();
    fake.addLearners(TERM_END_LEARNERS - 1, { kinds: ['completed'] });
    const platformId = await connectFakeMoodle(tool, fake);
    await tool.issuance.deps.institutions.save(platformId, INSTITUTION, 'bench');
    await createBadge(tool, platformId, ESSAY_PASSED_AND_FINAL_PROJECT, 'Essay passed and Final Project completed');
    await tool.issuance.deps.keys.ensureIssuerKeys(platformId);

    // the sync's decisions in memory, then stored with one insert: on FerretDB/SQLite each of the sync's upserts
    // scans the decisions (bench/sync.ts, README), which would make the sync, not issuance, the figure
    const memory = memorySyncStores();
    const s0 = performance.now();
    const sync = await runCourseSync({ ...tool.sync, decisions: memory.decisions, learnerStates: memory.learnerStates }, platformId, COURSE_ID, 'teacher');
    const syncSeconds = (performance.now() - s0) / 1000;
    if (!sync.started || sync.run.status !== 'completed') throw new Error(`bench: term_end sync did not complete: ${JSON.stringify(sync)}`);
    await tool.db.connection.collection('decisions').insertMany(memory.all());
    const earned = await tool.db.connection.collection('decisions').countDocuments({ platformId, earned: true });
    note(`term_end: sync of ${TERM_END_LEARNERS} learners in ${syncSeconds.toFixed(1)} s, ${earned} earned`);

    for (let i = 0; i < 5; i++) await launchAs(tool, sim, 'student'); // warm
    const idle = await launchesUntil(tool, sim, new Promise((r) => setTimeout(r, 2000)));
    const course: CourseIssuer = {
      platformId,
      platformIssuer: sim.issuer,
      deploymentId: sim.deploymentId,
      courseId: COURSE_ID,
      courseTitle: 'Open Badges Demo Course',
    };
    const watch = cpuWatch(ctx.mongo);
    const t0 = performance.now();
    const { value, operations } = await counted(countOperations, async () => {
      await tool!.bulkIssuance.request(course, '3');
      const run = tool!.bulkIssuance.running(platformId, COURSE_ID)!;
      const [result, busy] = await Promise.all([run, launchesUntil(tool!, sim, run)]);
      return { result, busy };
    });
    const seconds = (performance.now() - t0) / 1000;
    const used = watch();
    const issued = await tool.db.connection.collection('credentials').countDocuments({ platformId });
    if (issued !== earned || !value.result) throw new Error(`bench: term_end issued ${issued} of ${earned}`);
    const issueOps = operations;
    note(
      `term_end: ${issued} credentials in ${seconds.toFixed(1)} s = ${round1(issued / seconds)}/s, ${round2(issueOps / issued)} database operations each ` +
        `(FerretDB ${used.dbMs !== null ? round1(used.dbMs / issued) : '?'} ms CPU each); ${value.busy.length} launches meanwhile, p95 ${round1(p95(value.busy))} ms ` +
        `(p95 before: ${round1(p95(idle))} ms over ${idle.length})`,
    );
    return [
      { name: 'issue_term_end_learners', value: TERM_END_LEARNERS, unit: 'learners' },
      { name: 'issue_term_end_sync_seconds', value: round1(syncSeconds), unit: 's' },
      { name: 'issue_term_end_seconds', value: round1(seconds), unit: 's' },
      { name: 'issue_term_end_rate', value: round1(issued / seconds), unit: 'credentials/s' },
      { name: 'issue_term_end_db_operations_per_credential', value: Math.round((issueOps / issued) * 100) / 100, unit: 'operations' },
      { name: 'issue_term_end_launch_p95', value: round1(p95(value.busy)), unit: 'ms' },
      { name: 'issue_term_end_launch_p95_idle', value: round1(p95(idle)), unit: 'ms' },
    ];
  } finally {
    await fake?.close().catch(() => undefined);
    await tool?.stop().catch(() => undefined);
    await sim.stop().catch(() => undefined);
  }
}
