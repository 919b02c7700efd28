import type { Options } from 'csv-stringify/sync';

/**
 * CSV per RFC 4180 (csv-stringify), made safe to open in a spreadsheet.
 *
 * Formula injection (OWASP "CSV Injection"): a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
 * return (or their full-width forms, which Apple Numbers normalises) may be run as a formula by Excel,
 * LibreOffice, Numbers or Google Sheets. csv-stringify's `escape_formulas` gives such a cell a leading apostrophe,
 * which spreadsheets show as text and do not display; a negative number stays a number. A line feed at the start
 * is treated the same way here (some importers drop it and then read the next character). The check is on the raw
 * value, before quoting, so a value cannot hide a formula behind the quotes.
 *
 * Quoting: a cell with a comma, a double quote, CR or LF is enclosed in double quotes, and each double quote
 * inside it is doubled; records end with CRLF.
 */
const LEADING_LINE_FEED = /^\n/;

export const CSV_OPTIONS: Options = {
  record_delimiter: 'windows',
  escape_formulas: true,
  cast: {
    string: (value) => (LEADING_LINE_FEED.test(value) ? `'${value}` : value),
    date: (value) => value.toISOString(),
  },
};

/** UTF-8 byte order mark: Excel reads the file as UTF-8 only with it (Latvian ā, ē, ī, ū, č, ģ, ķ, ļ, ņ, š, ž). */
export const UTF8_BOM = '\uFEFF';
