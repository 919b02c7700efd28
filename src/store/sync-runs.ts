import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { IndexDefinition } from './indexes';

/** One run of a course sync, with its progress, so the teacher sees what is happening and what failed. */
export interface SyncRun {
  runId: string;
  platformId: string;
  courseId: string;
  trigger: 'schedule' | 'teacher' | 'launch';
  /** `interrupted`: its instance died while it ran (the lease expired); the next run continued where it stopped. */
  status: 'running' | 'completed' | 'failed' | 'interrupted';
  startedAt: Date;
  finishedAt: Date | null;
  learnersTotal: number;
  learnersDone: number;
  learnersSkipped: number;
  learnersFailed: Array<{ userId: string; code: string }>;
  decisionsWritten: number;
  error: { code: string; message: string } | null;
  /** Learners this run asks Moodle about (total minus skipped), and how many it has read. */
  learnersToRead?: number;
  learnersRead?: number;
  /** Why learners were skipped: every badge already earned, or read by the interrupted run this one continues. */
  skippedBecause?: { allEarned: number; readBeforeInterruption: number };
  /** Learners whose Moodle data differed from their previous read (new learners included). */
  learnersChanged?: number;
  /** Moodle calls per learner read (grade report, activity completion, course completion: what the rules need). */
  reads?: { grades: boolean; activities: boolean; courseCompletion: boolean };
  /** Learners read per minute so far, and when the run should end at that rate. */
  ratePerMinute?: number | null;
  expectedEndAt?: Date | null;
  /** The interrupted run this one continues, and when the first of that chain started (learners read since are not read again). */
  resumedFrom?: string | null;
  readSince?: Date;
}

const COLLECTION = 'sync_runs';

export class SyncRunRepository {
  constructor(
    private readonly connection: Connection,
    private readonly now: () => number = Date.now,
  ) {}

  private get col() {
    return this.connection.collection(COLLECTION);
  }

  async start(platformId: string, courseId: string, trigger: SyncRun['trigger'], resume: { from: SyncRun } | null = null): Promise<SyncRun> {
    const startedAt = new Date(this.now());
    const run: SyncRun = {
      runId: randomUUID(),
      platformId,
      courseId,
      trigger,
      status: 'running',
      startedAt,
      finishedAt: null,
      learnersTotal: 0,
      learnersDone: 0,
      learnersSkipped: 0,
      learnersFailed: [],
      decisionsWritten: 0,
      error: null,
      resumedFrom: resume?.from.runId ?? null,
      readSince: resume ? (resume.from.readSince ?? resume.from.startedAt) : startedAt,
    };
    await this.col.insertOne({ ...run });
    return run;
  }

  async update(runId: string, patch: Partial<Omit<SyncRun, 'runId' | 'platformId' | 'courseId'>>): Promise<void> {
    await this.col.updateOne({ runId }, { $set: patch });
  }

  async latest(platformId: string, courseId: string): Promise<SyncRun | null> {
    const d = await this.col
      .find({ platformId, courseId }, { projection: { _id: 0 } })
      .sort({ startedAt: -1 })
      .limit(1)
      .next();
    return (d as unknown as SyncRun) ?? null;
  }

  static indexes(): IndexDefinition[] {
    return [
      { collection: COLLECTION, key: { runId: 1 }, unique: true },
      { collection: COLLECTION, key: { platformId: 1, courseId: 1, startedAt: -1 } },
    ];
  }
}
