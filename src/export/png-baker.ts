import extractChunks from 'png-chunks-extract';
import { crc32 } from 'node:zlib';
import { credentialToText, type BakeableCredential } from '../credentials/bake/credential-text';
import { PNG_CREDENTIAL_KEYWORD } from '../credentials/bake/png';
import { encodeITXt, textChunkKeyword } from '../credentials/bake/png-text-chunk';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function encodeChunk(name: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(name, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)) >>> 0, 8 + data.length);
  return out;
}

/**
 * bakePng (src/credentials/bake/png.ts) for many credentials on one picture: the PNG is parsed once, and each
 * bake only encodes the credential's iTXt chunk (CRC by zlib) between the unchanged chunks and IEND. The
 * output is byte-for-byte what bakePng gives (a test checks it); bakePng re-encodes the whole image with a
 * JavaScript CRC each time, about 20 ms for a badge, which dominated a ZIP export of many credentials.
 */
export class PngBaker {
  private readonly head: Buffer;
  private readonly tail: Buffer;

  constructor(png: Buffer) {
    if (png.length < 20 || !PNG_SIGNATURE.equals(png.subarray(0, 8))) throw new Error('PngBaker: not a PNG');
    const chunks = extractChunks(png).filter((c) => textChunkKeyword(c) !== PNG_CREDENTIAL_KEYWORD);
    const iend = chunks.findIndex((c) => c.name === 'IEND');
    this.head = Buffer.concat([PNG_SIGNATURE, ...chunks.slice(0, iend).map((c) => encodeChunk(c.name, c.data))]);
    this.tail = Buffer.concat(chunks.slice(iend).map((c) => encodeChunk(c.name, c.data)));
  }

  bake(credential: BakeableCredential): Buffer {
    const itxt = encodeChunk('iTXt', encodeITXt(PNG_CREDENTIAL_KEYWORD, credentialToText(credential)));
    return Buffer.concat([this.head, itxt, this.tail]);
  }
}
