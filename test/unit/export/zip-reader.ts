import { buffer } from 'node:stream/consumers';
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';

export interface ReadEntry {
  name: string;
  data: Buffer;
  method: number;
  mtime: Date;
  isDirectory: boolean;
}

const ZIP64_LOCATOR = 0x07064b50;
const EOCD = 0x06054b50;

/** Whether the archive ends with ZIP64 end records (the locator sits right before the end of central directory). */
function hasZip64EndRecords(zip: Buffer): boolean {
  const eocd = zip.lastIndexOf(Buffer.from(Uint32Array.of(EOCD).buffer));
  return eocd >= 20 && zip.readUInt32LE(eocd - 20) === ZIP64_LOCATOR;
}

/**
 * Reads an archive the way an independent unzip would: yauzl (strict names, sizes validated, each local header
 * read and checked against its central record), every entry inflated and its CRC-32 checked, which yauzl leaves
 * to the caller. Throws on any inconsistency, so a writer bug cannot hide behind a reader written alongside it.
 */
export async function readZip(zip: Buffer): Promise<{ entries: ReadEntry[]; zip64: boolean }> {
  const file = await yauzl.fromBufferPromise(zip, { strictFileNames: true, validateEntrySizes: true });
  const entries: ReadEntry[] = [];
  try {
    for (;;) {
      const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
        file
          .once('entry', resolve)
          .once('end', () => resolve(null))
          .once('error', reject);
        file.readEntry();
      });
      file.removeAllListeners('entry').removeAllListeners('end').removeAllListeners('error');
      if (entry === null) break;
      const data = await buffer(await file.openReadStreamPromise(entry));
      if ((data.length ? crc32(data) : 0) >>> 0 !== entry.crc32) throw new Error(`CRC mismatch for ${entry.fileName}`);
      entries.push({
        name: entry.fileName,
        data,
        method: entry.compressionMethod,
        mtime: entry.getLastModDate(),
        isDirectory: entry.fileName.endsWith('/'),
      });
    }
  } finally {
    file.close();
  }
  return { entries, zip64: hasZip64EndRecords(zip) };
}
