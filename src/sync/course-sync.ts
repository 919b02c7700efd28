import { AppError } from '../errors';
import type { CourseDataSource, Learner } from '../lms/data-source';
import type { LearnerSnapshot } from '../rules/snapshot';
import { parseRule } from '../rules';
import type { BadgeRepository } from '../store/badges';
import type { DecisionRepository, StoredDecision } from '../store/decisions';
import type { LeaseRepository } from '../store/leases';
import type { LearnerState, LearnerStateRepository } from '../store/learner-states';
import type { SyncRun, SyncRunRepository } from '../store/sync-runs';
import { evaluateLearner, storedRuleDecision, type BadgeToEvaluate } from './evaluate-learner';
import { readsFor, snapshotFingerprint } from './learner-reads';

export interface CourseSyncDeps {
  dataSourceFor(platformId: string): Promise<CourseDataSource | null>;
  badges: BadgeRepository;
  decisions: DecisionRepository;
  leases: LeaseRepository;
  learnerStates: LearnerStateRepository;
  runs: SyncRunRepository;
  /** This instance, for the lease. */
  owner: string;
  now: () => number;
  batchSize?: number;
  leaseMs?: number;
}

export type SyncOutcome = { started: false; reason: 'already-running' } | { started: true; run: SyncRun };

// Moodle and sync errors say what went wrong in Moodle (tokens are never in them): the teacher may read them
const errorOf = (err: unknown) =>
  err instanceof AppError
    ? { code: err.code, message: err.expose || /^(MOODLE|SYNC)_/.test(err.code) ? err.message : 'Unexpected error.' }
    : { code: 'INTERNAL', message: 'Unexpected error.' };

/** A run older than this is not continued: the next one starts afresh. */
const RESUME_WINDOW_MS = 6 * 3_600_000;

/**
 * The run to continue: the latest one of the course, when it did not complete (its instance died, or Moodle
 * failed halfway) and is recent. A `running` one is ours to close: we hold the lease, so its holder is gone.
 */
async function interruptedRun(runs: SyncRunRepository, platformId: string, courseId: string, now: number): Promise<SyncRun | null> {
  const last = await runs.latest(platformId, courseId);
  if (!last || last.status === 'completed' || now - last.startedAt.getTime() > RESUME_WINDOW_MS) return null;
  if (last.status === 'running') await runs.update(last.runId, { status: 'interrupted', finishedAt: new Date(now) });
  return (last.learnersRead ?? 0) > 0 || last.status === 'running' ? last : null;
}

interface Plan {
  toRead: Learner[];
  allEarned: number;
  readBeforeInterruption: number;
}

/** Which learners to read (pure): not those who earned every badge, nor those the interrupted run already read. */
function planReads(
  learners: readonly Learner[],
  badges: readonly BadgeToEvaluate[],
  earned: ReadonlyMap<string, readonly string[]>,
  states: ReadonlyMap<string, LearnerState>,
  readSince: Date | null,
): Plan {
  const versionKeys = badges.map((b) => `${b.badgeId}@${b.version}`);
  const plan: Plan = { toRead: [], allEarned: 0, readBeforeInterruption: 0 };
  for (const learner of learners) {
    const mine = earned.get(learner.userId) ?? [];
    const previous = states.get(learner.userId);
    // an earned decision is never taken back, so nothing Moodle says can change this learner's badges
    if (badges.length > 0 && badges.every((b) => mine.includes(b.badgeId))) plan.allEarned++;
    else if (readSince && previous && previous.readAt >= readSince && versionKeys.every((k) => previous.evaluated.includes(k))) plan.readBeforeInterruption++;
    else plan.toRead.push(learner);
  }
  return plan;
}

/** Learners per minute so far and the end expected at that rate. */
function pace(read: number, left: number, startedAt: number, now: number): { ratePerMinute: number | null; expectedEndAt: Date | null } {
  const elapsed = now - startedAt;
  if (read === 0 || elapsed <= 0) return { ratePerMinute: null, expectedEndAt: null };
  const perMs = read / elapsed;
  return { ratePerMinute: Math.round(perMs * 60_000 * 10) / 10, expectedEndAt: new Date(now + left / perMs) };
}

