import { crc32 } from 'node:zlib';
import extractChunks from 'png-chunks-extract';
import { AppError } from '../../errors';
import { credentialToText, textToCredential, type BakeableCredential, type UnbakeResult } from './credential-text';
import { decodeTextChunk, encodeITXt, textChunkKeyword } from './png-text-chunk';

/** The iTXt keyword Open Badges 3.0 (§5.3.1) bakes the credential under. */
export const PNG_CREDENTIAL_KEYWORD = 'openbadgecredential';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

type Chunk = { name: string; data: Uint8Array };

function pngInvalid(message: string, cause?: unknown): AppError {
  return new AppError('PNG_INVALID', message, { status: 400, cause });
}

/** The chunks of a PNG, checked: signature, CRCs, IHDR first and IEND last (the library checks the last three). */
function readChunks(png: Uint8Array): Chunk[] {
  if (!(png instanceof Uint8Array) || png.length < PNG_SIGNATURE.length + 12 || !PNG_SIGNATURE.equals(png.subarray(0, 8))) {
    throw pngInvalid('The image is not a PNG file.');
  }
  try {
    return extractChunks(png);
  } catch (cause) {
    throw pngInvalid('The PNG file is damaged.', cause);
  }
}

// By keyword alone, so a damaged credential chunk is replaced too.
function isCredentialChunk(chunk: Chunk): boolean {
  return textChunkKeyword(chunk) === PNG_CREDENTIAL_KEYWORD;
}

/** A chunk as it is written: length, type, data, CRC (by zlib, in native code). */
function encodeChunk(chunk: Chunk): Buffer {
  const out = Buffer.alloc(12 + chunk.data.length);
  out.writeUInt32BE(chunk.data.length, 0);
  out.write(chunk.name, 4, 'latin1');
  out.set(chunk.data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + chunk.data.length)) >>> 0, 8 + chunk.data.length);
  return out;
}

/**
 * Bakes credentials into one picture: the PNG is parsed and checked once, without any credential chunk it
 * had; each bake then only encodes the credential's iTXt chunk between the unchanged chunks and IEND. For
 * many credentials on one badge (an export) and for one (bakePng) alike.
 */
export class PngBaker {
  private readonly head: Buffer;
  private readonly tail: Buffer;

  /** Throws PNG_INVALID when the input is not a sound PNG. */
  constructor(png: Uint8Array) {
    const chunks = readChunks(png).filter((chunk) => !isCredentialChunk(chunk));
    const iend = chunks.findIndex((chunk) => chunk.name === 'IEND');
    this.head = Buffer.concat([PNG_SIGNATURE, ...chunks.slice(0, iend).map(encodeChunk)]);
    this.tail = Buffer.concat(chunks.slice(iend).map(encodeChunk));
  }

  /** The picture with the credential in one uncompressed iTXt chunk `openbadgecredential` just before IEND. */
  bake(credential: BakeableCredential): Buffer {
    return this.bakeText(credentialToText(credential));
  }

  private bakeText(text: string): Buffer {
    const itxt = encodeChunk({ name: 'iTXt', data: encodeITXt(PNG_CREDENTIAL_KEYWORD, text) });
    return Buffer.concat([this.head, itxt, this.tail]);
  }

  /** bakePng: the credential is checked before the picture, as it always was. */
  static bakeOnce(png: Uint8Array, credential: BakeableCredential): Buffer {
    const text = credentialToText(credential);
    return new PngBaker(png).bakeText(text);
  }
}

/**
 * Bakes the credential into a PNG: one uncompressed iTXt chunk `openbadgecredential` just before IEND,
 * replacing any earlier credential chunk (iTXt, tEXt or zTXt), as §5.3.1 allows only one.
 */
export function bakePng(png: Buffer, credential: BakeableCredential): Buffer {
  return PngBaker.bakeOnce(png, credential);
}

/**
 * The credential baked into a PNG, if any. Reads the iTXt chunk and, leniently, tEXt/zTXt ones with the
 * same keyword; an iTXt wins over the others. Input that is not a PNG throws PNG_INVALID.
 */
export function unbakePng(png: Buffer): UnbakeResult {
  const texts = readChunks(png)
    .map((chunk) => ({ type: chunk.name, text: decodeTextChunk(chunk) }))
    .filter((entry) => entry.text?.keyword === PNG_CREDENTIAL_KEYWORD);
  const chosen = texts.find((entry) => entry.type === 'iTXt') ?? texts[0];
  if (!chosen?.text) return { found: false, reason: `The PNG has no ${PNG_CREDENTIAL_KEYWORD} chunk.` };
  return textToCredential(chosen.text.text);
}
