import { idempotencyKeyOf } from '../../store/issued-credentials';
import type { StoredDecision } from '../../store/decisions';

/** Where bulk-issued credentials say they come from: the course and the launch (deployment) that asked. */
export interface CourseIssuer {
  platformId: string;
  platformIssuer: string;
  deploymentId: string;
  courseId: string;
  courseTitle: string | null;
}

export interface Award {
  key: string;
  decision: StoredDecision;
}

/**
 * The awards of a course still to issue (pure): per learner and badge the newest earned version, as a claim
 * would take it, keyed like a claim's credential; those whose key is issued are left out. Sorted, then rotated
 * by `start` (a fraction), so that two instances running one job mostly work on different ends of it.
 */
export function awardsToIssue(course: CourseIssuer, earned: readonly StoredDecision[], issued: ReadonlySet<string>, start = 0): Award[] {
  const newest = new Map<string, StoredDecision>();
  for (const d of earned) {
    if (!d.earned) continue;
    const id = `${d.userId}\u0000${d.badgeId}`;
    const seen = newest.get(id);
    if (!seen || seen.badgeVersion < d.badgeVersion) newest.set(id, d);
  }
  const awards = [...newest.values()]
    .map((decision) => ({
      decision,
      key: idempotencyKeyOf({ platformId: course.platformId, userId: decision.userId, badgeId: decision.badgeId, badgeVersion: decision.badgeVersion }),
    }))
    .filter((a) => !issued.has(a.key))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const at = Math.floor(Math.min(Math.max(start, 0), 0.999999) * awards.length);
  return [...awards.slice(at), ...awards.slice(0, at)];
}
