/**
 * Concurrency limit per platform: a 2,000-learner sync makes thousands of WS calls, and one Moodle (often a
 * few PHP-FPM workers) must not get them all at once. Every client of the same platform shares one semaphore.
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError('Semaphore max must be a positive integer');
  }

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async acquire(): Promise<() => void> {
    if (this.active < this.max) {
      this.active++;
    } else {
      // The slot is handed over by release(), so `active` never drops below the real number of holders.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await task();
    } finally {
      release();
    }
  }
}

/** One semaphore per platform key; the first caller's `max` wins for that key. */
export class PlatformLimiters {
  private readonly byKey = new Map<string, Semaphore>();

  forPlatform(key: string, max: number): Semaphore {
    let semaphore = this.byKey.get(key);
    if (!semaphore) {
      semaphore = new Semaphore(max);
      this.byKey.set(key, semaphore);
    }
    return semaphore;
  }
}

/** Process-wide registry, so separate MoodleWsClient instances for one platform still share the limit. */
export const defaultPlatformLimiters = new PlatformLimiters();
