import { randomUUID } from 'node:crypto';
import { AppError } from '../../errors';
import type { InstitutionProfile } from '../../issuers/profile';
import type { BadgeVersion } from '../../store/badges';
import type { StatusSlot } from '../../store/status-lists';
import type { IssuedCredential } from '../../store/issued-credentials';
import type { IssueState } from '../context';
import type { IssuanceDeps } from '../pipeline';
import { composeCredential } from '../steps/build-credential';
import { signCredential } from '../steps/sign-credential';
import { recordOf } from '../steps/store-credential';
import { validateCredential } from '../steps/validate-credential';
import type { Award, CourseIssuer } from './awards';

/** What a batch shares: the course, the institution, the badge versions (read once per run). */
export interface BatchContext {
  deps: IssuanceDeps;
  course: CourseIssuer;
  institution: InstitutionProfile;
  version(badgeId: string, version: number): Promise<BadgeVersion | null>;
}

export interface BatchFailure {
  key: string;
  userId: string;
  badgeId: string;
  code: string;
}

/** A batch signed and ready to store. */
export interface SignedBatch {
  states: IssueState[];
  failed: BatchFailure[];
}

/** Building and checking a credential is synchronous work: one at a time between requests, so launches keep being served. */
const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

const codeOf = (err: unknown) => (err instanceof AppError ? err.code : 'INTERNAL');

/** The state a claim's pipeline would have after loading its decision: the learner chose nothing, so no name is shown. */
function stateOf(ctx: BatchContext, award: Award, version: BadgeVersion): IssueState {
  const d = award.decision;
  return {
    request: {
      ...ctx.course,
      userId: d.userId,
      badgeId: d.badgeId,
      learner: { name: d.learner?.name ?? null, email: d.learner?.email ?? null, showName: false },
    },
    decision: d,
    version,
    institution: ctx.institution,
    idempotencyKey: award.key,
  };
}

/** A batch whose status places are reserved: ready to build and sign without writing to the database. */
export interface ReservedBatch {
  ready: Array<{ award: Award; version: BadgeVersion; credentialId: string; slot: StatusSlot }>;
  failed: BatchFailure[];
}

const failureOf = (a: Award, err: unknown): BatchFailure => ({ key: a.key, userId: a.decision.userId, badgeId: a.decision.badgeId, code: codeOf(err) });

/** The batch's status places, reserved as one block (two writes); an award whose badge version is gone fails here. */
export async function reserveBatch(ctx: BatchContext, todo: readonly Award[]): Promise<ReservedBatch> {
  const failed: BatchFailure[] = [];
  const found: Array<{ award: Award; version: BadgeVersion }> = [];
  for (const award of todo) {
    const version = await ctx.version(award.decision.badgeId, award.decision.badgeVersion);
    if (version) found.push({ award, version });
    else failed.push(failureOf(award, new AppError('BADGE_VERSION_MISSING', 'The badge version of this award no longer exists.', { status: 409 })));
  }
  const ids = found.map(() => randomUUID());
  const slots = await ctx.deps.slots.allocateMany(ctx.course.platformId, ids);
  return { ready: found.map((f, i) => ({ ...f, credentialId: ids[i]!, slot: slots[i]! })), failed };
}

/**
 * A reserved batch built, checked against the schema and signed in both formats (Data Integrity on the signing
 * threads, all of the batch at once). An award that fails fails alone; its place goes back.
 */
export async function signBatch(ctx: BatchContext, batch: ReservedBatch): Promise<SignedBatch> {
  const { deps, course } = ctx;
  const failed = [...batch.failed];
  const settled = await Promise.all(
    batch.ready.map(async ({ award, version, credentialId, slot }) => {
      try {
        await yieldToRequests();
        return await signCredential(deps, validateCredential(composeCredential(deps, stateOf(ctx, award, version), credentialId, slot)));
      } catch (err) {
        failed.push(failureOf(award, err));
        return null;
      }
    }),
  );
  const unused = batch.ready.filter((_, i) => !settled[i]);
  if (unused.length) await deps.slots.releaseMany(course.platformId, unused);
  return { states: settled.filter((s) => s !== null), failed };
}

/** Stores a signed batch in one unordered insert; awards another request stored first keep that credential and this batch's places go back. */
export async function storeBatch(ctx: BatchContext, batch: SignedBatch): Promise<{ stored: IssuedCredential[]; lost: number }> {
  const { deps, course } = ctx;
  const issuedAt = new Date(deps.now());
  const results = await deps.credentials.insertManyIssued(batch.states.map((s) => recordOf(s, issuedAt)));
  const lost = batch.states.filter((_, i) => !results[i]!.stored);
  if (lost.length)
    await deps.slots.releaseMany(
      course.platformId,
      lost.map((s) => ({ slot: s.slot!, credentialId: s.credentialId! })),
    );
  return { stored: results.filter((r) => r.stored).map((r) => r.record), lost: lost.length };
}
