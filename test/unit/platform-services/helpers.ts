/** Shared setup for the platform-services tests: one RSA key pair per run, a fake Moodle, a virtual clock. */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import { AppError } from '../../../src/errors.js';
import { createPlatformServices, type PlatformServices, type PlatformServicesOptions } from '../../../src/lms/platform-services/index.js';
import { startFakeMoodle, type FakeMoodle, type FakeMoodleOptions } from '../../support/fake-lti-services.js';

export const KID = 'tool-key-2026';
export const CLIENT_ID = 'vZOkpoZF2bDqSgr'; // the captured manual tool registration

interface ToolKeys {
  pkcs1Pem: string;
  pkcs8Pem: string;
  publicKey: KeyObject;
}
let keys: ToolKeys | undefined;

export function toolKeys(): ToolKeys {
  if (!keys) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    keys = {
      pkcs1Pem: pair.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
      pkcs8Pem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKey: pair.publicKey,
    };
  }
  return keys;
}

/** Moodle's clock and the tool's clock; the tool runs `toolOffsetMs` ahead. Both can be advanced. */
export class Clocks {
  moodleMs = Date.now();
  toolOffsetMs = 0;
  readonly moodle = () => this.moodleMs;
  readonly tool = () => this.moodleMs + this.toolOffsetMs;
  advance(ms: number) {
    this.moodleMs += ms;
  }
}

export interface Harness {
  fake: FakeMoodle;
  services: PlatformServices;
  clocks: Clocks;
}

export async function startHarness(
  options: {
    toolOffsetMs?: number;
    fake?: Partial<FakeMoodleOptions>;
    services?: Partial<PlatformServicesOptions>;
    privateKeyPem?: string;
  } = {},
): Promise<Harness> {
  const clocks = new Clocks();
  clocks.toolOffsetMs = options.toolOffsetMs ?? 0;
  const fake = await startFakeMoodle({ kid: KID, publicKey: toolKeys().publicKey, now: clocks.moodle, ...options.fake });
  const services = createPlatformServices({
    credentials: {
      clientId: CLIENT_ID,
      tokenEndpoint: fake.tokenEndpoint,
      privateKeyPem: options.privateKeyPem ?? toolKeys().pkcs1Pem,
      kid: KID,
    },
    now: clocks.tool,
    retryBaseDelayMs: 5,
    ...options.services,
  });
  return { fake, services, clocks };
}

/** Everything an error could leak through: message, stack, details, cause chain, own props. */
export function errorText(err: unknown): string {
  return [inspect(err, { depth: 10, showHidden: true }), err instanceof AppError ? JSON.stringify(err.details ?? {}) : ''].join('\n');
}

/** Asserts the promise rejects with an AppError of `code` and returns it. */
export async function rejection(promise: Promise<unknown>, code: string): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    if (!(err instanceof AppError)) throw new Error(`expected AppError ${code}, got ${inspect(err)}`, { cause: err });
    if (err.code !== code) throw new Error(`expected ${code}, got ${err.code}: ${err.message}`, { cause: err });
    return err;
  }
  throw new Error(`expected rejection with ${code}`);
}

export function assertNoSecrets(err: unknown, secrets: readonly string[]): void {
  const text = errorText(err);
  for (const secret of secrets) {
    if (text.includes(secret)) throw new Error(`error leaks a secret: ${secret.slice(0, 12)}…`);
  }
  if (/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/.test(text)) throw new Error('error leaks a JWT (client assertion?)');
}