/**
 * Decides every badge of a course for every learner, not only those who launch: roster → learners to read →
 * per-learner snapshots (in batches, `concurrency` learners at a time inside the data source) → decisions
 * (idempotent upserts) and learner states. Moodle has no course-wide read that is cheaper than the per-learner
 * ones (the course-wide grade report of 1,000 learners takes minutes in one request), so each learner costs
 * Moodle the calls its rules need (readsFor), and the next batch is read while the previous one is written.
 * Skipped: learners who earned every badge (nothing can change), and, when this run continues an interrupted
 * one, the learners that run already read. Not skippable: anyone else, since a teacher's grading leaves no trace
 * Moodle exposes cheaply. A lease per course keeps it to one instance at a time; its holder dying leaves the run
 * `running` until the lease expires, and the next run continues it.
 * When Moodle fails for the whole course the run stops and reports it; decisions are only ever written from
 * a learner's complete snapshot, never from partial data.
 */
export async function runCourseSync(
  deps: CourseSyncDeps,
  platformId: string,
  courseId: string,
  trigger: SyncRun['trigger'],
  hooks: { onStarted?: (outcome: SyncOutcome) => void } = {},
): Promise<SyncOutcome> {
  const leaseKey = `sync:${platformId}:${courseId}`;
  const leaseMs = deps.leaseMs ?? 120_000;
  if (!(await deps.leases.acquire(leaseKey, deps.owner, leaseMs))) {
    const outcome: SyncOutcome = { started: false, reason: 'already-running' };
    hooks.onStarted?.(outcome);
    return outcome;
  }
  const interrupted = await interruptedRun(deps.runs, platformId, courseId, deps.now());
  const run = await deps.runs.start(platformId, courseId, trigger, interrupted && { from: interrupted });
  hooks.onStarted?.({ started: true, run });
  try {
    const source = await deps.dataSourceFor(platformId);
    if (!source)
      throw new AppError('SYNC_NO_WEB_SERVICE', 'This Moodle site has no web-service token: badges are decided only from launches of gated badge activities.', {
        status: 409,
      });
    const result = await syncLearners(deps, source, run, { leaseKey, leaseMs, resume: interrupted ? run.readSince! : null });
    const finished = { status: 'completed' as const, finishedAt: new Date(deps.now()), ...result };
    await deps.runs.update(run.runId, finished);
    return { started: true, run: { ...run, ...finished } };
  } catch (err) {
    const failure = { status: 'failed' as const, finishedAt: new Date(deps.now()), error: errorOf(err) };
    await deps.runs.update(run.runId, failure);
    return { started: true, run: { ...run, ...failure } };
  } finally {
    await deps.leases.release(leaseKey, deps.owner);
  }
}

/** The body of a run: what to read, then read in batches (the next read overlapping this write), with progress. */
async function syncLearners(
  deps: CourseSyncDeps,
  source: CourseDataSource,
  run: SyncRun,
  opts: { leaseKey: string; leaseMs: number; resume: Date | null },
): Promise<Partial<SyncRun>> {
  const { platformId, courseId } = run;
  const badges = await badgesToEvaluate(deps.badges, platformId, courseId);
  const [structure, learners, states] = await Promise.all([
    source.getCourseStructure(courseId),
    source.listLearners(courseId),
    deps.learnerStates.forCourse(platformId, courseId),
  ]);
  const earned = await deps.decisions.earnedBadgeIdsOf(
    platformId,
    courseId,
    learners.map((l) => l.userId),
  );
  const plan = planReads(learners, badges, earned, states, opts.resume);
  const reads = readsFor(badges.map((b) => b.rule));
  const skipped = learners.length - plan.toRead.length;
  const progress: Partial<SyncRun> = {
    learnersTotal: learners.length,
    learnersSkipped: skipped,
    learnersDone: skipped,
    learnersToRead: plan.toRead.length,
    learnersRead: 0,
    learnersChanged: 0,
    decisionsWritten: 0,
    learnersFailed: [],
    skippedBecause: { allEarned: plan.allEarned, readBeforeInterruption: plan.readBeforeInterruption },
    reads: { grades: reads.grades, activities: reads.activities, courseCompletion: reads.courseCompletion },
  };
  await deps.runs.update(run.runId, progress);

  const batchSize = deps.batchSize ?? 50;
  const batches: Learner[][] = [];
  for (let i = 0; i < plan.toRead.length; i += batchSize) batches.push(plan.toRead.slice(i, i + batchSize));
  const readBatch = async (batch: Learner[]) => {
    const read = await source.getLearnerSnapshots(
      courseId,
      batch.map((l) => l.userId),
      { structure, earnedBadgeIds: earned, reads },
    );
    return { ...read, snapshots: await withGradesWhereEarned(source, courseId, structure, badges, read.snapshots, reads, new Date(deps.now())) };
  };
  const started = deps.now();
  let pending = batches.length ? readBatch(batches[0]!) : null;
  for (let i = 0; i < batches.length; i++) {
    const batch = batches[i]!;
    const { snapshots, failures } = await pending!;
    // the next learners are read while these are decided and written
    pending = i + 1 < batches.length ? readBatch(batches[i + 1]!) : null;
    pending?.catch(() => undefined);
    const written = await writeBatch(deps, run, { badges, batch, snapshots, states });
    progress.learnersFailed!.push(...failures.map((f) => ({ userId: f.userId, code: f.error.code })));
    progress.decisionsWritten! += written.decisions;
    progress.learnersChanged! += written.changed;
    progress.learnersRead! += batch.length;
    progress.learnersDone! += batch.length;
    Object.assign(progress, pace(progress.learnersRead!, plan.toRead.length - progress.learnersRead!, started, deps.now()));
    await deps.runs.update(run.runId, progress);
    if (!(await deps.leases.renew(opts.leaseKey, deps.owner, opts.leaseMs))) {
      await pending?.catch(() => undefined);
      throw new AppError('SYNC_LEASE_LOST', 'Another instance took over this sync.', { status: 409 });
    }
  }
  return progress;
}

