/**
 * The two stores a course sync writes per learner (decisions, learner states), kept in memory, for the 2,000-learner
 * sync on FerretDB (bench/sync.ts says why) and the 1,000-learner sync test. They keep the repositories' semantics for the methods the course sync
 * calls: an earned decision is never replaced, states are upserted per learner. Any other method throws, so a
 * change in what the sync calls stops the bench instead of quietly reaching the database.
 */
import type { DecisionRepository, StoredDecision } from '../../src/store/decisions';
import type { LearnerState, LearnerStateRepository } from '../../src/store/learner-states';

const key = (...parts: Array<string | number>) => JSON.stringify(parts);

function strict<T extends object>(name: string, methods: Record<string, (...args: never[]) => unknown>): T {
  return new Proxy(methods, {
    get(target, prop) {
      if (typeof prop === 'string' && prop in target) return target[prop];
      if (prop === 'then' || typeof prop === 'symbol') return undefined;
      return () => {
        throw new Error(`the course sync called ${name}.${String(prop)}, which test/support/memory-sync-stores.ts does not keep in memory`);
      };
    },
  }) as unknown as T;
}

export function memorySyncStores(): {
  decisions: DecisionRepository;
  learnerStates: LearnerStateRepository;
  all(): StoredDecision[];
  counts(): { decisions: number; earned: number; states: number };
} {
  const decisions = new Map<string, StoredDecision>();
  const states = new Map<string, LearnerState>();
  const record = (d: StoredDecision): boolean => {
    const k = key(d.platformId, d.courseId, d.userId, d.badgeId, d.badgeVersion);
    if (decisions.get(k)?.earned) return false;
    decisions.set(k, { ...d });
    return true;
  };
  return {
    decisions: strict<DecisionRepository>('decisions', {
      record: async (d: StoredDecision) => record(d),
      recordMany: async (list: StoredDecision[]) => list.filter(record).length,
      earnedBadgeIdsOf: async (platformId: string, courseId: string, userIds: readonly string[]) => {
        const out = new Map<string, string[]>(userIds.map((u) => [u, []]));
        for (const d of decisions.values()) {
          const list = d.earned && d.platformId === platformId && d.courseId === courseId ? out.get(d.userId) : undefined;
          if (list && !list.includes(d.badgeId)) list.push(d.badgeId);
        }
        return out;
      },
      earnedBadgeIds: async (platformId: string, courseId: string, userId: string) => [
        ...new Set(
          [...decisions.values()]
            .filter((d) => d.earned && d.platformId === platformId && d.courseId === courseId && d.userId === userId)
            .map((d) => d.badgeId),
        ),
      ],
    }),
    learnerStates: strict<LearnerStateRepository>('learnerStates', {
      forCourse: async (platformId: string, courseId: string) =>
        new Map([...states.values()].filter((s) => s.platformId === platformId && s.courseId === courseId).map((s) => [s.userId, s] as const)),
      saveMany: async (list: readonly LearnerState[]) => {
        for (const s of list) states.set(key(s.platformId, s.courseId, s.userId), { ...s });
      },
    }),
    all: () => [...decisions.values()],
    counts: () => ({ decisions: decisions.size, earned: [...decisions.values()].filter((d) => d.earned).length, states: states.size }),
  };
}
