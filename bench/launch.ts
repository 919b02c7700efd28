/**
 * Launch group: launches per second through the full LTI 1.3 login + launch path, product vs bare ltijs.
 *
 * - Each tool runs in its own child process on 127.0.0.1 with its own database on the bench's MongoDB-protocol
 *   server; this process runs the simulated Moodle (test/support/platform-simulator.ts) and the load generator
 *   (bench/load.ts).
 * - Warm-up (a fixed number of launches per tool), then rounds alternating between the two tools (order
 *   flipped every round). Every round of either tool makes the same number of launches (sized from the
 *   warm-up to last about BENCH_ROUND_SECONDS), so both databases grow alike (see bench/load.ts). The figure
 *   of each tool is the median of its rounds' rates; the ratio is product / bare ltijs.
 * Environment knobs: BENCH_ROUNDS (8), BENCH_ROUND_SECONDS (3), BENCH_LAUNCHES_PER_ROUND (derived),
 * BENCH_WARMUP_LAUNCHES (40), BENCH_CONCURRENCY (8),
 * BENCH_PROFILE=1 (timing spans per HTTP route and database command; figures not written),
 * BENCH_CPU_PROF=<dir> (V8 CPU profiles of both tool processes during the measured rounds, into <dir>; summarise
 * them with bench/cpuprofile-summary.ts).
 */
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { PlatformSimulator } from '../test/support/platform-simulator';
import { machineCpuMs, median, note, num, ownCpuMs, round1, type Figure, type GroupContext } from './common';
import { LaunchFailed, launchOnce, runLaunches, type HttpAnswer, type LaunchTarget, type RunResult } from './load';
import { TargetProcess } from './target-process';
import type { SpanStats } from './targets/timing';

export { LaunchFailed };

const ROUNDS = num('BENCH_ROUNDS', 8);
const ROUND_SECONDS = num('BENCH_ROUND_SECONDS', 3);
const WARMUP_LAUNCHES = num('BENCH_WARMUP_LAUNCHES', 40);
const LAUNCHES_PER_ROUND = process.env.BENCH_LAUNCHES_PER_ROUND ? num('BENCH_LAUNCHES_PER_ROUND', 0) : null;
const CONCURRENCY = num('BENCH_CONCURRENCY', 8);
const TARGET_RATIO = 80;

/** The product as a launch target: a launch must answer 303 to /app with a session. Also used by the abuse group. */
export function productTarget(url: string, sim: PlatformSimulator): LaunchTarget {
  return {
    name: 'product',
    baseUrl: url,
    loginPath: '/lti/login',
    launchPath: '/lti/launch',
    sim,
    loginForm: (userId) => sim.loginForm(userId),
    claims: (nonce, userId) => sim.claims('student', nonce, { sub: userId }),
    checkLaunch(res: HttpAnswer) {
      const location = String(res.headers.location ?? '');
      if (res.status !== 303 || !/^\/app\?s=[A-Za-z0-9_-]{43}$/.test(location))
        throw new LaunchFailed(`product: launch answered ${res.status} ${location}, expected 303 to /app?s=…: ${res.body.slice(0, 300)}`);
    },
  };
}

function bareTarget(url: string, sim: PlatformSimulator): LaunchTarget {
  const launchUrl = `${url}/launch`;
  return {
    name: 'bare_ltijs',
    baseUrl: url,
    loginPath: '/login',
    launchPath: '/launch',
    sim,
    loginForm: (userId) => sim.loginForm(userId, { target_link_uri: launchUrl }),
    claims: (nonce, userId) => sim.claims('student', nonce, { sub: userId, 'https://purl.imsglobal.org/spec/lti/claim/target_link_uri': launchUrl }),
    checkLaunch(res: HttpAnswer) {
      const location = String(res.headers.location ?? '');
      if (res.status !== 302 || !/^\/launch\?ltik=[\w.-]+$/.test(location))
        throw new LaunchFailed(`bare_ltijs: launch answered ${res.status} ${location}, expected 302 to /launch?ltik=…: ${res.body.slice(0, 300)}`);
    },
  };
}

