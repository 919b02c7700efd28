/**
 * Export benchmark: time, CPU and peak RSS of each export format over N synthetic credentials (default 100,000),
 * and the same over N/10 to show that time grows linearly and memory does not grow.
 *
 * - Database: MONGODB_URI if set, else FerretDB from .ci/bin/ferretdb (bench/ferretdb.ts). Three fresh
 *   databases: N credentials, N/10 (so the small run does not scan the big collection: FerretDB's SQLite handler
 *   scans instead of using indexes) and none (the baseline).
 * - Data (seeded in this process): a registered platform, one real credential issued through the pipeline
 *   (signed, status list, badge image), then copies with new ids and 10 credentials per learner, inserted
 *   straight into `credentials`.
 * - The export runs as the product runs it: the compiled CLI (`npm run build` first, then
 *   `node dist/src/cli/index.js export --platform ID --format F --out FILE` with MONGODB_URI), one process per
 *   export, writing to a temporary file that is deleted afterwards. A preloaded probe (`node --require`) reads
 *   the child's VmHWM (peak RSS) and utime + stime from /proc/self when it exits; this process also samples
 *   /proc/<pid> every 100 ms, in case the child dies before its exit hook.
 *
 * Figures (per format F, per size n = N, N/10):
 * - export_<n>_F_time (s): the export's wall time as the CLI reports it (the stream from the first read to the
 *   renamed file; without start-up, connection and the count for the progress bar);
 * - export_<n>_F_process_time (s): the child's whole life, spawn to exit;
 * - export_<n>_F_cpu (s): CPU of the child process (the export's own work, without the database server's);
 * - export_<n>_F_peak_rss (MB): the child's VmHWM;
 * - export_<n>_F_time_per_10k (s), export_<n>_F_output (MB);
 * - export_baseline_F_peak_rss (MB), export_baseline_F_cpu (s): the same CLI export of a platform with no
 *   credentials: what the process costs before it exports anything;
 * - export_F_linearity = (time per credential at N) / (time per credential at N/10), export_F_cpu_linearity
 *   likewise for the child's CPU less the baseline's; 1.0 is exactly linear. On FerretDB (SQLite handler) the
 *   wall time is mostly the server decoding documents (~3 ms per credential).
 *
 * Usage: `await runExportBench({ n: 100_000 })` from another script, or `npx tsx bench/export.ts [N]`.
 * BENCH_EXPORT_BUILD=0 skips the build (dist/ must then be current); BENCH_EXPORT_FORMATS=csv,zip runs those formats only.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseBadgeDefinition } from '../src/badges/definition';
import { EXPORT_FORMATS, type ExportFormat } from '../src/export/filter';
import { issueCredential } from '../src/issuance/pipeline';
import { createIssuance } from '../src/issuance/services';
import { BadgeRepository } from '../src/store/badges';
import { openDatabase, type Database } from '../src/store/connection';
import { DecisionRepository } from '../src/store/decisions';
import { ensureIndexes } from '../src/store/indexes';
import { InstitutionRepository } from '../src/store/institutions';
import { IssuedCredentialRepository } from '../src/store/issued-credentials';
import { IssuerKeyRepository } from '../src/store/issuer-keys';
import { PlatformRepository } from '../src/store/platforms';
import { StatusListRepository } from '../src/store/status-lists';
import { INSTITUTION, earnedDecisionRecord } from '../test/support/award';
import { badgeDefinitionInput } from '../test/support/builders';
import { startMongoServer } from './ferretdb';

export interface Figure {
  name: string;
  value: number;
  unit: string;
}

export interface ExportBenchOptions {
  /** Credentials in the big run (default 100,000); the small run has n/10. */
  n?: number;
  formats?: readonly ExportFormat[];
  /** Progress lines (default stderr). */
  log?: (line: string) => void;
}

