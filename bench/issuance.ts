/**
 * Issuance group: credentials per second through the whole pipeline (build + validate + sign + store) beside the
 * raw signing rate of the same library and key, all in this process, on the bench's MongoDB-protocol server.
 *
 * - Set-up (not timed): a simulated Moodle registered with the real app (startTool), the institution profile,
 *   one badge of course 2 and an earned decision for each learner (test/support/award.ts shapes), the issuer's
 *   keys (generated on first use).
 * - Raw: signDataIntegrity (eddsa-rdfc-2022) and signVcJwt (RS256, ES256) alone, sequential, on one credential
 *   the pipeline built (its proof removed); jose's CompactSign with an RSA-2048 key as the JOSE library reference.
 * - build + validate: buildAwardInputs + buildAchievementCredential + assertValidCredential, sequential.
 * - Pipeline: issueCredential(deps, request) for distinct learners, BENCH_ISSUE_CONCURRENCY (8) at a time. It
 *   signs both formats, as the product does. Beside it, the same steps (src/issuance/steps) composed here with a
 *   sign step that makes only one format: what the pipeline would do per format. The three run in alternating
 *   rounds (order rotated each round) of the same size, so the collections grow alike for each.
 * - Step breakdown: the product's steps one credential at a time, wall ms per step.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { CompactSign } from 'jose';
import { buildAchievementCredential } from '../src/credentials/build/build-credential';
import { generateIssuerKey } from '../src/credentials/keys/key-material';
import { signDataIntegrity, signVcJwt } from '../src/credentials/proof';
import { allowContextSharing } from '../src/credentials/proof/jsonld-context-sharing';
import { DataIntegritySigningPool } from '../src/credentials/proof/signing-pool';
import { euExtensionContextDocuments } from '../src/credentials/eu-extension/context';
import { assertValidCredential } from '../src/credentials/schema/validate';
import { buildAwardInputs } from '../src/issuance/award-input';
import type { IssueRequest, IssueState } from '../src/issuance/context';
import { issuerIdentity, issuerProfile } from '../src/issuance/issuer-identity';
import { issueCredential, type IssuanceDeps } from '../src/issuance/pipeline';
import { buildCredential } from '../src/issuance/steps/build-credential';
import { checkNotIssued } from '../src/issuance/steps/check-not-issued';
import { loadDecision } from '../src/issuance/steps/load-decision';
import { signCredential } from '../src/issuance/steps/sign-credential';
import { storeCredential } from '../src/issuance/steps/store-credential';
import { validateCredential } from '../src/issuance/steps/validate-credential';
import { earnedDecisionRecord, seedEarnedBadge } from '../test/support/award';
import { PlatformSimulator } from '../test/support/platform-simulator';
import { startTool, type RunningTool } from '../test/support/tool';
import { diSigningExperiments } from './issuance-experiments';
import { bulkIssuanceFigures, termEndFigures } from './issuance-bulk';
import { closedLoop, cpuWatch, median, note, num, round1, round2, sequentialRate, type Figure, type GroupContext } from './common';

const CONCURRENCY = num('BENCH_ISSUE_CONCURRENCY', 8);
const RAW_MS = num('BENCH_ISSUE_RAW_SECONDS', 1.5) * 1000;
const RAW_WINDOWS = Math.round(num('BENCH_ISSUE_RAW_WINDOWS', 3));
const ROUNDS = num('BENCH_ISSUE_ROUNDS', 3);
const ROUND_SECONDS = num('BENCH_ISSUE_ROUND_SECONDS', 2);
const PER_ROUND = process.env.BENCH_ISSUE_PER_ROUND ? num('BENCH_ISSUE_PER_ROUND', 0) : null;
const EXPERIMENTS = process.env.BENCH_ISSUE_EXPERIMENTS === '1';
const WARMUP = num('BENCH_ISSUE_WARMUP', 8);
const STEP_SAMPLES = num('BENCH_ISSUE_STEP_SAMPLES', 12);
/** The issue's reference: eddsa-rdfc-2022 single-threaded on 2 cores with the reference libraries. */
const DI_REFERENCE_RATE = 295;
const DI_TARGET_RATE = 2 * DI_REFERENCE_RATE;
const JWT_TARGET_SHARE = 50;

