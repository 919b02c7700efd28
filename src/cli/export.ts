import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Connection } from 'mongoose';
import type { Config } from '../config';
import { createIssuerKeyManager } from '../credentials/keys/manager';
import { AppError } from '../errors';
import { countExport, runExport, type ExportIssuance, type ExportRequest } from '../export/export';
import { parseExportParams } from '../export/filter';
import { ProgressBar, type ProgressSink } from '../export/progress';
import { BadgeRepository } from '../store/badges';
import { InstitutionRepository } from '../store/institutions';
import { PlatformRepository } from '../store/platforms';
import type { CliIo } from './platforms';

export const EXPORT_USAGE = `  export --platform ID --format csv|jsonl|zip|clr --out FILE
         [--course ID] [--badge ID] [--from DATE] [--until DATE] [--status active|revoked|suspended]
         [--lang en|lv] [--clr-proof vc-jwt|none]
                             export the platform's issued credentials; DATE is YYYY-MM-DD (until: whole day
                             included) or an ISO 8601 date-time; progress goes to stderr`;

export interface ExportCommandDeps {
  connection: Connection;
  issuance: ExportIssuance;
  /** When given, an unknown platform id is refused instead of giving an empty file. */
  platforms?: { findById(id: string): Promise<unknown | null> };
  now?: () => number;
}

export interface ExportCliIo extends CliIo {
  /** Progress output (default process.stderr): `\r` redraws on a TTY, plain lines otherwise. */
  progress?: ProgressSink;
}

/**
 * What `export` needs, and nothing more: the repositories it reads and the issuer keys (a CLR with a VC-JWT
 * proof). The app is not built, so the export process never loads ltijs, the web server, the JSON-LD and Data
 * Integrity libraries or, unless a ZIP is asked for, the badge renderer.
 */
export function exportDeps(config: Config, connection: Connection): ExportCommandDeps {
  const issuance: ExportIssuance = {
    deps: { publicUrl: config.publicUrl, badges: new BadgeRepository(connection), institutions: new InstitutionRepository(connection) },
    keys: createIssuerKeyManager(connection, config.secrets.issuerKeyEncryptionKey),
  };
  return { connection, issuance, platforms: new PlatformRepository(connection) };
}

const EXPORT_OPTIONS = {
  platform: { type: 'string' },
  format: { type: 'string' },
  course: { type: 'string' },
  badge: { type: 'string' },
  from: { type: 'string' },
  until: { type: 'string' },
  status: { type: 'string' },
  lang: { type: 'string' },
  'clr-proof': { type: 'string' },
  out: { type: 'string' },
} as const;

/** The command line as an export request and an output path, or the usage error already written to `io`. */
function parseExportCommand(args: string[], io: CliIo): { request: ExportRequest; out: string } | null {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({ args, options: EXPORT_OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    io.err(`${(err as Error).message}\n\nUsage:\n${EXPORT_USAGE}`);
    return null;
  }
  const missing = ['platform', 'format', 'out'].filter((k) => !values[k]).map((k) => `--${k}`);
  if (missing.length) {
    io.err(`Missing: ${missing.join(', ')}\n\nUsage:\n${EXPORT_USAGE}`);
    return null;
  }
  try {
    const options = parseExportParams({
      format: values.format,
      courseId: values.course,
      badgeId: values.badge,
      from: values.from,
      until: values.until,
      status: values.status,
      lang: values.lang,
      clrProof: values['clr-proof'],
    });
    return { request: { platformId: values.platform!, options }, out: path.resolve(values.out!) };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    io.err(`${err.code}: ${err.message}`);
    return null;
  }
}

/**
 * `export …`: streams the credentials into FILE (written as FILE.partial and renamed when complete, so a
 * failed or interrupted export never leaves a truncated file under the final name). Exit 0 done, 1 failed,
 * 2 usage.
 */
export async function exportCommand(args: string[], deps: ExportCommandDeps, io: ExportCliIo): Promise<number> {
  const parsed = parseExportCommand(args, io);
  if (!parsed) return 2;
  const { request, out } = parsed;
  if (deps.platforms && !(await deps.platforms.findById(request.platformId))) {
    io.err(`There is no platform ${request.platformId} (see: platform list --json).`);
    return 2;
  }
  return writeExportFile(deps, io, request, out);
}

/** Runs the export into `out`.partial with a progress bar, then renames it; exit 0 done, 1 failed. */
async function writeExportFile(deps: ExportCommandDeps, io: ExportCliIo, request: ExportRequest, out: string): Promise<number> {
  const partial = `${out}.partial`;
  const sink: ProgressSink = io.progress ?? process.stderr;
  const total = await countExport({ connection: deps.connection, issuance: deps.issuance }, request);
  const bar = new ProgressBar({ label: `Exporting ${request.options.format}`, total, sink, now: deps.now });
  const started = Date.now();
  try {
    const { count } = await runExport(
      { connection: deps.connection, issuance: deps.issuance, now: deps.now },
      request,
      createWriteStream(partial, { mode: 0o600 }),
      { onRecord: (n) => bar.update(n) },
    );
    bar.done();
    await rename(partial, out);
    const seconds = (Date.now() - started) / 1000;
    io.out(`Exported ${count} credential${count === 1 ? '' : 's'} (${request.options.format}) to ${out} in ${seconds.toFixed(1)} s.`);
    return 0;
  } catch (err) {
    await rm(partial, { force: true });
    if (sink.isTTY) sink.write('\n');
    io.err(`Export failed: ${err instanceof AppError ? `${err.code}: ${err.message}` : (err as Error).message}`);
    return 1;
  }
}
