/**
 * The load generator: complete LTI 1.3 launches over real HTTP, as Moodle and a browser make them.
 *   1. POST <login> with Moodle's login-initiation form           → 302 to the platform's auth endpoint
 *      (state and nonce read from its query, cookies from Set-Cookie)
 *   2. the simulated platform signs an id_token carrying that nonce
 *   3. POST <launch> with id_token + state and the cookies returned  → the tool's success answer
 * Redirects are never followed: a launch ends with the tool's answer to step 3 (see bench/README.md).
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import type { PlatformSimulator } from '../test/support/platform-simulator';

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export function postForm(agent: http.Agent, url: URL, form: Record<string, string>, cookie?: string): Promise<HttpAnswer> {
  const body = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
          ...(cookie ? { cookie } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export interface LaunchTarget {
  /** Figure suffix: product, bare_ltijs. */
  name: string;
  baseUrl: string;
  loginPath: string;
  launchPath: string;
  sim: PlatformSimulator;
  loginForm(userId: string): Record<string, string>;
  claims(nonce: string, userId: string): Record<string, unknown>;
  /** Throws unless the launch answer is the tool's success. */
  checkLaunch(res: HttpAnswer): void;
}

export class LaunchFailed extends Error {}

const snippet = (s: string) => s.replace(/\s+/g, ' ').slice(0, 300);

/** One complete launch; throws LaunchFailed on anything but the expected answers. */
export async function launchOnce(target: LaunchTarget, agent: http.Agent, userId: string): Promise<void> {
  const login = await postForm(agent, new URL(target.loginPath, target.baseUrl), target.loginForm(userId));
  if (login.status !== 302) throw new LaunchFailed(`${target.name}: login answered ${login.status}, expected 302: ${snippet(login.body)}`);
  const location = new URL(String(login.headers.location));
  if (location.origin + location.pathname !== target.sim.authUrl)
    throw new LaunchFailed(`${target.name}: login redirected to ${location.origin}${location.pathname}, not the platform's auth endpoint`);
  const state = location.searchParams.get('state');
  const nonce = location.searchParams.get('nonce');
  const redirectUri = location.searchParams.get('redirect_uri');
  if (!state || !nonce) throw new LaunchFailed(`${target.name}: login redirect lacks state or nonce`);
  if (redirectUri !== new URL(target.launchPath, target.baseUrl).toString())
    throw new LaunchFailed(`${target.name}: redirect_uri is ${redirectUri}, expected ${target.launchPath} of the tool`);
  const cookie = ([] as string[])
    .concat(login.headers['set-cookie'] ?? [])
    .map((c) => c.split(';')[0])
    .join('; ');
  if (!cookie) throw new LaunchFailed(`${target.name}: login set no state cookie`);

  const idToken = await target.sim.sign(target.claims(nonce, userId) as Parameters<PlatformSimulator['sign']>[0]);
  const launch = await postForm(agent, new URL(target.launchPath, target.baseUrl), { id_token: idToken, state }, cookie);
  target.checkLaunch(launch);
}

export interface RunResult {
  launches: number;
  seconds: number;
  rate: number;
  p50Ms: number;
  p95Ms: number;
}

function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

let userCounter = 0;
/** Launching users cycle over a class of 50, so ltijs's per-user records are replaced, not only added. */
const nextUser = () => String(100 + (userCounter++ % 50));

/**
 * Closed loop: `concurrency` workers launch back to back until `count` launches are done. A fixed count (not
 * a fixed duration) keeps both tools' databases the same size round for round: FerretDB's SQLite handler
 * scans collections instead of using indexes, so a find costs more as documents pile up (nonces, tokens).
 * Rate = launches / wall time from the first request to the last answer. Any failed launch stops every
 * worker and rejects.
 */
export async function runLaunches(target: LaunchTarget, agent: http.Agent, concurrency: number, count: number): Promise<RunResult> {
  const latencies: number[] = [];
  let failure: Error | null = null;
  let tickets = count;
  const start = performance.now();
  const worker = async () => {
    while (!failure && tickets > 0) {
      tickets--;
      const t = performance.now();
      try {
        await launchOnce(target, agent, nextUser());
      } catch (err) {
        failure ??= err as Error;
        return;
      }
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  if (failure) throw failure;
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    launches: latencies.length,
    seconds: elapsed,
    rate: latencies.length / elapsed,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
  };
}