type Variant = 'both' | 'jwt' | 'di';

interface Seeded {
  tool: RunningTool;
  sim: PlatformSimulator;
  platformId: string;
  badgeId: string;
  badgeVersion: number;
}

/** Earned decisions for `count` more learners, recorded in one bulk write. */
async function seedLearners(s: Seeded, count: number, nextId: { value: number }): Promise<string[]> {
  const ids = Array.from({ length: count }, () => String(nextId.value++));
  const award = { platformId: s.platformId, courseId: '2', badgeId: s.badgeId, badgeVersion: s.badgeVersion };
  await s.tool.issuance.deps.decisions.recordMany(
    ids.map((userId) => earnedDecisionRecord({ ...award, userId, learner: { name: `Learner ${userId}`, email: `learner${userId}@example.com` } })),
  );
  return ids;
}

/**
 * Back to the state after set-up: only learner 4's decision and credential (and its status slot) stay. FerretDB's
 * SQLite handler answers a find or update by `id` by scanning the collection (about 1 ms of its CPU per stored
 * 16 KB credential, per query), so without this every round would be slower than the one before it.
 */
async function resetStore(s: Seeded, keepCredentialId: string): Promise<void> {
  const c = s.tool.db.connection;
  await c.collection('credentials').deleteMany({ userId: { $ne: '4' } });
  await c.collection('decisions').deleteMany({ userId: { $ne: '4' } });
  await c.collection('status_list_slots').deleteMany({ credentialId: { $ne: keepCredentialId } });
}

function requestFor(s: Seeded, userId: string): IssueRequest {
  return {
    platformId: s.platformId,
    platformIssuer: s.sim.issuer,
    deploymentId: s.sim.deploymentId,
    courseId: '2',
    courseTitle: 'Open Badges Demo Course',
    userId,
    badgeId: s.badgeId,
    learner: { name: `Learner ${userId}`, email: `learner${userId}@example.com`, showName: true },
  };
}

/**
 * The product's steps (src/issuance/pipeline.ts) with a sign step that makes one format only; 'both' is the
 * product's issueCredential itself. The unsigned credential stands in for the format not made.
 */
async function issueAs(variant: Variant, deps: IssuanceDeps, request: IssueRequest): Promise<unknown> {
  if (variant === 'both') return issueCredential(deps, request);
  let state: IssueState = { request };
  state = await loadDecision(deps, state);
  state = await checkNotIssued(deps, state);
  if (state.record) throw new Error(`bench: learner ${request.userId} was already issued`);
  state = await buildCredential(deps, state);
  state = validateCredential(state);
  const issuerKeys = await deps.keys.ensureIssuerKeys(request.platformId);
  const now = new Date(deps.now());
  const unsigned = state.unsigned! as unknown as Record<string, unknown>;
  const signed =
    variant === 'di'
      ? { json: (await signDataIntegrity(unsigned, { issuerKeys, documentLoader: deps.documentLoader, now })) as Record<string, unknown>, jwt: '' }
      : { json: unsigned, jwt: await signVcJwt(unsigned, { issuerKeys, alg: 'RS256', now }) };
  state = await storeCredential(deps, { ...state, signed });
  return state.record;
}

const STEPS = ['loadDecision', 'checkNotIssued', 'buildCredential', 'validateCredential', 'signCredential', 'storeCredential'] as const;
type Step = (typeof STEPS)[number];

/** The product's pipeline one step at a time (same order as pipeline.ts); `lap` is called before each step and at the end. */
const OPERATIONS = new Set([
  'find',
  'findOne',
  'insertOne',
  'insertMany',
  'updateOne',
  'updateMany',
  'replaceOne',
  'deleteOne',
  'deleteMany',
  'findOneAndUpdate',
  'findOneAndReplace',
  'findOneAndDelete',
  'countDocuments',
  'aggregate',
  'bulkWrite',
  'distinct',
  'createIndex',
]);

