import { parse } from 'csv-parse/sync';

/** RFC 4180 as a spreadsheet reads it (csv-parse, strict): CRLF records, quoted fields with doubled quotes. */
export function parseCsv(text: string): string[][] {
  if (text !== '' && !text.endsWith('\r\n')) throw new Error('last record does not end with CRLF');
  return parse(text, { record_delimiter: '\r\n', relax_column_count: true, skip_empty_lines: false }) as string[][];
}

/** Rows as objects keyed by the header (the BOM is stripped first and must be there). */
export function csvObjects(text: string): Array<Record<string, string>> {
  if (!text.startsWith('\uFEFF')) throw new Error('no UTF-8 BOM');
  const [header, ...rows] = parseCsv(text.slice(1));
  return rows.map((r) => {
    if (r.length !== header!.length) throw new Error(`row has ${r.length} fields, header ${header!.length}`);
    return Object.fromEntries(header!.map((h, i) => [h, r[i]!]));
  });
}
