import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { buildApp, type App } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { createLogger } from '../../src/http/middleware/request-context';
import { freshDatabase } from './db';

export const TEST_SECRETS = {
  LTI_ENCRYPTION_KEY: 'test-lti-encryption-key-0123456789abcdef',
  ISSUER_KEY_ENCRYPTION_KEY: 'test-issuer-key-encryption-key-0123456789',
  SESSION_SECRET: 'test-session-secret-0123456789abcdef0123',
};

export interface RunningTool extends App {
  url: string;
  config: Config;
  db: Awaited<ReturnType<typeof freshDatabase>>;
  logs: string[];
  stop(): Promise<void>;
}

/**
 * The real app on a fresh database, listening on 127.0.0.1 (the simulator's token endpoint and the
 * browser tests call it over HTTP; supertest can use `url`). Logs are captured so tests can check them.
 */
export async function startTool(options: { env?: Record<string, string>; now?: () => number; host?: string } = {}): Promise<RunningTool> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  const loaded = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: url, LOG_LEVEL: 'info', ...TEST_SECRETS, ...options.env });
  if (!loaded.ok) throw new Error(loaded.problems.join('; '));
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const db = await freshDatabase();
  const built = await buildApp({ config: loaded.config, db, logger: createLogger('info', sink), now: options.now, jwksCooldownMs: 0 });
  server.on('request', built.app);
  return {
    ...built,
    url,
    config: loaded.config,
    db,
    logs,
    async stop() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await built.issuance.close();
      await db.drop();
    },
  };
}
