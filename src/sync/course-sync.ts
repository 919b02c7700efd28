import { AppError } from '../errors';
import { canSkipLearner, type CourseDataSource, type Learner } from '../lms/data-source';
import { parseRule } from '../rules';
import type { BadgeRepository } from '../store/badges';
import type { DecisionRepository, StoredDecision } from '../store/decisions';
import type { LeaseRepository } from '../store/leases';
import type { LearnerState, LearnerStateRepository } from '../store/learner-states';
import type { SyncRun, SyncRunRepository } from '../store/sync-runs';
import { evaluateLearner, storedRuleDecision, type BadgeToEvaluate } from './evaluate-learner';

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

/**
 * Decides every badge of a course for every learner, not only those who launch: roster → changed learners →
 * snapshots (in batches) → decisions (idempotent upserts) and learner states (one bulk write per batch). The
 * course-wide reads (structure, roster, bulk grade report) are made once per run: each batch reads only its own
 * learners and takes their grades from that one report, the one their change hints were computed from. A lease
 * per course keeps it to one instance at a time; a sync killed halfway simply runs again (decisions are keyed,
 * learners already read are skipped).
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
  const run = await deps.runs.start(platformId, courseId, trigger);
  hooks.onStarted?.({ started: true, run });
  try {
    const source = await deps.dataSourceFor(platformId);
    if (!source)
      throw new AppError('SYNC_NO_WEB_SERVICE', 'This Moodle site has no web-service token: badges are decided only from launches of gated badge activities.', { status: 409 });

    const badges = await badgesToEvaluate(deps.badges, platformId, courseId);
    const [structure, course, states] = await Promise.all([
      source.getCourseStructure(courseId),
      source.readCourseLearners(courseId),
      deps.learnerStates.forCourse(platformId, courseId),
    ]);
    const { learners, hints } = course;
    const versionKeys = badges.map((b) => `${b.badgeId}@${b.version}`);
    const changed: Learner[] = [];
    let skipped = 0;
    for (const learner of learners) {
      const hint = hints.get(learner.userId);
      const previous = states.get(learner.userId);
      const allEvaluated = previous && versionKeys.every((k) => previous.evaluated.includes(k));
      if (hint && allEvaluated && canSkipLearner(hint, previous)) skipped++;
      else changed.push(learner);
    }
    await deps.runs.update(run.runId, { learnersTotal: learners.length, learnersSkipped: skipped, learnersDone: skipped });

    const batchSize = deps.batchSize ?? 50;
    let done = skipped;
    let written = 0;
    const failed: SyncRun['learnersFailed'] = [];
    for (let i = 0; i < changed.length; i += batchSize) {
      const batch = changed.slice(i, i + batchSize);
      const earned = await deps.decisions.earnedBadgeIdsOf(platformId, courseId, batch.map((l) => l.userId));
      const { snapshots, failures } = await source.getLearnerSnapshots(courseId, batch.map((l) => l.userId), { structure, earnedBadgeIds: earned, course });
      failed.push(...failures.map((f) => ({ userId: f.userId, code: f.error.code })));
      const now = new Date(deps.now());
      const toStore: StoredDecision[] = [];
      for (const snapshot of snapshots) {
        const learner = batch.find((l) => l.userId === snapshot.userId);
        for (const d of evaluateLearner(badges, snapshot, now)) {
          toStore.push(storedRuleDecision({ platformId, courseId, userId: snapshot.userId }, d, now, { name: learner?.fullName, email: learner?.email }));
        }
      }
      written += await deps.decisions.recordMany(toStore);
      // fingerprints are saved after the decisions: a crash in between only means these learners are read again
      const read: LearnerState[] = [];
      for (const snapshot of snapshots) {
        const hint = hints.get(snapshot.userId);
        if (hint) read.push({ platformId, courseId, userId: snapshot.userId, fingerprint: hint.fingerprint, readAt: snapshot.readAt, evaluated: versionKeys });
      }
      await deps.learnerStates.saveMany(read);
      done += batch.length;
      await deps.runs.update(run.runId, { learnersDone: done, decisionsWritten: written, learnersFailed: failed });
      if (!(await deps.leases.renew(leaseKey, deps.owner, leaseMs)))
        throw new AppError('SYNC_LEASE_LOST', 'Another instance took over this sync.', { status: 409 });
    }
    const finished = { status: 'completed' as const, finishedAt: new Date(deps.now()), learnersDone: done, decisionsWritten: written, learnersFailed: failed };
    await deps.runs.update(run.runId, finished);
    return { started: true, run: { ...run, ...finished, learnersTotal: learners.length, learnersSkipped: skipped } };
  } catch (err) {
    const failure = { status: 'failed' as const, finishedAt: new Date(deps.now()), error: errorOf(err) };
    await deps.runs.update(run.runId, failure);
    return { started: true, run: { ...run, ...failure } };
  } finally {
    await deps.leases.release(leaseKey, deps.owner);
  }
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
