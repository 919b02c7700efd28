import { AppError } from '../../errors';
import type { BadgeVersion } from '../../store/badges';
import type { IssuanceDeps } from '../pipeline';
import { awardsToIssue, type CourseIssuer } from './awards';
import { reserveBatch, signBatch, storeBatch, type BatchContext, type BatchFailure, type ReservedBatch } from './issue-batch';

export interface CourseIssueResult {
  /** Credentials this run stored. */
  issued: number;
  /** Awards found issued by someone else (a claim, another instance) before or while this run stored them. */
  alreadyIssued: number;
  failed: BatchFailure[];
}

export interface CourseIssueOptions {
  batchSize: number;
  /** Where in the sorted list of awards to begin (0–1); see awardsToIssue. */
  start?: number;
  /** After each stored batch (a heartbeat for the job). */
  onBatch?: (done: CourseIssueResult) => Promise<void>;
}

/**
 * Issues every earned, not yet issued award of a course in batches: one read for the course's earned decisions
 * and one for its issued keys (read again only when a batch finds awards stored by someone else meanwhile), then
 * per batch three writes (see issue-batch.ts). Batch n+1 is built and signed while batch n is being written.
 * Safe to run anywhere at any time, also twice at once: each credential is written by one insert keyed by its
 * award, so a crash leaves whole credentials or none, and a rerun picks up exactly what is missing.
 */
export async function issueEarnedInCourse(deps: IssuanceDeps, course: CourseIssuer, options: CourseIssueOptions): Promise<CourseIssueResult> {
  const institution = await deps.institutions.find(course.platformId);
  if (!institution)
    throw new AppError('ISSUER_PROFILE_MISSING', "The institution's profile is not set up yet: ask your registrar to complete it.", { status: 409 });
  const [earned, issuedKeys] = await Promise.all([
    deps.decisions.earnedInCourse(course.platformId, course.courseId),
    deps.credentials.issuedKeysInCourse(course.platformId, course.courseId),
  ]);
  const awards = awardsToIssue(course, earned, issuedKeys, options.start);
  const versions = new Map<string, Promise<BadgeVersion | null>>();
  const ctx: BatchContext = {
    deps,
    course,
    institution,
    version: (badgeId, version) => {
      const id = `${badgeId}@${version}`;
      if (!versions.has(id)) versions.set(id, deps.badges.getVersion(badgeId, version));
      return versions.get(id)!;
    },
  };
  const result: CourseIssueResult = { issued: 0, alreadyIssued: 0, failed: [] };
  let issued = issuedKeys;
  let stale = false;
  let next = 0;
  const size = Math.max(1, options.batchSize);
  /** The next batch with something to issue, its status places reserved; null at the end. */
  const reserveNext = async (): Promise<ReservedBatch | null> => {
    while (next < awards.length) {
      // someone else is issuing too (a batch lost awards): read again which are issued rather than sign them twice
      if (stale) [issued, stale] = [await deps.credentials.issuedKeysInCourse(course.platformId, course.courseId), false];
      const slice = awards.slice(next, (next += size));
      const todo = slice.filter((a) => !issued.has(a.key));
      result.alreadyIssued += slice.length - todo.length;
      if (todo.length) return reserveBatch(ctx, todo);
    }
    return null;
  };
  let storing: Promise<void> = Promise.resolve();
  for (let batch = await reserveNext(); batch;) {
    const signed = await signBatch(ctx, batch);
    await storing; // the previous batch's write, which ran while this one was signed
    result.failed.push(...signed.failed);
    // the next batch's places are written before this batch's insert: on a database with one writer at a time
    // (FerretDB/SQLite) they would wait for it, and the next signing would wait for them
    batch = await reserveNext();
    storing = storeBatch(ctx, signed).then(async ({ stored, lost }) => {
      result.issued += stored.length;
      result.alreadyIssued += lost;
      if (lost) stale = true;
      await options.onBatch?.(result);
    });
    storing.catch(() => undefined); // awaited with the next batch; until then it must not count as unhandled
  }
  await storing;
  return result;
}
