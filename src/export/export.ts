import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import type { Connection } from 'mongoose';
import type { IssuerKeyManager } from '../credentials/keys/manager';
import { issuerIdentity } from '../issuance/issuer-identity';
import type { IssuanceDeps } from '../issuance/pipeline';
import { csvWriter } from './csv';
import { isNarrowed, type ExportFilter, type ExportFormat, type ExportOptions } from './filter';
import { jsonlWriter } from './jsonl';
import { CredentialSource, type ExportOrder, type ExportRecord } from './source';
import { zipEntries } from './zip';
import { zipWriter, type ZipWriterOptions } from './zip-writer';

/** What an export uses of the issuance side (the app's `Issuance` is one; the CLI builds just this). */
export interface ExportIssuance {
  deps: Pick<IssuanceDeps, 'publicUrl' | 'badges' | 'institutions'>;
  /** CLR with a VC-JWT proof (the default). */
  keys: Pick<IssuerKeyManager, 'ensureIssuerKeys'>;
}

export interface ExportDeps {
  connection: Connection;
  /** Public URL, badges, institutions and issuer keys come from here. */
  issuance: ExportIssuance;
  now?: () => number;
  /** ZIP: where the central directory spills (tests). */
  zip?: ZipWriterOptions;
}

export interface ExportRequest {
  platformId: string;
  options: ExportOptions;
}

export interface ExportHooks {
  /** Called with the running count of credentials read (for progress). */
  onRecord?: (count: number) => void;
}

export interface FormatInfo {
  contentType: string;
  extension: string;
  /** File name stem: what the file holds. */
  stem: string;
  order: ExportOrder;
}

export const FORMAT_INFO: Readonly<Record<ExportFormat, FormatInfo>> = {
  csv: { contentType: 'text/csv; charset=utf-8; header=present', extension: 'csv', stem: 'credentials', order: 'natural' },
  jsonl: { contentType: 'application/jsonl; charset=utf-8', extension: 'jsonl', stem: 'credentials', order: 'natural' },
  zip: { contentType: 'application/zip', extension: 'zip', stem: 'credentials', order: 'natural' },
  clr: { contentType: 'application/jsonl; charset=utf-8', extension: 'jsonl', stem: 'clr', order: 'learner' },
};

/** e.g. `credentials-20261128-1405.csv`, `clr-20261128-1405.jsonl` (UTC). */
export function exportFilename(format: ExportFormat, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 13);
  const info = FORMAT_INFO[format];
  return `${info.stem}-${stamp}.${info.extension}`;
}

export interface OpenedExport {
  format: ExportFormat;
  contentType: string;
  filename: string;
  filter: ExportFilter;
  /** The file's bytes, pull-based: nothing is read from the database until it is iterated. */
  body: AsyncIterable<string | Buffer>;
}

/**
 * An export as a pull-based stream: database cursor → (progress count) → format writer. Every stage is an
 * async generator, so a chunk is produced only when the consumer asks for one (backpressure end to end) and
 * memory holds one cursor batch plus one output chunk, whatever the number of credentials.
 */
export async function openExport(deps: ExportDeps, request: ExportRequest, hooks: ExportHooks = {}): Promise<OpenedExport> {
  const { options, platformId } = request;
  const now = deps.now ?? Date.now;
  const publicUrl = deps.issuance.deps.publicUrl;
  const format = options.format;
  const info = FORMAT_INFO[format];
  const filter = effectiveFilter(request);
  const source = new CredentialSource(deps.connection);

  async function* counted(records: AsyncIterable<ExportRecord>): AsyncGenerator<ExportRecord> {
    let n = 0;
    for await (const r of records) {
      hooks.onRecord?.(++n);
      yield r;
    }
  }
  const records = () => counted(source.records(filter, { order: info.order, withJwt: format === 'zip' }));

  // Loaded when asked for (require): a ZIP's badge pictures bring the SVG renderer, a CLR the JSON-LD context
  // packages; a CSV or JSONL export loads neither.
  let body: AsyncIterable<string | Buffer>;
  if (format === 'csv') body = csvWriter({ publicUrl, lang: options.lang })(records());
  else if (format === 'jsonl') body = jsonlWriter()(records());
  else if (format === 'zip') {
    const { BadgeImageCache } = require('./badge-images') as typeof import('./badge-images');
    const institution = await deps.issuance.deps.institutions.find(platformId);
    const images = new BadgeImageCache(deps.issuance.deps.badges, institution);
    body = zipWriter(deps.zip)(zipEntries(images)(records()));
  } else {
    const { clrWriter } = require('./clr') as typeof import('./clr');
    const institution = await deps.issuance.deps.institutions.find(platformId);
    const issuerKeys = options.clrProof === 'vc-jwt' ? await deps.issuance.keys.ensureIssuerKeys(platformId) : undefined;
    body = clrWriter({
      identity: issuerIdentity(publicUrl, platformId),
      institution,
      partial: isNarrowed({ ...options.filter, status: undefined }),
      proof: options.clrProof,
      issuerKeys,
      now,
    })(records());
  }
  return { format, contentType: info.contentType, filename: exportFilename(format, new Date(now())), filter, body };
}

/** Runs an export into a writable (a file, stdout, an HTTP response) with stream.pipeline; resolves with the count. */
export async function runExport(
  deps: ExportDeps,
  request: ExportRequest,
  destination: Writable,
  hooks: ExportHooks = {},
): Promise<{ count: number; filename: string }> {
  let count = 0;
  const opened = await openExport(deps, request, {
    onRecord: (n) => {
      count = n;
      hooks.onRecord?.(n);
    },
  });
  await pipeline(opened.body, destination);
  return { count, filename: opened.filename };
}

/** How many credentials a request covers (for a progress total). */
export async function countExport(deps: ExportDeps, request: ExportRequest): Promise<number> {
  return new CredentialSource(deps.connection).count(effectiveFilter(request));
}

/** The request's filter on its platform. A CLR is a learner's record of achievements: revoked and suspended credentials stay out of it unless a status is asked for. */
export function effectiveFilter(request: ExportRequest): ExportFilter {
  const { options, platformId } = request;
  const status = options.format === 'clr' && !options.filter.status ? { status: 'active' as const } : {};
  return { ...options.filter, platformId, ...status };
}
