import type { Connection } from 'mongoose';
import type { Decision } from '../rules';
import type { IndexDefinition } from './indexes';

/**
 * One decision per (platform, course, learner, badge, badge version). Stored idempotently (upsert on that
 * key), so a sync that is killed halfway and run again never duplicates. An earned decision is kept: later
 * data (a regrade, a lagging cron) never takes a badge back silently; revocation is an explicit act.
 */
export type DecisionSource = 'rules' | 'gated-launch' | 'manual';

export interface DecisionKey {
  platformId: string;
  courseId: string;
  userId: string;
  badgeId: string;
  badgeVersion: number;
}

export interface StoredDecision extends DecisionKey {
  source: DecisionSource;
  earned: boolean;
  status: Decision['status'];
  progress: Decision['progress'];
  decision: Decision;
  earnedAt: Date | null;
  evaluatedAt: Date;
  manual?: { by: string; reason: string };
  /** Learner details the credential needs (from the roster or the launch). */
  learner?: { name?: string; email?: string };
}

const COLLECTION = 'decisions';

const keyOf = (k: DecisionKey): DecisionKey => ({
  platformId: k.platformId,
  courseId: k.courseId,
  userId: k.userId,
  badgeId: k.badgeId,
  badgeVersion: k.badgeVersion,
});

export class DecisionRepository {
  constructor(private readonly connection: Connection) {}

  private get col() {
    return this.connection.collection(COLLECTION);
  }

  /** Records a decision unless an earned one is already stored for the key. Returns whether it was written. */
  async record(d: StoredDecision): Promise<boolean> {
    const key = keyOf(d);
    const filter = d.earned ? key : { ...key, earned: { $ne: true } };
    try {
      const res = await this.col.replaceOne(filter, { ...d }, { upsert: true });
      return res.modifiedCount + res.upsertedCount > 0;
    } catch (err) {
      // an earned decision exists: the filter did not match it and the upsert hit the unique key
      if ((err as { code?: number }).code === 11000) return false;
      throw err;
    }
  }

  /** Many decisions in one round trip, with the same rule as record(): an earned decision is never replaced. */
  async recordMany(list: StoredDecision[]): Promise<number> {
    if (!list.length) return 0;
    const ops = list.map((d) => {
      const key = keyOf(d);
      return { replaceOne: { filter: d.earned ? key : { ...key, earned: { $ne: true } }, replacement: { ...d }, upsert: true } };
    });
    try {
      const res = await this.col.bulkWrite(ops, { ordered: false });
      return res.modifiedCount + res.upsertedCount;
    } catch (err) {
      const e = err as { code?: number; writeErrors?: Array<{ code: number }>; result?: { modifiedCount?: number; upsertedCount?: number } };
      const errors = e.writeErrors ?? [];
      // duplicate keys are earned decisions the filter skipped on purpose; anything else is a real failure
      if (!errors.length || errors.some((w) => w.code !== 11000)) throw err;
      return (e.result?.modifiedCount ?? 0) + (e.result?.upsertedCount ?? 0);
    }
  }

  /** Earned badge ids of several learners in one query. */
  async earnedBadgeIdsOf(platformId: string, courseId: string, userIds: readonly string[]): Promise<Map<string, string[]>> {
    const docs = await this.col
      .find({ platformId, courseId, userId: { $in: [...userIds] }, earned: true }, { projection: { badgeId: 1, userId: 1 } })
      .toArray();
    const out = new Map<string, string[]>(userIds.map((u) => [u, []]));
    for (const d of docs) {
      const list = out.get(String(d.userId))!;
      if (!list.includes(String(d.badgeId))) list.push(String(d.badgeId));
    }
    return out;
  }

  async find(key: DecisionKey): Promise<StoredDecision | null> {
    const d = await this.col.findOne(keyOf(key), { projection: { _id: 0 } });
    return (d as unknown as StoredDecision) ?? null;
  }

  async listForCourse(platformId: string, courseId: string, filter: { userId?: string; badgeId?: string } = {}): Promise<StoredDecision[]> {
    const docs = await this.col.find({ platformId, courseId, ...filter }, { projection: { _id: 0 } }).toArray();
    return docs as unknown as StoredDecision[];
  }

  /** Every earned decision of a course (all learners, badges and versions): what bulk issuance works from. */
  async earnedInCourse(platformId: string, courseId: string): Promise<StoredDecision[]> {
    const docs = await this.col.find({ platformId, courseId, earned: true }, { projection: { _id: 0 } }).toArray();
    return docs as unknown as StoredDecision[];
  }

  /** Badge ids a learner has earned in a course (for stacking rules). */
  async earnedBadgeIds(platformId: string, courseId: string, userId: string): Promise<string[]> {
    const docs = await this.col.find({ platformId, courseId, userId, earned: true }, { projection: { badgeId: 1 } }).toArray();
    return [...new Set(docs.map((d) => String(d.badgeId)))];
  }

  static indexes(): IndexDefinition[] {
    return [
      { collection: COLLECTION, key: { platformId: 1, courseId: 1, userId: 1, badgeId: 1, badgeVersion: 1 }, unique: true },
      { collection: COLLECTION, key: { platformId: 1, courseId: 1, badgeId: 1 } },
    ];
  }
}