/**
 * Calls `onOperation('collection.method')` for every operation on a collection, whichever way the repositories
 * reach it (the connection's collections or mongoose models): the driver's Collection methods are wrapped
 * until the returned function undoes it.
 */
export function countOperations(onOperation: (op: string) => void): () => void {
  const proto = (require('mongodb') as { Collection: { prototype: Record<string, unknown> } }).Collection.prototype;
  const originals = new Map<string, unknown>();
  // findOne calls find, findOneAndUpdate may call others: count only the outermost call (the nested ones happen
  // synchronously inside it, before its first await)
  let depth = 0;
  for (const name of OPERATIONS) {
    const original = proto[name];
    if (typeof original !== 'function') continue;
    originals.set(name, original);
    proto[name] = function (this: { collectionName: string }, ...args: unknown[]) {
      if (depth === 0) onOperation(`${this.collectionName}.${name}`);
      depth++;
      try {
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      } finally {
        depth--;
      }
    };
  }
  return () => {
    for (const [name, original] of originals) proto[name] = original;
  };
}

async function steppedIssue(deps: IssuanceDeps, request: IssueRequest, lap: (next: Step | null) => void): Promise<void> {
  let state: IssueState = { request };
  lap('loadDecision');
  state = await loadDecision(deps, state);
  lap('checkNotIssued');
  state = await checkNotIssued(deps, state);
  if (state.record) throw new Error(`bench: learner ${request.userId} was already issued`);
  lap('buildCredential');
  state = await buildCredential(deps, state);
  lap('validateCredential');
  state = validateCredential(state);
  lap('signCredential');
  state = await signCredential(deps, state);
  lap('storeCredential');
  await storeCredential(deps, state);
  lap(null);
}

