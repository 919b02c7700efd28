/**
 * The tool as `npm start` runs it (src/main.ts: buildApp, the sync scheduler, the expiry sweeper), in this
 * process with NODE_ENV=development, listening on 127.0.0.1 (port 3000 when free) and reached as
 * http://localhost:<port>, a different site from the simulated Moodle on 127.0.0.1 (a cross-site embed, as in
 * production). Its log goes to a file; warnings and errors are echoed to the console.
 */
import { createWriteStream } from 'node:fs';
import http from 'node:http';
import { Writable } from 'node:stream';
import { buildApp, type App } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { createLogger } from '../../src/http/middleware/request-context';
import { openDatabase, type Database } from '../../src/store/connection';
import { sweepExpired } from '../../src/store/indexes';
import { LoginStateRepository } from '../../src/store/login-states';
import { ltijsExpiringCollections } from '../../src/store/ltijs-database';
import { SessionRepository } from '../../src/store/sessions';
import { startSyncScheduler } from '../../src/sync/scheduler';
import { WALLET_EXPIRING_COLLECTIONS } from '../../src/wallet';
import { listenPreferring } from '../../test/support/demo-moodle';

export interface DemoTool extends App {
  url: string;
  server: http.Server;
  port: number;
  config: Config;
  db: Database;
  logFile: string;
  stop(): Promise<void>;
}

const LEVEL_NAMES: Record<number, string> = { 40: 'warn', 50: 'error', 60: 'fatal' };

export async function startDemoTool(options: { mongodbUri: string; port: number; logFile: string; echo: (line: string) => void }): Promise<DemoTool> {
  const server = http.createServer();
  const port = await listenPreferring(server, options.port);
  const url = `http://localhost:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    MONGODB_URI: options.mongodbUri,
  };
  const loaded = loadConfig(env);
  if (!loaded.ok) {
    server.close();
    throw new Error(`the tool's configuration has problems:\n  - ${loaded.problems.join('\n  - ')}`);
  }
  const file = createWriteStream(options.logFile, { flags: 'w' });
  const sink = new Writable({
    write(chunk, _enc, cb) {
      const line = String(chunk);
      file.write(line);
      try {
        const entry = JSON.parse(line) as {
          level: number;
          msg?: string;
          code?: string;
          status?: number;
          err?: { message?: string };
          req?: { method?: string; url?: string };
        };
        // a request answered with a 4xx (a refused claim, an expired session) is the tool working: only in the file
        const clientError = entry.req && typeof entry.status === 'number' && entry.status < 500;
        if (entry.level >= 40 && !clientError)
          options.echo(
            `tool ${LEVEL_NAMES[entry.level] ?? entry.level}: ${[entry.code, entry.msg, entry.err?.message].filter(Boolean).join(' — ')}${entry.req ? ` (${entry.req.method} ${entry.req.url})` : ''}`,
          );
      } catch {
        // not JSON: only in the file
      }
      cb();
    },
  });
  const logger = createLogger(loaded.config.logLevel, sink);
  const db = await openDatabase(loaded.config.mongodbUri!);
  const built = await buildApp({ config: loaded.config, db, logger });
  server.on('request', built.app);
  const stopScheduler = startSyncScheduler(built.sync, logger, loaded.config.sync.intervalMinutes * 60_000);
  const expiring = [...ltijsExpiringCollections(), LoginStateRepository.collection, SessionRepository.collection, ...WALLET_EXPIRING_COLLECTIONS];
  const sweeper = setInterval(() => {
    sweepExpired(db.connection, expiring).catch((err) => logger.warn({ err: err.message }, 'expiry sweep failed'));
  }, 60_000);
  sweeper.unref();
  logger.info({ port, publicUrl: url }, 'demo tool listening');
  return {
    ...built,
    url,
    server,
    port,
    config: loaded.config,
    db,
    logFile: options.logFile,
    async stop() {
      clearInterval(sweeper);
      stopScheduler();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await db.close().catch(() => undefined);
      await new Promise((r) => file.end(r));
    },
  };
}
