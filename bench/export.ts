/**
 * Export benchmark: time and peak RSS of each export format over N synthetic credentials (default 100,000),
 * and the same over N/10 to show that time grows linearly and memory does not grow.
 *
 * - Database: MONGODB_URI if set, else FerretDB from .ci/bin/ferretdb (bench/ferretdb.ts). Two fresh
 *   databases, one with N and one with N/10 credentials, so the small run does not scan the big collection
 *   (FerretDB's SQLite handler scans instead of using indexes).
 * - Data: one real credential issued through the pipeline (signed, status list, badge image), then copies
 *   with new ids and 10 credentials per learner, inserted straight into `credentials`.
 * - Each format is exported in this process into a sink that only counts bytes (the disk is not measured).
 *   RSS is sampled every 20 ms; a full GC runs before each export.
 *
 * Figures: export_<n>_<format>_time (s, wall), export_<n>_<format>_cpu (s, CPU of this process: the export's own
 * work, without the database server's), export_<n>_<format>_peak_rss (MB), export_<n>_<format>_time_per_10k (s),
 * export_<n>_<format>_output (MB), the same for N/10, and export_<format>_linearity = (time per credential at N) /
 * (time per credential at N/10), export_<format>_cpu_linearity likewise for CPU; 1.0 is exactly linear. On FerretDB
 * (SQLite handler) the wall time is mostly the server decoding documents (~3 ms per credential).
 *
 * Usage: `await runExportBench({ n: 100_000 })` from another script, or `npx tsx bench/export.ts [N]`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import { parseBadgeDefinition } from '../src/badges/definition';
import { runExport } from '../src/export/export';
import { EXPORT_FORMATS, parseExportParams, type ExportFormat } from '../src/export/filter';
import { issueCredential } from '../src/issuance/pipeline';
import { createIssuance, type Issuance } from '../src/issuance/services';
import { BadgeRepository } from '../src/store/badges';
import { openDatabase, type Database } from '../src/store/connection';
import { DecisionRepository } from '../src/store/decisions';
import { ensureIndexes } from '../src/store/indexes';
import { InstitutionRepository } from '../src/store/institutions';
import { IssuedCredentialRepository } from '../src/store/issued-credentials';
import { IssuerKeyRepository } from '../src/store/issuer-keys';
import { StatusListRepository } from '../src/store/status-lists';
import { INSTITUTION, earnedDecision } from '../test/support/award';
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

const PUBLIC_URL = 'https://badges.example.lv';
const MB = 1024 * 1024;

function label(n: number): string {
  return n % 1000 === 0 ? `${n / 1000}k` : String(n);
}

interface Dataset {
  db: Database;
  issuance: Issuance;
  platformId: string;
  n: number;
}

/** A fresh database with one real credential and n - 1 copies of it. */
async function makeDataset(uri: string, n: number, log: (l: string) => void): Promise<Dataset> {
  const url = new URL(uri);
  url.pathname = `/export_bench_${randomBytes(4).toString('hex')}`;
  const db = await openDatabase(url.toString());
  const connection = db.connection;
  await ensureIndexes(connection, [...IssuedCredentialRepository.indexes(), ...BadgeRepository.indexes(), ...StatusListRepository.indexes(), ...InstitutionRepository.indexes(), ...DecisionRepository.indexes(), ...IssuerKeyRepository.indexes()]);
  const badges = new BadgeRepository(connection);
  const decisions = new DecisionRepository(connection);
  const institutions = new InstitutionRepository(connection);
  const issuance = createIssuance({ connection, publicUrl: PUBLIC_URL, keyEncryptionKey: 'bench-issuer-key-encryption-key-0123456789', badges, decisions, institutions, now: Date.now });
  const platformId = randomBytes(12).toString('hex');
  await institutions.save(platformId, INSTITUTION, 'bench');
  const parsed = parseBadgeDefinition(badgeDefinitionInput());
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const badge = await badges.create({ platformId, courseId: '2', name: parsed.definition.name.en, createdBy: '3' });
  const version = await badges.saveVersion(badge, parsed.definition, '3');
  const decision = earnedDecision();
  await decisions.record({ platformId, courseId: '2', userId: '4', badgeId: badge.id, badgeVersion: version.version, source: 'rules', earned: true, status: 'earned', progress: decision.progress, decision, earnedAt: decision.earnedAt, evaluatedAt: new Date(), learner: { name: 'Bench Learner', email: 'bench@example.lv' } });
  const template = await issueCredential(issuance.deps, { platformId, platformIssuer: 'https://moodle.example.lv', deploymentId: '1', courseId: '2', courseTitle: 'Bench', userId: '4', badgeId: badge.id, learner: { name: 'Bench Learner', email: 'bench@example.lv', showName: false } });
  const col = connection.collection('credentials');
  const learners = Math.max(1, Math.floor(n / 10));
  const started = Date.now();
  const batch = 1000;
  for (let start = 1; start < n; start += batch) {
    const docs = [];
    for (let i = start; i < Math.min(n, start + batch); i++) {
      const id = randomUUID();
      docs.push({ ...template, id, userId: `u${i % learners}`, idempotencyKey: `bench|${id}`, claimToken: randomUUID(), json: { ...template.json, id: `${PUBLIC_URL}/credentials/${id}` } });
    }
    await col.insertMany(docs, { ordered: false });
  }
  log(`  inserted ${n.toLocaleString('en-US')} credentials in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { db, issuance, platformId, n };
}

const gc: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
})();

async function measure(ds: Dataset, format: ExportFormat): Promise<{ seconds: number; cpuSeconds: number; peakRssMb: number; bytes: number; count: number }> {
  gc();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      cb();
    },
  });
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  try {
    const { count } = await runExport({ connection: ds.db.connection, issuance: ds.issuance }, { platformId: ds.platformId, options: parseExportParams({ format }) }, sink);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const used = process.cpuUsage(cpu);
    peak = Math.max(peak, process.memoryUsage().rss);
    return { seconds, cpuSeconds: (used.user + used.system) / 1e6, peakRssMb: peak / MB, bytes, count };
  } finally {
    clearInterval(timer);
  }
}

export async function runExportBench(options: ExportBenchOptions = {}): Promise<Figure[]> {
  const n = options.n ?? 100_000;
  const small = Math.max(1, Math.round(n / 10));
  const formats = options.formats ?? EXPORT_FORMATS;
  const log = options.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const server = await startMongoServer();
  const figures: Figure[] = [];
  const datasets: Dataset[] = [];
  try {
    log(`export bench on ${server.kind} (${n.toLocaleString('en-US')} and ${small.toLocaleString('en-US')} credentials)`);
    const big = await makeDataset(server.uri, n, log);
    datasets.push(big);
    const little = await makeDataset(server.uri, small, log);
    datasets.push(little);
    for (const format of formats) {
      const results: Record<number, { seconds: number; cpuSeconds: number }> = {};
      for (const ds of [little, big]) {
        const r = await measure(ds, format);
        if (r.count !== ds.n && format !== 'clr') throw new Error(`${format}: exported ${r.count} of ${ds.n}`);
        results[ds.n] = r;
        const l = label(ds.n);
        figures.push(
          { name: `export_${l}_${format}_time`, value: round(r.seconds, 2), unit: 's' },
          { name: `export_${l}_${format}_cpu`, value: round(r.cpuSeconds, 2), unit: 's' },
          { name: `export_${l}_${format}_peak_rss`, value: round(r.peakRssMb, 1), unit: 'MB' },
          { name: `export_${l}_${format}_time_per_10k`, value: round((r.seconds / ds.n) * 10_000, 3), unit: 's' },
          { name: `export_${l}_${format}_output`, value: round(r.bytes / MB, 1), unit: 'MB' },
        );
        log(`  ${format} ${l}: ${r.seconds.toFixed(1)} s (${r.cpuSeconds.toFixed(1)} s CPU here), peak RSS ${r.peakRssMb.toFixed(0)} MB, ${(r.bytes / MB).toFixed(0)} MB out, ${r.count} credentials`);
      }
      const perBig = results[n]!.seconds / n;
      const perSmall = results[small]!.seconds / small;
      figures.push({ name: `export_${format}_linearity`, value: round(perBig / perSmall, 2), unit: 'ratio' });
      const cpuBig = results[n]!.cpuSeconds / n;
      const cpuSmall = results[small]!.cpuSeconds / small;
      figures.push({ name: `export_${format}_cpu_linearity`, value: round(cpuBig / cpuSmall, 2), unit: 'ratio' });
    }
    return figures;
  } finally {
    for (const ds of datasets) {
      await ds.db.connection.dropDatabase().catch(() => undefined);
      await ds.db.close().catch(() => undefined);
    }
    await server.stop();
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
