import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { IndexDefinition } from './indexes';

/** One run of a course sync, with its progress, so the teacher sees what is happening and what failed. */
export interface SyncRun {
  runId: string;
  platformId: string;
  courseId: string;
  trigger: 'schedule' | 'teacher' | 'launch';
  status: 'running' | 'completed' | 'failed';
  startedAt: Date;
  finishedAt: Date | null;
  learnersTotal: number;
  learnersDone: number;
  learnersSkipped: number;
  learnersFailed: Array<{ userId: string; code: string }>;
  decisionsWritten: number;
  error: { code: string; message: string } | null;
}

const COLLECTION = 'sync_runs';

export class SyncRunRepository {
  constructor(private readonly connection: Connection, private readonly now: () => number = Date.now) {}

  private get col() {
    return this.connection.collection(COLLECTION);
  }

  async start(platformId: string, courseId: string, trigger: SyncRun['trigger']): Promise<SyncRun> {
    const run: SyncRun = {
      runId: randomUUID(),
      platformId,
      courseId,
      trigger,
      status: 'running',
      startedAt: new Date(this.now()),
      finishedAt: null,
      learnersTotal: 0,
      learnersDone: 0,
      learnersSkipped: 0,
      learnersFailed: [],
      decisionsWritten: 0,
      error: null,
    };
    await this.col.insertOne({ ...run });
    return run;
  }

  async update(runId: string, patch: Partial<Omit<SyncRun, 'runId' | 'platformId' | 'courseId'>>): Promise<void> {
    await this.col.updateOne({ runId }, { $set: patch });
  }

  async latest(platformId: string, courseId: string): Promise<SyncRun | null> {
    const d = await this.col.find({ platformId, courseId }, { projection: { _id: 0 } }).sort({ startedAt: -1 }).limit(1).next();
    return (d as unknown as SyncRun) ?? null;
  }

  static indexes(): IndexDefinition[] {
    return [
      { collection: COLLECTION, key: { runId: 1 }, unique: true },
      { collection: COLLECTION, key: { platformId: 1, courseId: 1, startedAt: -1 } },
    ];
  }
}