export async function runIssuanceGroup(ctx: GroupContext): Promise<Figure[]> {
  const started = Date.now();
  const sim = await PlatformSimulator.start();
  let tool: RunningTool | null = null;
  try {
    tool = await startTool();
    sim.toolUrl = tool.url;
    await tool.registry.register(sim.platformRegistration());
    const seededBadge = await seedEarnedBadge(tool, '4');
    const s: Seeded = { tool, sim, platformId: seededBadge.platform.id, badgeId: seededBadge.badge.id, badgeVersion: seededBadge.version.version };
    const deps = tool.issuance.deps;
    const nextId = { value: 100_000 };
    const issuerKeys = await deps.keys.ensureIssuerKeys(s.platformId);

    // one credential first: proves the path, and its unsigned form is what the raw figures sign
    const first = (await issueCredential(deps, requestFor(s, '4'))) as { id: string; json: Record<string, unknown>; jwt: string };
    const { proof: _proof, ...unsigned } = first.json;
    for (const [form, input] of [
      ['Data Integrity', first.json],
      ['VC-JWT', first.jwt],
    ] as const) {
      const v = await tool.issuance.verify(input as Record<string, unknown> | string);
      if (!v.verified) throw new Error(`bench: the pipeline's ${form} credential does not verify: ${JSON.stringify(v.checks)}`);
    }
    note(`issuance: one credential issued and verified in both formats (${JSON.stringify(first.json).length} bytes of JSON, ${first.jwt.length} bytes of JWT)`);

    // ——— raw signing, sequential: RAW_WINDOWS short windows per signer, taken in turn so that other load on the
    // machine falls on all of them alike; each figure is the median window ———
    const rsa = await generateIssuerKey('RSA');
    const payload = new TextEncoder().encode(JSON.stringify({ ...unsigned, iss: 'x', jti: 'y', nbf: 1, iat: 1 }));
    const signers = {
      di: () => signDataIntegrity(unsigned, { issuerKeys, documentLoader: deps.documentLoader, now: new Date() }),
      // the same with jsonld's stock context cloning: what the libraries give without the product's context sharing
      diStock: async () => {
        allowContextSharing(false);
        try {
          return await signDataIntegrity(unsigned, { issuerKeys, documentLoader: deps.documentLoader, now: new Date() });
        } finally {
          allowContextSharing(true);
        }
      },
      rs256: () => signVcJwt(unsigned, { issuerKeys, alg: 'RS256', now: new Date() }),
      es256: () => signVcJwt(unsigned, { issuerKeys, alg: 'ES256', now: new Date() }),
      // the JOSE library itself on the same payload, with an RSA-2048 key made like the issuer's
      jose: () => new CompactSign(payload).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: rsa.kid }).sign(rsa.privateKey),
    };
    type Signer = keyof typeof signers;
    const windows: Record<Signer, Array<{ rate: number; cpuMsPerCall: number; count: number }>> = { di: [], diStock: [], rs256: [], es256: [], jose: [] };
    for (let w = 0; w < RAW_WINDOWS; w++)
      for (const name of Object.keys(signers) as Signer[]) windows[name].push(await sequentialRate(signers[name], RAW_MS / RAW_WINDOWS, w === 0 ? 20 : 2));
    const summary = (name: Signer) => ({
      rate: median(windows[name].map((x) => x.rate)),
      cpuMsPerCall: median(windows[name].map((x) => x.cpuMsPerCall)),
      count: windows[name].reduce((a, x) => a + x.count, 0),
    });
    const raw = { di: summary('di'), diStock: summary('diStock'), rs256: summary('rs256'), es256: summary('es256') };
    const jose = summary('jose');
    const labels: Record<Signer, string> = {
      di: 'eddsa-rdfc-2022',
      diStock: 'eddsa-rdfc-2022 (stock jsonld)',
      rs256: 'VC-JWT RS256',
      es256: 'VC-JWT ES256',
      jose: 'jose CompactSign RS256',
    };
    for (const name of Object.keys(signers) as Signer[]) {
      const r = summary(name);
      note(
        `raw ${labels[name]}: ${round1(r.rate)}/s sequential (median of ${RAW_WINDOWS} windows of ${RAW_MS / RAW_WINDOWS / 1000} s: ` +
          `${windows[name].map((x) => round1(x.rate)).join(', ')}; ${r.count} signatures; ${round2(r.cpuMsPerCall)} ms CPU each)`,
      );
    }

    // ——— the product's signing threads: eddsa-rdfc-2022 on every core (keys stay on this thread) ———
    const cores = (await import('node:os')).availableParallelism();
    const pool = new DataIntegritySigningPool({ threads: cores, documents: euExtensionContextDocuments(deps.publicUrl) });
    let poolRate: number;
    try {
      await closedLoop(cores * 4, cores * 2, () => pool.sign(unsigned, { issuerKeys, now: new Date() })); // threads start and warm up
      const n = Math.max(cores * 20, Math.round(raw.di.rate * cores * (RAW_MS / 1000)));
      poolRate = (await closedLoop(n, cores * 2, () => pool.sign(unsigned, { issuerKeys, now: new Date() }))).rate;
    } finally {
      await pool.close();
    }
    note(`eddsa-rdfc-2022 on ${cores} signing threads: ${round1(poolRate)}/s (${round1(poolRate / raw.di.rate)}× one thread)`);

    const experiments = EXPERIMENTS ? await diSigningExperiments(unsigned, deps.publicUrl, RAW_MS) : [];

    // ——— build + validate, sequential ———
    const loaded = await loadDecision(deps, { request: requestFor(s, '4') });
    const identity = issuerIdentity(deps.publicUrl, s.platformId);
    const issuer = issuerProfile(identity, loaded.institution!);
    const status = deps.status.entryFor({ issuerId: s.platformId, listId: '1', index: 4242 });
    let n = 0;
    const buildValidate = await sequentialRate(() => {
      const userId = String(900_000 + n++);
      const { achievement, award } = buildAwardInputs({
        badgeId: s.badgeId,
        badgeVersion: s.badgeVersion,
        definition: loaded.version!.definition,
        decision: loaded.decision!,
        issuer,
        imageUrl: `${deps.publicUrl}/badges/${s.badgeId}/versions/${s.badgeVersion}/image.png`,
        platformIssuer: sim.issuer,
        courseTitle: 'Open Badges Demo Course',
        learner: { userId, name: `Learner ${userId}`, email: `learner${userId}@example.com`, showName: true },
        credentialUrl: `${deps.publicUrl}/credentials/00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
        issuedAt: new Date(),
        status,
      });
      assertValidCredential(buildAchievementCredential({ issuer, achievement, award, baseUrl: deps.publicUrl }));
    }, RAW_MS);
    note(`build + validate: ${round1(buildValidate.rate)}/s sequential (${round2(buildValidate.cpuMsPerCall)} ms CPU each)`);

    // ——— pipeline: warm-up, then alternating rounds ———
    const variants: Variant[] = ['both', 'jwt', 'di'];
    const warmRates: Partial<Record<Variant, number>> = {};
    for (const v of variants) {
      const ids = await seedLearners(s, WARMUP, nextId);
      warmRates[v] = (await closedLoop(ids.length, CONCURRENCY, (i) => issueAs(v, deps, requestFor(s, ids[i]!)))).rate;
      await resetStore(s, first.id);
    }
    const perRound = PER_ROUND ?? Math.max(12, Math.min(200, Math.round(Math.min(...Object.values(warmRates)) * ROUND_SECONDS)));
    note(
      `pipeline warm-up (${WARMUP} each, concurrency ${CONCURRENCY}): ${variants.map((v) => `${v} ${round1(warmRates[v]!)}/s`).join(', ')}; ` +
        `${ROUNDS} rounds × ${perRound} credentials per variant, order rotated each round`,
    );
    const rates: Record<Variant, number[]> = { both: [], jwt: [], di: [] };
    const cpu: Record<Variant, { own: number; db: number | null; count: number }> = {
      both: { own: 0, db: 0, count: 0 },
      jwt: { own: 0, db: 0, count: 0 },
      di: { own: 0, db: 0, count: 0 },
    };
    const profiler = ctx.cpuProfDir ? new Session() : null;
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
    }
    for (let round = 0; round < ROUNDS; round++) {
      const order = variants.map((_, i) => variants[(i + round) % variants.length]!);
      for (const v of order) {
        const ids = await seedLearners(s, perRound, nextId);
        if (profiler) await profiler.post('Profiler.start');
        const watch = cpuWatch(ctx.mongo);
        const r = await closedLoop(ids.length, CONCURRENCY, (i) => issueAs(v, deps, requestFor(s, ids[i]!)));
        const used = watch();
        if (profiler) {
          const { profile } = await profiler.post('Profiler.stop');
          writeFileSync(path.join(ctx.cpuProfDir!, `issuance-${v}-round${round + 1}.cpuprofile`), JSON.stringify(profile));
        }
        await resetStore(s, first.id);
        rates[v].push(r.rate);
        cpu[v].own += used.ownMs;
        cpu[v].db = cpu[v].db === null || used.dbMs === null ? null : cpu[v].db + used.dbMs;
        cpu[v].count += ids.length;
        note(
          `round ${round + 1} ${v.padEnd(4)} ${ids.length} credentials in ${r.seconds.toFixed(2)} s = ${round1(r.rate)}/s ` +
            `(bench process ${round1(used.ownMs / ids.length)} ms CPU each${used.dbMs !== null ? `, FerretDB ${round1(used.dbMs / ids.length)} ms` : ''}` +
            `${used.foreignShare !== null ? `, other processes ${Math.round(used.foreignShare * 100)} % of the machine` : ''})`,
        );
      }
    }
    if (profiler) {
      note(`CPU profiles of the pipeline rounds (this process only): ${path.join(ctx.cpuProfDir!, 'issuance-<both|jwt|di>-round<n>.cpuprofile')}`);
      profiler.disconnect();
    }

    // ——— where one credential's time goes: the product's steps one credential at a time, with the database
    // operations each step makes (counted on the driver's Collection, for this part only) ———
    const stepIds = await seedLearners(s, STEP_SAMPLES, nextId);
    const steps: Record<string, number[]> = {};
    const operations: Record<string, Record<string, number>> = {};
    let current: Step | null = null;
    const restore = countOperations((op) => {
      if (!current) return;
      const m = (operations[current] ??= {});
      m[op] = (m[op] ?? 0) + 1;
    });
    try {
      for (const id of stepIds) {
        let t0 = performance.now();
        await steppedIssue(deps, requestFor(s, id), (next) => {
          const t1 = performance.now();
          if (current) (steps[current] ??= []).push(t1 - t0);
          current = next;
          t0 = t1;
        });
      }
    } finally {
      restore();
    }
    const stepMedians = STEPS.map((name) => [name, median(steps[name]!)] as const);
    const stepTotal = stepMedians.reduce((a, [, ms]) => a + ms, 0);
    const perCredential = (m: Record<string, number> | undefined) =>
      Object.entries(m ?? {})
        .map(([c, k]) => `${c} ${round1(k / STEP_SAMPLES)}`)
        .join(' + ');
    const totalCommands = Object.values(operations).reduce((a, m) => a + Object.values(m).reduce((x, y) => x + y, 0), 0) / STEP_SAMPLES;
    note(`steps, one credential at a time (median wall ms of ${STEP_SAMPLES}; database operations per credential):`);
    for (const [name, ms] of stepMedians)
      note(`  ${name.padEnd(20)} ${String(round1(ms)).padStart(7)} ms   ${perCredential(operations[name]) || 'no database operation'}`);
    note(`  ${'total'.padEnd(20)} ${String(round1(stepTotal)).padStart(7)} ms   ${round1(totalCommands)} database operations`);
    await resetStore(s, first.id);

    // ——— bulk issuance beside its floors, and the term_end course (bench/issuance-bulk.ts) ———
    const firstDoc = (await tool.db.connection.collection('credentials').findOne({ id: first.id }, { projection: { _id: 0 } }))!;
    const bulk = await bulkIssuanceFigures(ctx, {
      tool,
      course: { platformId: s.platformId, platformIssuer: sim.issuer, deploymentId: sim.deploymentId, courseId: '2', courseTitle: 'Open Badges Demo Course' },
      badge: { badgeId: s.badgeId, badgeVersion: s.badgeVersion },
      first: firstDoc,
      unsigned,
      issuerKeys,
      countOperations,
    });
    await resetStore(s, first.id);
    const termEnd = await termEndFigures(ctx, countOperations);

    // ——— figures ———
    const rate = (v: Variant) => median(rates[v]);
    const product = rate('both');
    const perCredentialCpu = (v: Variant) => (cpu[v].own + (cpu[v].db ?? 0)) / cpu[v].count;
    const jwtMet = (product / raw.rs256.rate) * 100 >= JWT_TARGET_SHARE;
    const diMet = product >= DI_TARGET_RATE;
    note(
      `targets: VC-JWT pipeline ≥ ${JWT_TARGET_SHARE} % of raw RS256 signing (${round1(raw.rs256.rate / 2)}/s this run): product ${round1(product)}/s → ${jwtMet ? 'met' : 'NOT met'}; ` +
        `with VC-JWT only it would be ${round1(rate('jwt'))}/s = ${round1((rate('jwt') / raw.rs256.rate) * 100)} % → ${(rate('jwt') / raw.rs256.rate) * 100 >= JWT_TARGET_SHARE ? 'met' : 'NOT met'}`,
    );
    note(
      `targets: Data Integrity pipeline ≥ ${DI_TARGET_RATE}/s (2 × ${DI_REFERENCE_RATE}/s, reference libraries' eddsa-rdfc-2022): product ${round1(product)}/s → ${diMet ? 'met' : 'NOT met'}; ` +
        `DI only ${round1(rate('di'))}/s; raw eddsa-rdfc-2022 signing of this credential in this run ${round1(raw.di.rate)}/s ` +
        `(${round2(raw.di.cpuMsPerCall)} ms CPU each, so at most ${round1((1000 / raw.di.cpuMsPerCall) * cores)}/s on ${cores} cores with signing alone; ` +
        `the signing threads gave ${round1(poolRate)}/s)`,
    );
    note(`issuance group took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const hasDb = cpu.both.db !== null && ctx.mongo.kind === 'ferretdb';
    return [
      { name: 'sign_raw_eddsa_rdfc_2022', value: round1(raw.di.rate), unit: 'credentials/s' },
      { name: 'sign_pool_eddsa_rdfc_2022', value: round1(poolRate), unit: 'credentials/s' },
      { name: 'sign_raw_eddsa_rdfc_2022_stock_jsonld', value: round1(raw.diStock.rate), unit: 'credentials/s' },
      { name: 'sign_raw_rs256_jwt', value: round1(raw.rs256.rate), unit: 'credentials/s' },
      { name: 'sign_raw_es256_jwt', value: round1(raw.es256.rate), unit: 'credentials/s' },
      { name: 'sign_raw_rs256_jose', value: round1(jose.rate), unit: 'credentials/s' },
      { name: 'sign_cpu_eddsa_rdfc_2022', value: round2(raw.di.cpuMsPerCall), unit: 'ms/credential' },
      { name: 'sign_cpu_eddsa_rdfc_2022_stock_jsonld', value: round2(raw.diStock.cpuMsPerCall), unit: 'ms/credential' },
      { name: 'build_validate_rate', value: round1(buildValidate.rate), unit: 'credentials/s' },
      { name: 'issue_pipeline_rate', value: round1(product), unit: 'credentials/s' },
      { name: 'issue_pipeline_rate_jwt_only', value: round1(rate('jwt')), unit: 'credentials/s' },
      { name: 'issue_pipeline_rate_di_only', value: round1(rate('di')), unit: 'credentials/s' },
      { name: 'issue_pipeline_vs_raw_jwt_rs256', value: round1((product / raw.rs256.rate) * 100), unit: '%' },
      { name: 'issue_pipeline_vs_raw_eddsa', value: round1((product / raw.di.rate) * 100), unit: '%' },
      { name: 'issue_pipeline_jwt_only_vs_raw_rs256', value: round1((rate('jwt') / raw.rs256.rate) * 100), unit: '%' },
      { name: 'issue_pipeline_di_only_vs_raw_eddsa', value: round1((rate('di') / raw.di.rate) * 100), unit: '%' },
      { name: 'issue_cpu_per_credential', value: round1(cpu.both.own / cpu.both.count), unit: 'ms/credential' },
      ...(hasDb ? [{ name: 'issue_db_cpu_per_credential', value: round1(cpu.both.db! / cpu.both.count), unit: 'ms/credential' }] : []),
      // what the machine's cores would give if the pipeline (and its database, when measured) had them to itself
      { name: 'issue_pipeline_cpu_bound_rate', value: round1((1000 * cores) / perCredentialCpu('both')), unit: 'credentials/s' },
      { name: 'issue_step_sign_ms', value: round1(median(steps.signCredential!)), unit: 'ms' },
      { name: 'issue_step_total_ms', value: round1(stepTotal), unit: 'ms' },
      { name: 'issue_db_operations_per_credential', value: round1(totalCommands), unit: 'operations' },
      { name: 'issue_target_jwt_met', value: jwtMet ? 1 : 0, unit: 'bool' },
      { name: 'issue_target_di_met', value: diMet ? 1 : 0, unit: 'bool' },
      ...bulk,
      ...termEnd,
      ...experiments,
    ];
  } finally {
    await tool?.stop().catch(() => undefined);
    await sim.stop().catch(() => undefined);
  }
}
