/**
 * Bench target: the product (buildApp from src/app.ts) on 127.0.0.1 with a fresh database on the bench's
 * MongoDB-protocol server, run in its own process. Same wiring as test/support/tool.ts (startTool), except
 * that request logs are serialised at the default level (info) and discarded instead of kept in memory,
 * so they neither grow the RSS figure nor cost less than production logging would.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/http/middleware/request-context';
import { openDatabase, type Database } from '../../src/store/connection';
import type { NewPlatform } from '../../src/store/platforms';
import { freshDatabase } from '../../test/support/db';
import { TEST_SECRETS } from '../../test/support/tool';
import { profiling, serveTarget, spans, watchHttp } from './serve';

/** Like freshDatabase(), with driver command monitoring on (only under BENCH_PROFILE=1). */
async function monitoredDatabase(): Promise<Database & { drop(): Promise<void> }> {
  const url = new URL(process.env.MONGODB_URI!);
  url.pathname = `/bench_product_${Date.now().toString(36)}`;
  url.searchParams.set('monitorCommands', 'true');
  const db = await openDatabase(url.toString());
  spans.watchClient(db.connection.getClient());
  return {
    ...db,
    async drop() {
      await db.connection.dropDatabase().catch(() => undefined);
      await db.close();
    },
  };
}

async function start() {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // the abuse group sets the verification threads and rate limits through the environment
  const limits = Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(RATE_LIMIT|VERIFY)_/.test(k))) as Record<string, string>;
  const loaded = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: url, ...TEST_SECRETS, ...limits });
  if (!loaded.ok) throw new Error(loaded.problems.join('; '));
  const discard = new Writable({
    write(_chunk, _enc, cb) {
      cb();
    },
  });
  const db = profiling ? await monitoredDatabase() : await freshDatabase();
  watchHttp();
  const built = await buildApp({ config: loaded.config, db, logger: createLogger(loaded.config.logLevel, discard) });
  server.on('request', built.app);
  return { server, url, db, built };
}

let running: Awaited<ReturnType<typeof start>> | null = null;

serveTarget({
  handlers: {
    async start() {
      running = await start();
      return { url: running.url, logLevel: 'info' };
    },
    async register(arg) {
      await running!.built.registry.register(arg as NewPlatform);
      return true;
    },
  },
  db: () => running!.db.connection.db!,
  async stop() {
    if (running) {
      running.server.closeAllConnections();
      await new Promise((r) => running!.server.close(r));
      await running.db.drop();
    }
  },
});