/** BENCH_EXPORT_FORMATS (comma-separated), or every format. */
export function exportFormatsFromEnv(value = process.env.BENCH_EXPORT_FORMATS): readonly ExportFormat[] {
  if (!value) return EXPORT_FORMATS;
  const formats = value.split(',').map((f) => f.trim());
  const unknown = formats.filter((f) => !(EXPORT_FORMATS as readonly string[]).includes(f));
  if (unknown.length) throw new Error(`BENCH_EXPORT_FORMATS: unknown ${unknown.join(', ')} (known: ${EXPORT_FORMATS.join(', ')})`);
  return formats as ExportFormat[];
}

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'index.js');
const PUBLIC_URL = 'https://badges.example.lv';
const KEY_ENCRYPTION_KEY = 'bench-issuer-key-encryption-key-0123456789';
const MB = 1024 * 1024;
/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS = 100;

function label(n: number): string {
  return n % 1000 === 0 ? `${n / 1000}k` : String(n);
}

interface Dataset {
  db: Database;
  uri: string;
  platformId: string;
  n: number;
}

/** A fresh database with a registered platform and its institution, badge and decision, one real credential and n - 1 copies of it (none when n is 0). */
async function makeDataset(uri: string, n: number, log: (l: string) => void): Promise<Dataset> {
  const url = new URL(uri);
  url.pathname = `/export_bench_${randomBytes(4).toString('hex')}`;
  const db = await openDatabase(url.toString());
  const connection = db.connection;
  await ensureIndexes(connection, [
    ...IssuedCredentialRepository.indexes(),
    ...BadgeRepository.indexes(),
    ...StatusListRepository.indexes(),
    ...InstitutionRepository.indexes(),
    ...DecisionRepository.indexes(),
    ...IssuerKeyRepository.indexes(),
    ...PlatformRepository.indexes(),
  ]);
  const badges = new BadgeRepository(connection);
  const decisions = new DecisionRepository(connection);
  const institutions = new InstitutionRepository(connection);
  const issuance = createIssuance({ connection, publicUrl: PUBLIC_URL, keyEncryptionKey: KEY_ENCRYPTION_KEY, badges, decisions, institutions, now: Date.now });
  // the CLI refuses a platform that is not registered
  const platform = await new PlatformRepository(connection).upsert({
    issuer: 'https://moodle.example.lv',
    clientId: 'bench',
    name: 'Bench Moodle',
    deploymentIds: ['1'],
    authEndpoint: 'https://moodle.example.lv/auth',
    tokenEndpoint: 'https://moodle.example.lv/token',
    jwksUrl: 'https://moodle.example.lv/jwks',
    registeredVia: 'manual',
  });
  const platformId = platform.id;
  await institutions.save(platformId, INSTITUTION, 'bench');
  const parsed = parseBadgeDefinition(badgeDefinitionInput());
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const badge = await badges.create({ platformId, courseId: '2', name: parsed.definition.name.en, createdBy: '3' });
  const version = await badges.saveVersion(badge, parsed.definition, '3');
  await decisions.record(
    earnedDecisionRecord({
      platformId,
      courseId: '2',
      userId: '4',
      badgeId: badge.id,
      badgeVersion: version.version,
      learner: { name: 'Bench Learner', email: 'bench@example.lv' },
    }),
  );
  const dataset = { db, uri: url.toString(), platformId, n };
  if (n === 0) return dataset;
  const template = await issueCredential(issuance.deps, {
    platformId,
    platformIssuer: platform.issuer,
    deploymentId: '1',
    courseId: '2',
    courseTitle: 'Bench',
    userId: '4',
    badgeId: badge.id,
    learner: { name: 'Bench Learner', email: 'bench@example.lv', showName: false },
  });
  const col = connection.collection('credentials');
  const learners = Math.max(1, Math.floor(n / 10));
  const started = Date.now();
  const batch = 1000;
  for (let start = 1; start < n; start += batch) {
    const docs = [];
    for (let i = start; i < Math.min(n, start + batch); i++) {
      const id = randomUUID();
      docs.push({
        ...template,
        id,
        userId: `u${i % learners}`,
        idempotencyKey: `bench|${id}`,
        claimToken: randomUUID(),
        json: { ...template.json, id: `${PUBLIC_URL}/credentials/${id}` },
      });
    }
    await col.insertMany(docs, { ordered: false });
  }
  log(`  inserted ${n.toLocaleString('en-US')} credentials in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return dataset;
}

/**
 * Preloaded into the export process: when it exits (the CLI ends with process.exit), its peak RSS (VmHWM) and
 * CPU (utime + stime) from /proc/self go to the file named by EXPORT_BENCH_PROBE.
 */
const PROBE = String.raw`const { readFileSync, writeFileSync } = require('node:fs');
process.on('exit', () => {
  const status = readFileSync('/proc/self/status', 'utf8');
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  writeFileSync(process.env.EXPORT_BENCH_PROBE, JSON.stringify({ hwmKb: Number(/VmHWM:\s+(\d+)/.exec(status)[1]), ticks: Number(f[11]) + Number(f[12]) }));
});
`;

interface ProcSample {
  hwmKb: number;
  ticks: number;
}

/** VmHWM and utime + stime of a live process; null once it has gone (or is a zombie without memory). */
function sampleProc(pid: number): ProcSample | null {
  try {
    const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return hwm ? { hwmKb: Number(hwm[1]), ticks: Number(f[11]) + Number(f[12]) } : null;
  } catch {
    return null;
  }
}

interface Measured {
  /** The export's wall time as the CLI reports it. */
  seconds: number;
  processSeconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  bytes: number;
  count: number;
}

/** One export by the compiled CLI in its own process. */
async function measure(ds: Dataset, format: ExportFormat, dir: string): Promise<Measured> {
  const out = path.join(dir, `export.${format}`);
  const probe = path.join(dir, 'probe.json');
  rmSync(probe, { force: true });
  const started = process.hrtime.bigint();
  const child = spawn(
    process.execPath,
    ['--require', path.join(dir, 'probe.cjs'), CLI, 'export', '--platform', ds.platformId, '--format', format, '--out', out],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        MONGODB_URI: ds.uri,
        PUBLIC_URL,
        ISSUER_KEY_ENCRYPTION_KEY: KEY_ENCRYPTION_KEY,
        EXPORT_BENCH_PROBE: probe,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  // progress lines: keep the tail for an error message
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  let sampled: ProcSample = { hwmKb: 0, ticks: 0 };
  const timer = setInterval(() => {
    const s = child.pid ? sampleProc(child.pid) : null;
    if (s) sampled = { hwmKb: Math.max(sampled.hwmKb, s.hwmKb), ticks: Math.max(sampled.ticks, s.ticks) };
  }, 100);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c));
  }).finally(() => clearInterval(timer));
  const processSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`${format} export exited with ${code}:\n${stdout}\n${stderr}`);
  const done = /^Exported (\d+) credentials? \(\w+\) to .* in (\d+\.\d) s\.$/m.exec(stdout);
  if (!done) throw new Error(`${format} export: unexpected output:\n${stdout}`);
  let final: ProcSample = sampled;
  try {
    final = JSON.parse(readFileSync(probe, 'utf8')) as ProcSample;
  } catch {
    // no exit hook ran: the samples are all there is
  }
  const bytes = statSync(out).size;
  rmSync(out, { force: true });
  return {
    seconds: Number(done[2]),
    processSeconds,
    cpuSeconds: Math.max(final.ticks, sampled.ticks) / TICKS,
    peakRssMb: (Math.max(final.hwmKb, sampled.hwmKb) * 1024) / MB,
    bytes,
    count: Number(done[1]),
  };
}

function build(log: (l: string) => void): void {
  if (process.env.BENCH_EXPORT_BUILD === '0') return;
  log('  npm run build');
  const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`npm run build failed (${r.status ?? r.signal})`);
}

export async function runExportBench(options: ExportBenchOptions = {}): Promise<Figure[]> {
  const n = options.n ?? 100_000;
  const small = Math.max(1, Math.round(n / 10));
  const formats = options.formats ?? EXPORT_FORMATS;
  const log = options.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  build(log);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'export-bench-'));
  writeFileSync(path.join(dir, 'probe.cjs'), PROBE);
  const server = await startMongoServer();
  const figures: Figure[] = [];
  const datasets: Dataset[] = [];
  try {
    log(
      `export bench on ${server.kind} (${n.toLocaleString('en-US')} and ${small.toLocaleString('en-US')} credentials), each export in its own process: node ${path.relative(ROOT, CLI)} export`,
    );
    const big = await makeDataset(server.uri, n, log);
    datasets.push(big);
    const little = await makeDataset(server.uri, small, log);
    datasets.push(little);
    const empty = await makeDataset(server.uri, 0, log);
    datasets.push(empty);
    for (const format of formats) {
      const baseline = await measure(empty, format, dir);
      figures.push(
        { name: `export_baseline_${format}_peak_rss`, value: round(baseline.peakRssMb, 1), unit: 'MB' },
        { name: `export_baseline_${format}_cpu`, value: round(baseline.cpuSeconds, 2), unit: 's' },
      );
      log(
        `  ${format} baseline (no credentials): peak RSS ${baseline.peakRssMb.toFixed(0)} MB, ${baseline.cpuSeconds.toFixed(2)} s CPU, ${baseline.processSeconds.toFixed(1)} s`,
      );
      const results: Record<number, Measured> = {};
      for (const ds of [little, big]) {
        const r = await measure(ds, format, dir);
        if (r.count !== ds.n) throw new Error(`${format}: exported ${r.count} of ${ds.n}`);
        results[ds.n] = r;
        const l = label(ds.n);
        figures.push(
          { name: `export_${l}_${format}_time`, value: round(r.seconds, 2), unit: 's' },
          { name: `export_${l}_${format}_process_time`, value: round(r.processSeconds, 2), unit: 's' },
          { name: `export_${l}_${format}_cpu`, value: round(r.cpuSeconds, 2), unit: 's' },
          { name: `export_${l}_${format}_peak_rss`, value: round(r.peakRssMb, 1), unit: 'MB' },
          { name: `export_${l}_${format}_time_per_10k`, value: round((r.seconds / ds.n) * 10_000, 3), unit: 's' },
          { name: `export_${l}_${format}_output`, value: round(r.bytes / MB, 1), unit: 'MB' },
        );
        log(
          `  ${format} ${l}: ${r.seconds.toFixed(1)} s export (${r.processSeconds.toFixed(1)} s process, ${r.cpuSeconds.toFixed(1)} s CPU), peak RSS ${r.peakRssMb.toFixed(0)} MB, ${(r.bytes / MB).toFixed(0)} MB out, ${r.count} credentials`,
        );
      }
      const perBig = results[n]!.seconds / n;
      const perSmall = results[small]!.seconds / small;
      figures.push({ name: `export_${format}_linearity`, value: round(perBig / perSmall, 2), unit: 'ratio' });
      const cpuBig = (results[n]!.cpuSeconds - baseline.cpuSeconds) / n;
      const cpuSmall = (results[small]!.cpuSeconds - baseline.cpuSeconds) / small;
      figures.push({ name: `export_${format}_cpu_linearity`, value: round(cpuBig / cpuSmall, 2), unit: 'ratio' });
    }
    return figures;
  } finally {
    for (const ds of datasets) {
      await ds.db.connection.dropDatabase().catch(() => undefined);
      await ds.db.close().catch(() => undefined);
    }
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

if (require.main === module) {
  const n = process.argv[2] ? Number(process.argv[2]) : undefined;
  runExportBench({ n }).then(
    (figures) => {
      for (const f of figures) console.log(`${f.name}: ${f.value} ${f.unit}`);
      process.exit(0);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