/**
 * A credential states the learner's grades for the items it assesses, so a learner who earns a badge needs their
 * grade report even where the rules read none (course completion, activity completion): one more call for each
 * such learner, only when they earn. A learner whose grade report fails keeps their decision, without grades.
 */
async function withGradesWhereEarned(
  source: CourseDataSource,
  courseId: string,
  structure: Awaited<ReturnType<CourseDataSource['getCourseStructure']>>,
  badges: readonly BadgeToEvaluate[],
  snapshots: LearnerSnapshot[],
  reads: ReturnType<typeof readsFor>,
  now: Date,
): Promise<LearnerSnapshot[]> {
  if (reads.grades) return snapshots;
  const ungraded = snapshots.filter((s) => s.grades.length === 0 && evaluateLearner(badges, s, now).some((d) => d.decision.earned));
  if (!ungraded.length) return snapshots;
  const { snapshots: graded } = await source.getLearnerSnapshots(
    courseId,
    ungraded.map((s) => s.userId),
    {
      structure,
      reads: { grades: true, activities: false, courseCompletion: false },
    },
  );
  const gradesOf = new Map(graded.map((g) => [g.userId, g.grades]));
  return snapshots.map((s) => (gradesOf.has(s.userId) ? { ...s, grades: gradesOf.get(s.userId)! } : s));
}

/** One batch's decisions, then its learner states (after: a crash in between only means these are read again). */
async function writeBatch(
  deps: CourseSyncDeps,
  run: SyncRun,
  b: { badges: BadgeToEvaluate[]; batch: Learner[]; snapshots: LearnerSnapshot[]; states: ReadonlyMap<string, LearnerState> },
): Promise<{ decisions: number; changed: number }> {
  const { platformId, courseId } = run;
  const now = new Date(deps.now());
  const versionKeys = b.badges.map((x) => `${x.badgeId}@${x.version}`);
  const byId = new Map(b.batch.map((l) => [l.userId, l]));
  const toStore: StoredDecision[] = [];
  const read: LearnerState[] = [];
  let changed = 0;
  for (const snapshot of b.snapshots) {
    const learner = byId.get(snapshot.userId);
    for (const d of evaluateLearner(b.badges, snapshot, now)) {
      toStore.push(storedRuleDecision({ platformId, courseId, userId: snapshot.userId }, d, now, { name: learner?.fullName, email: learner?.email }));
    }
    const fingerprint = snapshotFingerprint(snapshot);
    if (b.states.get(snapshot.userId)?.fingerprint !== fingerprint) changed++;
    read.push({ platformId, courseId, userId: snapshot.userId, fingerprint, readAt: snapshot.readAt, evaluated: versionKeys });
  }
  const decisions = await deps.decisions.recordMany(toStore);
  await deps.learnerStates.saveMany(read);
  return { decisions, changed };
}

/** The current version of each badge of the course whose rule parses (a broken rule is reported, not run). */
export async function badgesToEvaluate(badges: BadgeRepository, platformId: string, courseId: string): Promise<BadgeToEvaluate[]> {
  const out: BadgeToEvaluate[] = [];
  for (const { badge, version } of await badges.currentVersions(platformId, courseId)) {
    const parsed = parseRule(version.definition.rule);
    if (parsed.ok) out.push({ badgeId: badge.id, version: version.version, rule: parsed.rule });
  }
  return out;
}
