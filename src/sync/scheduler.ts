import type { Logger } from 'pino';
import type { BadgeRepository } from '../store/badges';
import { runCourseSync, type CourseSyncDeps } from './course-sync';

/**
 * Syncs every course that has a defined badge, one after another, every `intervalMs`. Safe with several
 * instances: each course sync takes the course's lease, so a course runs on one instance at a time.
 */
export function startSyncScheduler(deps: CourseSyncDeps & { badges: BadgeRepository }, logger: Logger, intervalMs: number): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      for (const { platformId, courseId } of await deps.badges.coursesWithDefinitions()) {
        const outcome = await runCourseSync(deps, platformId, courseId, 'schedule');
        if (outcome.started && outcome.run.status === 'failed') logger.warn({ platformId, courseId, error: outcome.run.error }, 'scheduled sync failed');
      }
    } catch (err) {
      logger.error({ err }, 'sync scheduler round failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
