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

  async find(key: DecisionKey): Promise<StoredDecision | null> {
    const d = await this.col.findOne(keyOf(key), { projection: { _id: 0 } });
    return (d as unknown as StoredDecision) ?? null;
  }

  async listForCourse(platformId: string, courseId: string, filter: { userId?: string; badgeId?: string } = {}): Promise<StoredDecision[]> {
    const docs = await this.col.find({ platformId, courseId, ...filter }, { projection: { _id: 0 } }).toArray();
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
