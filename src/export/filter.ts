import { AppError } from '../errors';
import type { Locale } from '../lti/launch-context';
import type { CredentialStatus } from '../store/issued-credentials';

/** Which credentials an export holds. `platformId` is required: an export never crosses institutions. */
export interface ExportFilter {
  platformId: string;
  courseId?: string;
  badgeId?: string;
  /** issuedAt >= from */
  from?: Date;
  /** issuedAt < until (exclusive; a date-only `until` is taken as the whole day, see parseUntil). */
  until?: Date;
  status?: CredentialStatus;
}

export const EXPORT_FORMATS = ['csv', 'jsonl', 'zip', 'clr'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CREDENTIAL_STATUSES: readonly CredentialStatus[] = ['active', 'revoked', 'suspended'];

/** How a CLR is secured: none (see src/export/README.md, "CLR and signing") or a VC-JWT (RS256). */
export type ClrProof = 'none' | 'vc-jwt';

export interface ExportOptions {
  format: ExportFormat;
  filter: Omit<ExportFilter, 'platformId'>;
  /** Language of the localised CSV columns. */
  lang: Locale;
  clrProof: ClrProof;
}

const bad = (code: string, message: string, details?: Record<string, unknown>) => new AppError(code, message, { status: 400, details });

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/** A calendar date (UTC) or an ISO 8601 date-time with zone; null when it is neither or not a real date. */
function parseInstant(value: string): { date: Date; dateOnly: boolean } | null {
  const d = DATE_ONLY.exec(value);
  if (d) {
    const [y, m, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
    const date = new Date(Date.UTC(y, m - 1, day));
    // 2026-02-30 rolls over into March: not a real date
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== day) return null;
    return { date, dateOnly: true };
  }
  if (!DATE_TIME.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : { date, dateOnly: false };
}

/** `from`: a date means from the start of that day (UTC); a date-time is used as it is (inclusive). */
export function parseFrom(value: string): Date {
  const parsed = parseInstant(value.trim());
  if (!parsed)
    throw bad('EXPORT_DATE_INVALID', `"from" must be a date (YYYY-MM-DD) or an ISO 8601 date-time with a time zone, not "${value.slice(0, 40)}".`, {
      parameter: 'from',
    });
  return parsed.date;
}

/** `until`: a date includes that whole day (UTC); a date-time is inclusive to the millisecond. Returns the exclusive bound. */
export function parseUntil(value: string): Date {
  const parsed = parseInstant(value.trim());
  if (!parsed)
    throw bad('EXPORT_DATE_INVALID', `"until" must be a date (YYYY-MM-DD) or an ISO 8601 date-time with a time zone, not "${value.slice(0, 40)}".`, {
      parameter: 'until',
    });
  return new Date(parsed.date.getTime() + (parsed.dateOnly ? 86_400_000 : 1));
}

const ID = /^[\w.:@-]{1,100}$/;

/** The names callers use; the HTTP query and the CLI map onto these. */
export interface RawExportParams {
  format?: string;
  courseId?: string;
  badgeId?: string;
  from?: string;
  until?: string;
  status?: string;
  lang?: string;
  clrProof?: string;
}

/** Validates export parameters; every problem is a 400 AppError with a stable code. */
export function parseExportParams(raw: RawExportParams): ExportOptions {
  const format = raw.format ?? 'csv';
  if (!(EXPORT_FORMATS as readonly string[]).includes(format))
    throw bad('EXPORT_FORMAT_INVALID', `Unknown format "${format.slice(0, 20)}": use ${EXPORT_FORMATS.join(', ')}.`, { allowed: EXPORT_FORMATS });
  const filter: ExportOptions['filter'] = {};
  for (const key of ['courseId', 'badgeId'] as const) {
    const v = raw[key];
    if (v === undefined || v === '') continue;
    if (!ID.test(v)) throw bad('EXPORT_PARAM_INVALID', `"${key}" is not a valid id.`, { parameter: key });
    filter[key] = v;
  }
  if (raw.from) filter.from = parseFrom(raw.from);
  if (raw.until) filter.until = parseUntil(raw.until);
  if (filter.from && filter.until && filter.from >= filter.until)
    throw bad('EXPORT_DATE_RANGE_INVALID', '"from" must be before "until".', { parameter: 'from' });
  if (raw.status) {
    if (!(CREDENTIAL_STATUSES as readonly string[]).includes(raw.status))
      throw bad('EXPORT_STATUS_INVALID', `"status" must be one of ${CREDENTIAL_STATUSES.join(', ')}.`, { parameter: 'status' });
    filter.status = raw.status as CredentialStatus;
  }
  const lang = raw.lang ?? 'en';
  if (lang !== 'en' && lang !== 'lv') throw bad('EXPORT_PARAM_INVALID', '"lang" must be en or lv.', { parameter: 'lang' });
  // a CLR is signed unless asked otherwise (VC-JWT: the only proof CLR allows that needs no unpinned context)
  const clrProof = raw.clrProof ?? (format === 'clr' ? 'vc-jwt' : 'none');
  if (clrProof !== 'none' && clrProof !== 'vc-jwt') throw bad('EXPORT_PARAM_INVALID', '"clrProof" must be none or vc-jwt.', { parameter: 'clrProof' });
  if (clrProof !== 'none' && format !== 'clr') throw bad('EXPORT_PARAM_INVALID', '"clrProof" applies to the clr format only.', { parameter: 'clrProof' });
  return { format: format as ExportFormat, filter, lang, clrProof };
}

/** The parameters of an HTTP query string: single values only, nothing unknown (a typo must not widen an export). */
export function paramsFromQuery(query: Record<string, unknown>, allowedExtra: readonly string[] = []): RawExportParams {
  const known = ['format', 'courseId', 'badgeId', 'from', 'until', 'status', 'lang', 'clrProof'] as const;
  const out: RawExportParams = {};
  for (const [key, value] of Object.entries(query)) {
    if (allowedExtra.includes(key)) continue;
    if (!(known as readonly string[]).includes(key))
      throw bad('EXPORT_PARAM_UNKNOWN', `Unknown parameter "${key.slice(0, 40)}".`, { parameter: key, allowed: known });
    if (typeof value !== 'string') throw bad('EXPORT_PARAM_INVALID', `"${key}" must be given once.`, { parameter: key });
    out[key as (typeof known)[number]] = value;
  }
  return out;
}

/** The MongoDB query of a filter: completed credentials of the platform only. */
export function toQuery(filter: ExportFilter): Record<string, unknown> {
  if (typeof filter.platformId !== 'string' || !filter.platformId)
    throw new AppError('EXPORT_PLATFORM_REQUIRED', 'An export needs a platform.', { status: 500 });
  const q: Record<string, unknown> = { platformId: filter.platformId, state: 'issued' };
  if (filter.courseId !== undefined) q.courseId = filter.courseId;
  if (filter.badgeId !== undefined) q.badgeId = filter.badgeId;
  if (filter.status !== undefined) q.status = filter.status;
  if (filter.from || filter.until) {
    const range: Record<string, Date> = {};
    if (filter.from) range.$gte = filter.from;
    if (filter.until) range.$lt = filter.until;
    q.issuedAt = range;
  }
  return q;
}

/** Whether the filter narrows the platform's credentials (a CLR built from it is then `partial`). */
export const isNarrowed = (f: Omit<ExportFilter, 'platformId'>) =>
  f.courseId !== undefined || f.badgeId !== undefined || f.from !== undefined || f.until !== undefined || f.status !== undefined;
