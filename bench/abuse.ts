/**
 * Abuse group: does one stranger's request still freeze every institution's launches?
 *
 * The product runs in its own process (bench/targets/product.ts) with the verify rate limit off, so every
 * hostile body reaches the verifier (the worst case; with the default limit most would be cheap 429s).
 * Reference first, same run: /healthz and full LTI launches (login + launch, test/support/platform-simulator.ts)
 * one after another with no other load. Then the same while BENCH_ABUSE_CLIENTS (20) clients send the hostile
 * bodies of test/support/hostile-credentials.ts to POST /api/verify back to back for BENCH_ABUSE_SECONDS (10).
 * BENCH_ABUSE_VERIFY_LIMIT sets the verify limit per address instead (e.g. 20, the default of the product).
 * Target: p95 of /healthz and of a launch under load < 100 ms, and every hostile request answered 4xx.
 */
import http from 'node:http';
import { PlatformSimulator } from '../test/support/platform-simulator';
import { hostileBodies } from '../test/support/hostile-credentials';
import { note, num, round1, type Figure, type GroupContext } from './common';
import { productTarget } from './launch';
import { launchOnce } from './load';
import { TargetProcess } from './target-process';

const CLIENTS = num('BENCH_ABUSE_CLIENTS', 20);
const SECONDS = num('BENCH_ABUSE_SECONDS', 10);
/** The verify rate limit per client address for the run; 0 (default) turns it off: the worst case. */
const VERIFY_LIMIT = process.env.BENCH_ABUSE_VERIFY_LIMIT ?? '0';
const TARGET_P95_MS = 100;

function send(agent: http.Agent, url: URL, method: string, body?: Buffer, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const p95 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(0.95 * s.length))]! : NaN;
};

/** Runs `fn` one call after another until `until()` is true (at least `min` calls); wall ms of each call. */
async function timed(fn: () => Promise<void>, until: () => boolean, min: number): Promise<number[]> {
  const out: number[] = [];
  while (out.length < min || !until()) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

export async function runAbuseGroup(ctx: GroupContext, onTarget: (t: TargetProcess) => void): Promise<Figure[]> {
  const product = await TargetProcess.fork('product', { env: { MONGODB_URI: ctx.mongo.uri, RATE_LIMIT_VERIFY_PER_MINUTE: VERIFY_LIMIT } });
  onTarget(product);
  const sim = await PlatformSimulator.start();
  const agents = [new http.Agent({ keepAlive: true, maxSockets: 2 }), new http.Agent({ keepAlive: true, maxSockets: CLIENTS })];
  const [probeAgent, hostileAgent] = agents as [http.Agent, http.Agent];
  try {
    const { url } = await product.call<{ url: string }>('start');
    sim.toolUrl = url;
    await product.call('register', sim.platformRegistration());
    const target = productTarget(url, sim);
    let user = 0;
    const launch = () => launchOnce(target, probeAgent, String(100 + (user++ % 50)));
    const health = async () => {
      const status = await send(probeAgent, new URL('/healthz', url), 'GET');
      if (status !== 200) throw new Error(`/healthz answered ${status}`);
    };
    for (let i = 0; i < 10; i++) await launch(); // warm-up (the tool's RSA key, JIT)
    const bodies = hostileBodies();
    // one of each first: proves every body is refused as expected (and starts the verification thread)
    for (const h of bodies) {
      const status = await send(hostileAgent, new URL('/api/verify', url), 'POST', h.body, { 'content-type': 'application/octet-stream' });
      if (status !== h.status) throw new Error(`${h.name}: /api/verify answered ${status}, expected ${h.status}`);
    }

    const idleHealth = await timed(health, () => true, 200);
    const idleLaunch = await timed(launch, () => true, 40);
    note(
      `reference, no load: /healthz p95 ${round1(p95(idleHealth))} ms over ${idleHealth.length}; launch p95 ${round1(p95(idleLaunch))} ms over ${idleLaunch.length}`,
    );

    const end = performance.now() + SECONDS * 1000;
    const over = () => performance.now() >= end;
    const statuses = new Map<number, number>();
    let hostile = 0;
    const client = async (i: number) => {
      for (let k = i; !over(); k++) {
        const h = bodies[k % bodies.length]!;
        const status = await send(hostileAgent, new URL('/api/verify', url), 'POST', h.body, {
          'content-type': 'application/octet-stream',
          'x-forwarded-for': `203.0.113.${i + 1}`,
        });
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        hostile++;
      }
    };
    const [loadHealth, loadLaunch] = await Promise.all([
      timed(health, over, 1),
      timed(launch, over, 1),
      Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i))),
    ]);
    const non4xx = [...statuses].filter(([s]) => s < 400 || s >= 500).reduce((a, [, n]) => a + n, 0);
    note(
      `under load (verify limit ${VERIFY_LIMIT === '0' ? 'off' : `${VERIFY_LIMIT} a minute per address`}): ${CLIENTS} clients, ${hostile} hostile requests in ${SECONDS} s, answers ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    note(
      `under load: /healthz p95 ${round1(p95(loadHealth))} ms over ${loadHealth.length}; launch p95 ${round1(p95(loadLaunch))} ms over ${loadLaunch.length}`,
    );
    const met = p95(loadHealth) < TARGET_P95_MS && p95(loadLaunch) < TARGET_P95_MS && non4xx === 0;
    return [
      { name: 'abuse_healthz_p95_idle', value: round1(p95(idleHealth)), unit: 'ms' },
      { name: 'abuse_healthz_p95_loaded', value: round1(p95(loadHealth)), unit: 'ms' },
      { name: 'abuse_launch_p95_idle', value: round1(p95(idleLaunch)), unit: 'ms' },
      { name: 'abuse_launch_p95_loaded', value: round1(p95(loadLaunch)), unit: 'ms' },
      { name: 'abuse_hostile_rate', value: round1(hostile / SECONDS), unit: 'requests/s' },
      { name: 'abuse_hostile_not_4xx', value: non4xx, unit: 'requests' },
      { name: 'abuse_target_met', value: met ? 1 : 0, unit: 'bool' },
    ];
  } finally {
    for (const a of agents) a.destroy();
    await product.stop().catch(() => product.kill());
    await sim.stop().catch(() => undefined);
  }
}
