/**
 * CSV cells per RFC 4180, made safe to open in a spreadsheet.
 *
 * Formula injection (OWASP "CSV Injection"): a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
 * return may be run as a formula by Excel, LibreOffice or Google Sheets. Such a cell gets a leading apostrophe,
 * which spreadsheets show as text and do not display. A line feed at the start is treated the same way (some
 * importers drop it and then read the next character). The check is on the raw value, before quoting, so a
 * value cannot hide a formula behind the quotes.
 *
 * Quoting: a cell with a comma, a double quote, CR or LF is enclosed in double quotes, and each double quote
 * inside it is doubled; records end with CRLF.
 */
const FORMULA_START = /^[=+\-@\t\r\n]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = neutraliseFormula(value instanceof Date ? value.toISOString() : String(value));
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvRecord = (fields: readonly unknown[]) => fields.map(csvField).join(',') + '\r\n';

/** UTF-8 byte order mark: Excel reads the file as UTF-8 only with it (Latvian ā, ē, ī, ū, č, ģ, ķ, ļ, ņ, š, ž). */
export const UTF8_BOM = '\uFEFF';
