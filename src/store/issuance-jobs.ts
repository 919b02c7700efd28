import type { Connection } from 'mongoose';
import type { IndexDefinition } from './indexes';

/**
 * Bulk issuance jobs: "issue every earned award of this course", one document per course, kept until a run
 * has gone through it. It carries what a credential needs from the launch that asked (deployment, platform
 * issuer, course title), so any instance can run it, and a restarted one picks up a job whose runner went
 * silent. The work itself is idempotent (one credential per award key), so two runners of one job waste
 * effort but never duplicate.
 */
export interface IssuanceJob {
  id: string;
  platformId: string;
  courseId: string;
  deploymentId: string;
  platformIssuer: string;
  courseTitle: string | null;
  requestedBy: string;
  requestedAt: Date;
  /** Last sign of life of whoever runs it (epoch when nobody has yet). */
  heartbeatAt: Date;
  runner: string | null;
}

const COLLECTION = 'issuance_jobs';

export const issuanceJobId = (platformId: string, courseId: string) => `${encodeURIComponent(platformId)}|${encodeURIComponent(courseId)}`;

export class IssuanceJobRepository {
  constructor(
    private readonly connection: Connection,
    private readonly now: () => number = Date.now,
  ) {}

  private get col() {
    return this.connection.collection(COLLECTION);
  }

  /** Records (or renews) the course's job, held by `runner` from now. */
  async request(job: Omit<IssuanceJob, 'id' | 'requestedAt' | 'heartbeatAt' | 'runner'>, runner: string): Promise<IssuanceJob> {
    const at = new Date(this.now());
    const doc: IssuanceJob = { ...job, id: issuanceJobId(job.platformId, job.courseId), requestedAt: at, heartbeatAt: at, runner };
    try {
      await this.col.replaceOne({ _id: doc.id as never }, { ...doc }, { upsert: true });
    } catch (err) {
      // two first requests at once: the other's insert won; replace it (the document exists now)
      if ((err as { code?: number }).code !== 11000) throw err;
      await this.col.replaceOne({ _id: doc.id as never }, { ...doc });
    }
    return doc;
  }

  async find(id: string): Promise<IssuanceJob | null> {
    return (await this.col.findOne({ _id: id as never }, { projection: { _id: 0 } })) as unknown as IssuanceJob | null;
  }

  async pending(): Promise<IssuanceJob[]> {
    return (await this.col.find({}, { projection: { _id: 0 } }).toArray()) as unknown as IssuanceJob[];
  }

  /** Takes over a job whose runner has been silent since `staleBefore`: a plain match on the heartbeat read, no server-side condition. */
  async claim(job: IssuanceJob, runner: string, staleBefore: Date): Promise<boolean> {
    if (job.heartbeatAt > staleBefore) return false;
    const res = await this.col.updateOne({ _id: job.id as never, heartbeatAt: job.heartbeatAt }, { $set: { heartbeatAt: new Date(this.now()), runner } });
    return res.modifiedCount === 1;
  }

  async beat(id: string, runner: string): Promise<void> {
    await this.col.updateOne({ _id: id as never }, { $set: { heartbeatAt: new Date(this.now()), runner } });
  }

  /** Done, unless it was asked again meanwhile (a newer request keeps it for another run). */
  async finish(job: IssuanceJob): Promise<boolean> {
    const res = await this.col.deleteOne({ _id: job.id as never, requestedAt: job.requestedAt });
    return res.deletedCount === 1;
  }

  static indexes(): IndexDefinition[] {
    return [];
  }
}
