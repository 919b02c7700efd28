/**
 * What both bench targets (product.ts, bare-ltijs.ts) answer alike over serveCommands: `counts` (documents per
 * collection of the target's database), `spans` and `resetSpans` (BENCH_PROFILE=1 timing), and `stop` (the
 * target's own clean-up, then exit); each target adds its own `start`, `register` and whatever else it needs.
 */
import { serveCommands, type Handler } from './child';
import { Spans } from './timing';

export const profiling = process.env.BENCH_PROFILE === '1';
export const spans = new Spans();

/** Timing spans of this process's HTTP traffic, both ways (only under BENCH_PROFILE=1). */
export function watchHttp() {
  if (!profiling) return;
  spans.watchOutgoingHttp();
  spans.watchIncomingHttp();
}

/** The part of a MongoDB driver Db that `counts` reads (the product's and ltijs's mongoose bundle different drivers). */
export interface CountableDb {
  listCollections(): { toArray(): Promise<{ name: string }[]> };
  collection(name: string): { countDocuments(): Promise<number> };
}

export function serveTarget(target: { handlers: Record<string, Handler>; db(): CountableDb; stop(): Promise<void> }) {
  serveCommands({
    ...target.handlers,
    async counts() {
      const db = target.db();
      const out: Record<string, number> = {};
      for (const c of await db.listCollections().toArray()) out[c.name] = await db.collection(c.name).countDocuments();
      return out;
    },
    spans: () => spans.snapshot(),
    resetSpans: () => spans.reset(),
    async stop() {
      await target.stop();
      setTimeout(() => process.exit(0), 20);
      return true;
    },
  });
}
