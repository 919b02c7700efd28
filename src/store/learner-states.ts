import type { Connection } from 'mongoose';
import type { IndexDefinition } from './indexes';

/**
 * What the last sync read for each learner: the change fingerprint and which badge versions were evaluated,
 * so the next sync skips learners whose Moodle data has not changed and whose badges have not changed.
 */
export interface LearnerState {
  platformId: string;
  courseId: string;
  userId: string;
  fingerprint: string;
  readAt: Date;
  /** `${badgeId}@${version}` of every badge version evaluated on that read. */
  evaluated: string[];
}

const COLLECTION = 'learner_states';

export class LearnerStateRepository {
  constructor(private readonly connection: Connection) {}

  private get col() {
    return this.connection.collection(COLLECTION);
  }

  async forCourse(platformId: string, courseId: string): Promise<Map<string, LearnerState>> {
    const docs = await this.col.find({ platformId, courseId }, { projection: { _id: 0 } }).toArray();
    return new Map(docs.map((d) => [String(d.userId), d as unknown as LearnerState]));
  }

  async save(state: LearnerState): Promise<void> {
    await this.saveMany([state]);
  }

  /** Many states in one round trip (a sync's batch): each replaces the learner's previous one or is inserted. */
  async saveMany(states: readonly LearnerState[]): Promise<void> {
    if (!states.length) return;
    const ops = states.map((s) => ({
      replaceOne: { filter: { platformId: s.platformId, courseId: s.courseId, userId: s.userId }, replacement: { ...s }, upsert: true },
    }));
    await this.col.bulkWrite(ops, { ordered: false });
  }

  static indexes(): IndexDefinition[] {
    return [{ collection: COLLECTION, key: { platformId: 1, courseId: 1, userId: 1 }, unique: true }];
  }
}
