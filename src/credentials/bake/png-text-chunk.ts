import { inflateSync } from 'node:zlib';

/** A PNG text chunk: its keyword and its text (whatever the chunk type). */
export interface PngText {
  keyword: string;
  text: string;
}

const NUL = 0;

/**
 * iTXt chunk data (PNG spec §11.3.4.5): keyword, NUL, compression flag 0, method 0, empty language tag,
 * NUL, empty translated keyword, NUL, then the UTF-8 text. Uncompressed, as Open Badges 3.0 §5.3 bakes it.
 */
export function encodeITXt(keyword: string, text: string): Uint8Array {
  if (!/^[\x20-\x7e]{1,79}$/.test(keyword)) throw new RangeError(`invalid PNG keyword: ${keyword}`);
  return Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([NUL, 0, 0, NUL, NUL]), Buffer.from(text, 'utf8')]);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

// tEXt/zTXt are Latin-1 by the spec, but some bakers put UTF-8 there; accept it when it is valid UTF-8.
function decodeLatin1OrUtf8(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return Buffer.from(bytes).toString('latin1');
  }
}

function keywordEnd(data: Uint8Array): number {
  const end = data.indexOf(NUL);
  return end >= 1 && end <= 79 ? end : -1;
}

const TEXT_CHUNKS = new Set(['iTXt', 'tEXt', 'zTXt']);

/** The keyword of an iTXt, tEXt or zTXt chunk, even when its text is damaged; null for other chunks. */
export function textChunkKeyword(chunk: { name: string; data: Uint8Array }): string | null {
  if (!TEXT_CHUNKS.has(chunk.name)) return null;
  const end = keywordEnd(chunk.data);
  return end < 0 ? null : Buffer.from(chunk.data.subarray(0, end)).toString('latin1');
}

/** Keyword and text of an iTXt, tEXt or zTXt chunk; null for other chunks or malformed data. */
export function decodeTextChunk(chunk: { name: string; data: Uint8Array }): PngText | null {
  const { name, data } = chunk;
  const keyword = textChunkKeyword(chunk);
  if (keyword === null) return null;
  const end = keyword.length;
  try {
    if (name === 'tEXt') return { keyword, text: decodeLatin1OrUtf8(data.subarray(end + 1)) };
    if (name === 'zTXt') return { keyword, text: decodeLatin1OrUtf8(inflateSync(data.subarray(end + 2))) };
    if (name !== 'iTXt') return null;
    const compressed = data[end + 1] === 1;
    const languageEnd = data.indexOf(NUL, end + 3);
    const translatedEnd = languageEnd < 0 ? -1 : data.indexOf(NUL, languageEnd + 1);
    if (translatedEnd < 0) return null;
    const body = data.subarray(translatedEnd + 1);
    return { keyword, text: strictUtf8.decode(compressed ? inflateSync(body) : body) };
  } catch {
    return null; // bad deflate stream or invalid UTF-8 in an iTXt
  }
}
