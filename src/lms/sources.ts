import type { CourseDataSource } from './data-source';
import { createMoodleDataSource } from './moodle';
import type { WsLogger } from './moodle/ws-client';
import type { WsConnectionRepository } from '../store/ws-connections';

/**
 * The data source of each platform, from the web-service connection its admin saved; null when the platform
 * has none (the weaker launch-evidence mode). Kept per platform so clients share caches and limits.
 */
export class DataSources {
  private readonly cache = new Map<string, { key: string; source: CourseDataSource }>();

  constructor(
    private readonly connections: WsConnectionRepository,
    private readonly options: { timeoutMs?: number; fetch?: typeof fetch; now?: () => number; concurrency?: number; logger?: WsLogger } = {},
  ) {}

  async forPlatform(platformId: string): Promise<CourseDataSource | null> {
    const conn = await this.connections.find(platformId);
    if (!conn) return null;
    const key = `${conn.siteUrl}\u0000${conn.token}`;
    const cached = this.cache.get(platformId);
    if (cached?.key === key) return cached.source;
    const source = this.create(platformId, conn.siteUrl, conn.token);
    this.cache.set(platformId, { key, source });
    return source;
  }

  /** A source for credentials not saved yet (the admin's "test and save"). */
  create(platformId: string, siteUrl: string, token: string): CourseDataSource {
    const clock = this.options.now;
    // snapshots are stamped with the app clock, so change detection compares times of one clock
    // one bound for both: requests in flight on the site, and learners read at once
    const concurrency = this.options.concurrency;
    return createMoodleDataSource({
      platformId,
      siteUrl,
      token,
      timeoutMs: this.options.timeoutMs,
      fetch: this.options.fetch,
      maxConcurrency: concurrency,
      learnerConcurrency: concurrency,
      logger: this.options.logger,
      ...(clock ? { now: () => new Date(clock()) } : {}),
    });
  }
}
