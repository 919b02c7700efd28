import encodeChunks from 'png-chunks-encode';
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

/**
 * Bakes the credential into a PNG: one uncompressed iTXt chunk `openbadgecredential` just before IEND,
 * replacing any earlier credential chunk (iTXt, tEXt or zTXt), as §5.3.1 allows only one.
 */
export function bakePng(png: Buffer, credential: BakeableCredential): Buffer {
  const text = credentialToText(credential);
  const chunks = readChunks(png).filter((chunk) => !isCredentialChunk(chunk));
  const iend = chunks.findIndex((chunk) => chunk.name === 'IEND');
  chunks.splice(iend, 0, { name: 'iTXt', data: encodeITXt(PNG_CREDENTIAL_KEYWORD, text) });
  return Buffer.from(encodeChunks(chunks));
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