function printSpans(name: string, spans: Record<string, SpanStats>, launches: number) {
  note(`timing spans of ${name} over ${launches} measured launches (wall ms; concurrent spans overlap):`);
  for (const [span, s] of Object.entries(spans))
    note(
      `  ${span.padEnd(44)} n=${String(s.count).padStart(6)}  per launch ${(s.count / launches).toFixed(2)}×  avg ${(s.totalMs / s.count).toFixed(2)} ms  ` +
        `per launch ${(s.totalMs / launches).toFixed(2)} ms  max ${s.maxMs.toFixed(1)} ms`,
    );
}

/** `onTarget` gets each tool process as soon as it is forked, so Ctrl-C can kill it. */
export async function runLaunchGroup(ctx: GroupContext, onTarget: (t: TargetProcess) => void): Promise<Figure[]> {
  const PROFILE = ctx.profile;
  const CPU_PROF_DIR = ctx.cpuProfDir;
  const targets: TargetProcess[] = [];
  const sims: PlatformSimulator[] = [];
  const agents: http.Agent[] = [];
  try {
    const env: Record<string, string> = { MONGODB_URI: ctx.mongo.uri, ...(PROFILE ? { BENCH_PROFILE: '1' } : {}) };
    const [product, bare] = await Promise.all([TargetProcess.fork('product', { env }), TargetProcess.fork('bare-ltijs', { env })]);
    targets.push(product, bare);
    onTarget(product);
    onTarget(bare);
    const [productInfo, bareInfo] = await Promise.all([
      product.call<{ url: string; logLevel: string }>('start'),
      bare.call<{ url: string; mongoose: string; database: string }>('start'),
    ]);
    const [productSim, bareSim] = await Promise.all([PlatformSimulator.start(), PlatformSimulator.start()]);
    sims.push(productSim, bareSim);
    productSim.toolUrl = productInfo.url;
    bareSim.toolUrl = bareInfo.url;
    // both register generate the tool's 4096-bit RSA key pair (ltijs), once, before any measurement
    await Promise.all([
      product.call('register', productSim.platformRegistration()),
      bare.call('register', {
        url: bareSim.issuer,
        name: 'Simulated Moodle',
        clientId: bareSim.clientId,
        authenticationEndpoint: bareSim.authUrl,
        accesstokenEndpoint: bareSim.tokenUrl,
        authConfig: { method: 'JWK_SET', key: bareSim.jwksUrl },
      }),
    ]);

    const productAgent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const bareAgent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    agents.push(productAgent, bareAgent);
    const runs = [
      { target: productTarget(productInfo.url, productSim), agent: productAgent, proc: product },
      { target: bareTarget(bareInfo.url, bareSim), agent: bareAgent, proc: bare },
    ] as const;

    // one launch each first: proves both paths work before anything is timed
    for (const r of runs) await launchOnce(r.target, r.agent, '4');
    const ltijsIndexes = await bare.call<{
      indexes: Record<string, string[]>;
      indexErrors: string[];
      asked: Array<{ collection: string; key: string; ttl: boolean }>;
    }>('indexes');
    const kept = (a: { collection: string; key: string }) => (ltijsIndexes.indexes[a.collection] ?? []).some((i) => i.startsWith(a.key));
    const askedTtl = ltijsIndexes.asked.filter((a) => a.ttl);
    const missingOther = ltijsIndexes.asked.filter((a) => !a.ttl && !kept(a));
    note(
      `bare ltijs: mongoose ${bareInfo.mongoose} (its bundled global connection); its schemas ask for ${askedTtl.length} TTL indexes, ` +
        `the server kept ${askedTtl.filter(kept).length}; ${ltijsIndexes.indexErrors.length} index build error(s) reported` +
        `${ltijsIndexes.indexErrors.length ? ` (e.g. ${ltijsIndexes.indexErrors[0]})` : ''}; ` +
        `non-TTL indexes missing as a result: ${missingOther.map((a) => `${a.collection} ${a.key}`).join(', ') || 'none'}; launches work regardless`,
    );
    const idleRss = await Promise.all(runs.map((r) => r.proc.call<number>('resetPeakRss')));
    const warmRates: number[] = [];
    for (const r of runs) {
      const w = await runLaunches(r.target, r.agent, CONCURRENCY, WARMUP_LAUNCHES);
      warmRates.push(w.rate);
      note(`warm-up ${r.target.name}: ${w.launches} launches, ${round1(w.rate)}/s`);
    }
    const perRound = LAUNCHES_PER_ROUND ?? Math.max(30, Math.min(5000, Math.round(Math.min(...warmRates) * ROUND_SECONDS)));
    note(
      `product logs at ${productInfo.logLevel} to a discarding sink; concurrency ${CONCURRENCY}; ${ROUNDS} rounds × ${perRound} launches per tool, alternating`,
    );
    if (PROFILE) await Promise.all(runs.map((r) => r.proc.call('resetSpans')));
    if (CPU_PROF_DIR) await Promise.all(runs.map((r) => r.proc.call('cpuProfileStart')));

    const results: Record<string, RunResult[]> = { product: [], bare_ltijs: [] };
    // CPU time used during the measured rounds (ms): the tool's process, the database server, this process
    const cpu: Record<string, { tool: number; db: number; loadgen: number }> = {
      product: { tool: 0, db: 0, loadgen: 0 },
      bare_ltijs: { tool: 0, db: 0, loadgen: 0 },
    };
    const foreignShares: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const order = i % 2 === 0 ? runs : [...runs].reverse();
      for (const r of order) {
        const other = r === runs[0] ? runs[1] : runs[0];
        const before = {
          tool: await r.proc.call<number>('cpuMs'),
          idleTool: await other.proc.call<number>('cpuMs'),
          db: ctx.mongo.cpuMs() ?? 0,
          loadgen: ownCpuMs(),
          machine: machineCpuMs(),
        };
        const res = await runLaunches(r.target, r.agent, CONCURRENCY, perRound);
        const machine = machineCpuMs();
        const c = cpu[r.target.name]!;
        const used = {
          tool: (await r.proc.call<number>('cpuMs')) - before.tool,
          idleTool: (await other.proc.call<number>('cpuMs')) - before.idleTool,
          db: (ctx.mongo.cpuMs() ?? 0) - before.db,
          loadgen: ownCpuMs() - before.loadgen,
        };
        c.tool += used.tool;
        c.db += used.db;
        c.loadgen += used.loadgen;
        results[r.target.name]!.push(res);
        // CPU the rest of the machine took meanwhile (other people's tests, browsers…): context for noisy rounds
        let foreign = '';
        if (machine && before.machine && ctx.mongo.kind === 'ferretdb') {
          const share = (machine.busy - before.machine.busy - (used.tool + used.idleTool + used.db + used.loadgen)) / (machine.total - before.machine.total);
          foreign = `, other processes ${Math.max(0, Math.round(share * 100))} % of the machine`;
          foreignShares.push(Math.max(0, share));
        }
        note(
          `round ${i + 1} ${r.target.name.padEnd(10)} ${String(res.launches).padStart(5)} launches in ${res.seconds.toFixed(2)} s = ${round1(res.rate)}/s ` +
            `(p50 ${res.p50Ms.toFixed(1)} ms, p95 ${res.p95Ms.toFixed(1)} ms${foreign})`,
        );
      }
    }
    const measured = perRound * ROUNDS;
    const cpuTotal = (c: { tool: number; db: number; loadgen: number }) => c.tool + c.db + c.loadgen;
    if (foreignShares.length)
      note(
        `${os.cpus().length} CPUs; processes outside this bench used on average ${Math.round((foreignShares.reduce((a, b) => a + b, 0) / foreignShares.length) * 100)} % of the machine during the rounds`,
      );
    for (const r of runs) {
      const c = cpu[r.target.name]!;
      note(
        `CPU per launch, ${r.target.name}: tool process ${(c.tool / measured).toFixed(2)} ms, ` +
          `${ctx.mongo.kind === 'ferretdb' ? `FerretDB ${(c.db / measured).toFixed(2)} ms, ` : ''}load generator + simulated Moodle ${(c.loadgen / measured).toFixed(2)} ms`,
      );
    }
    const peakRss = await product.call<number>('peakRss');
    const barePeakRss = await bare.call<number>('peakRss');
    const mb = (b: number) => Math.round(b / (1024 * 1024));
    note(
      `RSS (MB) before load → peak under load: product ${mb(idleRss[0]!)} → ${mb(peakRss)}, bare ltijs ${mb(idleRss[1]!)} → ${mb(barePeakRss)} ` +
        '(both processes run TypeScript through tsx, whose loader adds to the RSS)',
    );
    if (CPU_PROF_DIR) {
      mkdirSync(CPU_PROF_DIR, { recursive: true });
      for (const r of runs) note(`CPU profile: ${await r.proc.call('cpuProfileStop', path.join(CPU_PROF_DIR, `${r.target.name}.cpuprofile`))}`);
    }

    if (PROFILE) {
      for (const r of runs) {
        const total = results[r.target.name]!.reduce((a, x) => a + x.launches, 0);
        printSpans(r.target.name, await r.proc.call<Record<string, SpanStats>>('spans'), total);
      }
    }
    for (const r of runs) note(`${r.target.name} database documents after the run: ${JSON.stringify(await r.proc.call('counts'))}`);

    const productRate = median(results.product!.map((r) => r.rate));
    const bareRate = median(results.bare_ltijs!.map((r) => r.rate));
    const ratio = (productRate / bareRate) * 100;
    const pairRatios = results.product!.map((p, i) => (p.rate / results.bare_ltijs![i]!.rate) * 100);
    note(`ratio of medians ${round1(ratio)} %; per-round ratios ${pairRatios.map(round1).join(', ')} % (median ${round1(median(pairRatios))} %)`);
    const figures: Figure[] = [
      { name: 'launch_rate_product', value: round1(productRate), unit: 'launches/s' },
      { name: 'launch_rate_bare_ltijs', value: round1(bareRate), unit: 'launches/s' },
      { name: 'launch_rate_ratio', value: round1(ratio), unit: '%' },
      { name: 'launch_rate_target_met', value: ratio >= TARGET_RATIO ? 1 : 0, unit: 'bool' },
      { name: 'launch_peak_rss', value: Math.round(peakRss / (1024 * 1024)), unit: 'MB' },
      { name: 'launch_cpu_product', value: round1(cpu.product!.tool / measured), unit: 'ms/launch' },
      { name: 'launch_cpu_bare_ltijs', value: round1(cpu.bare_ltijs!.tool / measured), unit: 'ms/launch' },
      ...(ctx.mongo.kind === 'ferretdb'
        ? [
            { name: 'launch_db_cpu_product', value: round1(cpu.product!.db / measured), unit: 'ms/launch' },
            { name: 'launch_db_cpu_bare_ltijs', value: round1(cpu.bare_ltijs!.db / measured), unit: 'ms/launch' },
          ]
        : []),
      // CPU the whole system spends per launch (tool + database server + load generator), as a ratio: the rate
      // ratio to expect when the machine is CPU-bound, and far steadier than the rates on a shared machine
      { name: 'launch_cpu_ratio', value: round1((cpuTotal(cpu.bare_ltijs!) / cpuTotal(cpu.product!)) * 100), unit: '%' },
      { name: 'launch_latency_p50_product', value: round1(median(results.product!.map((r) => r.p50Ms))), unit: 'ms' },
      { name: 'launch_latency_p50_bare_ltijs', value: round1(median(results.bare_ltijs!.map((r) => r.p50Ms))), unit: 'ms' },
    ];
    return figures;
  } finally {
    for (const a of agents) a.destroy();
    await Promise.all(targets.map((t) => t.stop().catch(() => t.kill())));
    await Promise.all(sims.map((s) => s.stop().catch(() => undefined)));
  }
}
