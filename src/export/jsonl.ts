import type { ExportRecord } from './source';

/**
 * JSON Lines writer (a stream.pipeline stage): each line is one signed credential exactly as issued (the
 * Data Integrity JSON with its proof), so every line verifies on its own. Lines are gathered into chunks of
 * about 64 KiB.
 */
export function jsonlWriter() {
  return async function* jsonl(records: AsyncIterable<ExportRecord>): AsyncGenerator<string> {
    let chunk = '';
    for await (const record of records) {
      // JSON.stringify (no indent) escapes control characters in strings, so a line is always exactly one record
      chunk += JSON.stringify(record.json) + '\n';
      if (chunk.length >= 65_536) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  };
}
