/**
 * What a real Moodle charges per web-service call, for the fake Moodle (fake-moodle-ws.ts): a "Moodle-seconds"
 * cost per call, scaled down by `scale` for tests and benches, run on a simulated PHP-FPM pool (requests beyond
 * `workers` at once queue) on a machine of `cores` CPUs (calls beyond `cores` at once share them).
 *
 * Costs measured on Moodle 4.5.6 (PHP-FPM + PostgreSQL, 2 cores) with the generator's size-M course: 1,000
 * learners, 101 grade items. gradereport_user_get_grade_items: 289 s for the whole course (userid=0), 0.25 s for one
 * user (≈ 2.5 ms per user × grade item); core_completion_get_activities_completion_status 0.10 s;
 * core_completion_get_course_completion_status 0.08 s; core_enrol_get_enrolled_users ≈ 3 s for 1,000 users.
 * The fake's course has fewer grade items than that course: `gradeItems` is what the report is charged for.
 */
export interface MoodleCostModel {
  /** Wall time = Moodle-seconds × scale (e.g. 0.01: one real second is 10 ms here). */
  scale: number;
  /** PHP-FPM pool size (pm.max_children; Debian's default pool has 5). */
  workers?: number;
  /** CPUs of the Moodle machine: more calls than this at once share them. */
  cores?: number;
  /** Grade items charged per user in a grade report. Default 101 (the size-M course). */
  gradeItems?: number;
}

export const MOODLE_COSTS = {
  gradeReportPerUserItem: 0.0025,
  activitiesCompletion: 0.1,
  courseCompletion: 0.08,
  rosterPerUser: 0.003,
  courseContents: 0.3,
  other: 0.05,
} as const;

/** Moodle-seconds of one call: `users` is how many users the answer covers (report rows, roster page). */
export function callCost(model: MoodleCostModel, wsfunction: string, users: number): number {
  switch (wsfunction) {
    case 'gradereport_user_get_grade_items':
      return MOODLE_COSTS.gradeReportPerUserItem * Math.max(1, users) * (model.gradeItems ?? 101);
    case 'core_completion_get_activities_completion_status':
      return MOODLE_COSTS.activitiesCompletion;
    case 'core_completion_get_course_completion_status':
      return MOODLE_COSTS.courseCompletion;
    case 'core_enrol_get_enrolled_users':
      return MOODLE_COSTS.other + MOODLE_COSTS.rosterPerUser * users;
    case 'core_course_get_contents':
      return MOODLE_COSTS.courseContents;
    default:
      return MOODLE_COSTS.other;
  }
}

/**
 * The simulated server: `run(cost)` waits for a PHP-FPM worker, then for its share of the CPUs (processor sharing:
 * with k calls running on c cores each advances at min(1, c/k) Moodle-seconds per second).
 */
export class SimulatedMoodleServer {
  private readonly workers: number;
  private readonly cores: number;
  private busy = 0;
  private readonly queue: Array<() => void> = [];
  private readonly running = new Set<{ left: number; done: () => void }>();
  private lastTick = 0;
  private timer: NodeJS.Timeout | null = null;
  /** Moodle-seconds charged so far (unscaled). */
  moodleSeconds = 0;
  /** Highest number of calls waiting for a worker. */
  maxQueued = 0;

  constructor(readonly model: MoodleCostModel) {
    this.workers = model.workers ?? 5;
    this.cores = model.cores ?? 2;
  }

  async run(cost: number): Promise<void> {
    this.moodleSeconds += cost;
    if (this.busy >= this.workers) {
      await new Promise<void>((resolve) => this.queue.push(resolve));
      this.maxQueued = Math.max(this.maxQueued, this.queue.length + 1);
    } else this.busy++;
    try {
      await new Promise<void>((done) => {
        this.advance();
        this.running.add({ left: cost * this.model.scale * 1000, done });
        this.schedule();
      });
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.busy--;
    }
  }

  /** Moves every running call forward by the time elapsed at the current share, finishing those done. */
  private advance() {
    const now = performance.now();
    const elapsed = now - this.lastTick;
    this.lastTick = now;
    if (!this.running.size) return;
    const rate = Math.min(1, this.cores / this.running.size);
    for (const call of this.running) {
      call.left -= elapsed * rate;
      if (call.left <= 0.01) {
        this.running.delete(call);
        call.done();
      }
    }
  }

  private schedule() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.running.size) return;
    const rate = Math.min(1, this.cores / this.running.size);
    const soonest = Math.min(...[...this.running].map((c) => c.left)) / rate;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.advance();
        this.schedule();
      },
      Math.max(0, soonest),
    );
  }
}
