/**
 * `npm run bench`: every group of figures in one run, on one MongoDB-protocol server.
 *
 * - Server: MONGODB_URI if set, else FerretDB from .ci/bin/ferretdb (bench/ferretdb.ts), started and stopped here.
 *   Each group works on its own fresh database(s) on it.
 * - Groups (each in its own file; BENCH_ONLY=issuance,rules,sync,launch runs a subset, default all, always in this
 *   order):
 *   issuance (bench/issuance.ts): credentials per second through the issuance pipeline beside raw signing rates;
 *   rules (bench/rules.ts): CPU time of one rule over 10,000 learners × 50 activities;
 *   sync (bench/sync.ts): a 1,000-learner course sync at Moodle's measured costs (concurrency 1/2/4) and a re-sync;
 *   launch (bench/launch.ts): LTI launches per second, product vs bare ltijs;
 *   abuse (bench/abuse.ts): /healthz and launch p95 while 20 clients send hostile bodies to /api/verify.
 * - Output: `# …` notes as the groups go, then each group's `name: value unit` lines; bench-results.json gets
 *   `{ figures: [{name, value, unit}], measuredAt, node }`. A subset run replaces only its own groups' figures
 *   there and keeps the others from the earlier run.
 * Shared knobs: BENCH_PROFILE=1 (timing spans in the launch group; figures not written), BENCH_CPU_PROF=<dir> (V8
 * CPU profiles: the launch group's tool processes, the issuance rounds; see bench/cpuprofile-summary.ts).
 * Each group's own knobs are at the top of its file and in bench/README.md.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { note, type Figure, type GroupContext } from './common';
import { startMongoServer, type MongoServer } from './ferretdb';
import { runAbuseGroup } from './abuse';
import { exportFormatsFromEnv, runExportBench } from './export';
import { runIssuanceGroup } from './issuance';
import { LaunchFailed, runLaunchGroup } from './launch';
import { runRulesGroup } from './rules';
import { runSyncGroup } from './sync';
import type { TargetProcess } from './target-process';

const GROUPS = ['issuance', 'rules', 'sync', 'launch', 'export', 'abuse'] as const;
type Group = (typeof GROUPS)[number];

/** Which group a figure belongs to, by its name (to keep the other groups' figures on a subset run). */
function groupOf(name: string): Group | null {
  if (name.startsWith('launch_')) return 'launch';
  if (name.startsWith('export_')) return 'export';
  if (name.startsWith('abuse_')) return 'abuse';
  if (name.startsWith('rules_')) return 'rules';
  if (name.startsWith('sync_')) return 'sync';
  if (/^(sign_|build_|issue_|experiment_sign_)/.test(name)) return 'issuance';
  return null;
}

class UsageError extends Error {}

function selectedGroups(): Group[] {
  const only = process.env.BENCH_ONLY?.trim();
  if (!only) return [...GROUPS];
  const asked = only
    .split(',')
    .map((g) => g.trim().toLowerCase())
    .filter(Boolean);
  const unknown = asked.filter((g) => !(GROUPS as readonly string[]).includes(g));
  if (unknown.length || !asked.length)
    throw new UsageError(`BENCH_ONLY: unknown group(s) ${unknown.join(', ') || '(none given)'}; choose from ${GROUPS.join(', ')}`);
  return GROUPS.filter((g) => asked.includes(g));
}

const PROFILE = process.env.BENCH_PROFILE === '1';
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF ? path.resolve(process.env.BENCH_CPU_PROF) : null;
const RESULTS_FILE = path.resolve(__dirname, '..', 'bench-results.json');
const liveTargets: TargetProcess[] = [];

async function main(): Promise<number> {
  const started = Date.now();
  const groups = selectedGroups();
  let mongo: MongoServer | null = null;
  try {
    mongo = await startMongoServer();
    note(
      `database: ${mongo.kind === 'ferretdb' ? 'FerretDB (.ci/bin/ferretdb, SQLite handler) started for this run' : 'MONGODB_URI'}; groups: ${groups.join(', ')}`,
    );
    // the in-process groups open their databases through test/support/db.ts, which reads it from here
    process.env.MONGODB_URI = mongo.uri;
    if (CPU_PROF_DIR) mkdirSync(CPU_PROF_DIR, { recursive: true });
    const ctx: GroupContext = { mongo, profile: PROFILE, cpuProfDir: CPU_PROF_DIR };
    const figures: Figure[] = [];
    for (const group of groups) {
      const t0 = Date.now();
      note(`——— ${group} ———`);
      const got =
        group === 'issuance'
          ? await runIssuanceGroup(ctx)
          : group === 'rules'
            ? await runRulesGroup(ctx)
            : group === 'sync'
              ? await runSyncGroup(ctx)
              : group === 'export'
                ? await runExportBench({ n: Number(process.env.BENCH_EXPORT_N ?? 100_000), formats: exportFormatsFromEnv() })
                : group === 'abuse'
                  ? await runAbuseGroup(ctx, (t) => liveTargets.push(t))
                  : await runLaunchGroup(ctx, (t) => liveTargets.push(t));
      for (const f of got) console.log(`${f.name}: ${f.value} ${f.unit}`);
      note(`${group}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      figures.push(...got);
    }
    if (PROFILE) note('BENCH_PROFILE=1: timing hooks perturb the figures, so bench-results.json is not written');
    else {
      let kept: Figure[] = [];
      if (groups.length < GROUPS.length && existsSync(RESULTS_FILE)) {
        try {
          const previous = JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as { figures?: Figure[] };
          kept = (previous.figures ?? []).filter((f) => {
            const g = groupOf(f.name);
            return g !== null && !groups.includes(g);
          });
        } catch {
          kept = [];
        }
      }
      const all = [...kept, ...figures].sort((a, b) => GROUPS.indexOf(groupOf(a.name) ?? 'launch') - GROUPS.indexOf(groupOf(b.name) ?? 'launch'));
      writeFileSync(RESULTS_FILE, JSON.stringify({ figures: all, measuredAt: new Date().toISOString(), node: process.version }, null, 2) + '\n');
      note(
        `figures written to ${path.relative(process.cwd(), RESULTS_FILE) || RESULTS_FILE}${kept.length ? ` (${kept.length} figures of the groups not run kept from the earlier run)` : ''}`,
      );
    }
    note(`total ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } finally {
    await mongo?.stop();
  }
}

// Ctrl-C: stop the tool processes at once; the exit hook of ferretdb.ts stops FerretDB and removes its files
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    console.error(`bench interrupted (${signal})`);
    for (const t of liveTargets) t.kill();
    process.exit(130);
  });

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
    if (!(err instanceof LaunchFailed) && !(err instanceof UsageError) && err instanceof Error && err.stack) console.error(err.stack);
    process.exit(1);
  },
);
