import type { Logger } from 'pino';
import { AppError } from '../../errors';
import { issuanceJobId, type IssuanceJob, type IssuanceJobRepository } from '../../store/issuance-jobs';
import type { IssuanceDeps } from '../pipeline';
import type { CourseIssuer } from './awards';
import { issueEarnedInCourse, type CourseIssueResult } from './issue-course';

export interface BulkIssuanceOptions {
  deps: IssuanceDeps;
  jobs: IssuanceJobRepository;
  logger: Logger;
  /** This instance (shown as the job's runner). */
  owner: string;
  batchSize: number;
  /** A job whose runner has not written for this long is taken over. */
  staleMs: number;
  now: () => number;
}

/**
 * "Issue all earned" for a course, as a job in the database: asked from a launch (teacher), run at once in the
 * background here, and picked up by any instance (this one after a restart, or another) once its runner has
 * gone silent. A request made while a run is going gets a further run, for awards earned meanwhile.
 */
export class BulkIssuance {
  readonly #running = new Map<string, Promise<CourseIssueResult | null>>();
  #timer: NodeJS.Timeout | null = null;

  constructor(private readonly o: BulkIssuanceOptions) {}

  /** Records the job and starts it here. Fails at once when the institution cannot issue yet. */
  async request(course: CourseIssuer, requestedBy: string): Promise<IssuanceJob> {
    if (!(await this.o.deps.institutions.find(course.platformId)))
      throw new AppError('ISSUER_PROFILE_MISSING', "The institution's profile is not set up yet: ask your registrar to complete it.", { status: 409 });
    const job = await this.o.jobs.request({ ...course, requestedBy }, this.o.owner);
    this.#start(job);
    return job;
  }

  /** Runs every job nobody is running (at start-up: the ones a crash left; then on a timer). */
  async resume(): Promise<void> {
    const staleBefore = new Date(this.o.now() - this.o.staleMs);
    for (const job of await this.o.jobs.pending()) {
      if (this.#running.has(job.id)) continue;
      if (job.runner === this.o.owner || (await this.o.jobs.claim(job, this.o.owner, staleBefore))) this.#start(job);
    }
  }

  /** Resumes now and then every `intervalMs` until stop(). */
  start(intervalMs = Math.max(1000, this.o.staleMs / 2)): void {
    const tick = () => this.resume().catch((err) => this.o.logger.warn({ err: (err as Error).message }, 'bulk issuance: resuming jobs failed'));
    void tick();
    this.#timer = setInterval(() => void tick(), intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** The run of a job going on in this process, if any (tests and the bench wait for it). */
  running(platformId: string, courseId: string): Promise<CourseIssueResult | null> | null {
    return this.#running.get(issuanceJobId(platformId, courseId)) ?? null;
  }

  /** How many jobs run in this process now. */
  get active(): number {
    return this.#running.size;
  }

  #start(job: IssuanceJob): void {
    if (this.#running.has(job.id)) return; // the run going on re-reads the job when it ends
    const run = this.#run(job).finally(() => this.#running.delete(job.id));
    this.#running.set(job.id, run);
  }

  async #run(first: IssuanceJob): Promise<CourseIssueResult | null> {
    let job: IssuanceJob | null = first;
    let last: CourseIssueResult | null = null;
    while (job) {
      const { platformId, platformIssuer, deploymentId, courseId, courseTitle } = job;
      try {
        last = await issueEarnedInCourse(
          this.o.deps,
          { platformId, platformIssuer, deploymentId, courseId, courseTitle },
          {
            batchSize: this.o.batchSize,
            start: Math.random(),
            onBatch: () => this.o.jobs.beat(first.id, this.o.owner),
          },
        );
      } catch (err) {
        // left pending: the next resume (here or elsewhere) tries again once this runner counts as silent
        this.o.logger.error({ err: (err as Error).message, platformId, courseId }, 'bulk issuance failed');
        return null;
      }
      if (last.failed.length) this.o.logger.warn({ platformId, courseId, failed: last.failed }, 'bulk issuance: some awards could not be issued');
      this.o.logger.info({ platformId, courseId, issued: last.issued, alreadyIssued: last.alreadyIssued, failed: last.failed.length }, 'bulk issuance done');
      const finished: boolean = await this.o.jobs.finish(job);
      job = finished ? null : await this.o.jobs.find(job.id);
    }
    return last;
  }
}
