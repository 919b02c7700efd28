import { credentialViewModel, resultText } from '../http/credential-view';
import type { Locale } from '../lti/launch-context';
import { stringify } from 'csv-stringify/sync';
import { CSV_OPTIONS } from './csv-field';
import type { ExportRecord } from './source';

/** One column: its header and how a record fills it. */
interface Column {
  header: string;
  value: (r: ExportRecord, v: ReturnType<typeof credentialViewModel>, ctx: { publicUrl: string }) => unknown;
}

const credentialUrl = (r: ExportRecord, publicUrl: string) =>
  typeof r.json.id === 'string' && /^https?:\/\//.test(r.json.id) ? r.json.id : `${publicUrl}/credentials/${r.id}`;

const isoOrEmpty = (d: unknown) => (d instanceof Date ? d.toISOString() : d ? new Date(String(d)).toISOString() : '');

/**
 * The columns: the record (id, URL, status, course, badge, learner), then the EU micro-credential elements
 * (Council Recommendation 2022/C 243/02, Annex I) as the credential states them, read with the same view
 * model as the public verification page.
 */
export const CSV_COLUMNS: readonly Column[] = [
  { header: 'credential_id', value: (r) => r.id },
  { header: 'credential_url', value: (r, _v, c) => credentialUrl(r, c.publicUrl) },
  { header: 'status', value: (r) => r.status },
  { header: 'status_reason', value: (r) => r.statusReason ?? '' },
  { header: 'issued_at', value: (r) => isoOrEmpty(r.issuedAt) },
  { header: 'course_id', value: (r) => r.courseId },
  { header: 'badge_id', value: (r) => r.badgeId },
  { header: 'badge_version', value: (r) => r.badgeVersion },
  { header: 'learner_moodle_user_id', value: (r) => r.userId },
  { header: 'title', value: (_r, v) => v.name },
  { header: 'awarding_body', value: (_r, v) => v.issuer.name },
  { header: 'country', value: (_r, v) => v.issuer.country ?? '' },
  { header: 'country_code', value: (_r, v) => v.issuer.countryCode ?? '' },
  { header: 'date_of_issue', value: (_r, v) => v.issuedOn },
  { header: 'valid_until', value: (_r, v) => v.validUntil ?? '' },
  { header: 'learning_outcomes', value: (_r, v) => v.outcomes.join('; ') },
  { header: 'ects_credits', value: (_r, v) => v.ects ?? '' },
  { header: 'workload_hours', value: (_r, v) => v.workloadHours ?? '' },
  { header: 'eqf_level', value: (_r, v) => v.eqf ?? '' },
  { header: 'national_framework', value: (_r, v) => (v.nationalLevel === null ? '' : v.nationalFramework) },
  { header: 'national_level', value: (_r, v) => v.nationalLevel ?? '' },
  { header: 'assessment_type', value: (_r, v) => v.assessmentType },
  { header: 'participation_form', value: (_r, v) => v.participationForm ?? '' },
  { header: 'quality_assurance', value: (_r, v) => v.qualityAssurance },
  { header: 'languages', value: (_r, v) => v.languages },
  { header: 'results', value: (_r, v) => v.results.map(resultText).join('; ') },
  { header: 'stacks_on_credentials', value: (_r, v) => v.stackedCredentials.join(' ') },
];

const csvValues = (record: ExportRecord, options: { publicUrl: string; lang: Locale }) => {
  const view = credentialViewModel(record.json, options.lang);
  return CSV_COLUMNS.map((c) => c.value(record, view, options));
};

/** Rows per csv-stringify call: one chunk of the stream, about 50 KiB. */
const ROWS_PER_CHUNK = 128;

/**
 * CSV writer (a stream.pipeline stage): BOM and header first, then one row per credential, stringified a chunk
 * of rows at a time so the stream carries few, larger writes and memory holds one chunk.
 */
export function csvWriter(options: { publicUrl: string; lang: Locale }) {
  const header = CSV_COLUMNS.map((c) => c.header);
  return async function* csv(records: AsyncIterable<ExportRecord>): AsyncGenerator<string> {
    let rows: unknown[][] = [];
    let first = true;
    const chunk = () => {
      const text = stringify(rows, { ...CSV_OPTIONS, bom: first, header: first, columns: header });
      first = false;
      rows = [];
      return text;
    };
    for await (const record of records) {
      rows.push(csvValues(record, options));
      if (rows.length >= ROWS_PER_CHUNK) yield chunk();
    }
    if (rows.length > 0 || first) yield chunk();
  };
}
