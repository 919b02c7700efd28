/** Shared set-up for the Moodle web-service tests: a fake server, a client on it, assertions about errors. */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { AppError } from '../../../../src/errors.js';
import { MoodleDataSource, type MoodleDataSourceOptions } from '../../../../src/lms/moodle/data-source.js';
import { PlatformLimiters } from '../../../../src/lms/moodle/semaphore.js';
import { MoodleWsClient, type MoodleWsClientOptions } from '../../../../src/lms/moodle/ws-client.js';
import { startFakeMoodleWs, type FakeMoodleWs, type FakeMoodleWsOptions } from '../../../support/fake-moodle-ws.js';

export interface WsHarness {
  fake: FakeMoodleWs;
  client: MoodleWsClient;
  source: MoodleDataSource;
  limiters: PlatformLimiters;
  /** Another client on the same fake, e.g. with other options. */
  newClient(options?: Partial<MoodleWsClientOptions>): MoodleWsClient;
}

export async function startWsHarness(
  options: { fake?: FakeMoodleWsOptions; client?: Partial<MoodleWsClientOptions>; source?: Partial<MoodleDataSourceOptions> } = {},
): Promise<WsHarness> {
  const fake = await startFakeMoodleWs(options.fake);
  // A registry per harness, so the per-platform limit of one test never throttles another.
  const limiters = new PlatformLimiters();
  const newClient = (extra: Partial<MoodleWsClientOptions> = {}) =>
    new MoodleWsClient({ siteUrl: fake.siteUrl, token: fake.token, platformId: 'moodle-test', retryBaseDelayMs: 5, limiters, ...options.client, ...extra });
  const client = newClient();
  const source = new MoodleDataSource({ platformId: 'moodle-test', client, ...options.source });
  return { fake, client, source, limiters, newClient };
}

/** Awaits a rejection with `code`, and checks that the token is nowhere in it. */
export async function rejection(promise: Promise<unknown>, code: string, token?: string): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    assert.equal(err.code, code, `expected ${code}, got ${err.code}: ${err.message}`);
    if (token) assertNoToken(err, token);
    return err;
  }
  assert.fail(`expected a rejection with ${code}`);
}

/** The token must not be in the message, the details, the stack, the cause or any printed form of the error. */
export function assertNoToken(err: unknown, token: string): void {
  const forms = [
    inspect(err, { depth: 10, showHidden: true }),
    JSON.stringify(err),
    JSON.stringify((err as AppError).details ?? {}),
    String((err as Error).message),
    String((err as Error).stack),
  ];
  for (const form of forms) assert.ok(!form.includes(token), `token leaked into: ${form.slice(0, 400)}`);
}
