import { crc32, inflateRawSync } from 'node:zlib';

export interface ReadEntry {
  name: string;
  data: Buffer;
  method: number;
  mtime: Date | null;
  isDirectory: boolean;
}

/**
 * A strict reader for the tests: end of central directory (ZIP64 when present), every central record, the local
 * header it points to (name and sizes must agree), data inflated and CRC-checked. Throws on any inconsistency.
 */
export function readZip(zip: Buffer): { entries: ReadEntry[]; zip64: boolean } {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('no end of central directory record');
  let count = zip.readUInt16LE(eocd + 10);
  let cdSize = zip.readUInt32LE(eocd + 12);
  let cdOffset = zip.readUInt32LE(eocd + 16);
  let zip64 = false;
  if (eocd >= 20 && zip.readUInt32LE(eocd - 20) === 0x07064b50) {
    zip64 = true;
    const recordAt = Number(zip.readBigUInt64LE(eocd - 20 + 8));
    if (zip.readUInt32LE(recordAt) !== 0x06064b50) throw new Error('bad ZIP64 end of central directory record');
    count = Number(zip.readBigUInt64LE(recordAt + 32));
    cdSize = Number(zip.readBigUInt64LE(recordAt + 40));
    cdOffset = Number(zip.readBigUInt64LE(recordAt + 48));
  }
  const entries: ReadEntry[] = [];
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central record ${n} at ${p}`);
    const flags = zip.readUInt16LE(p + 8);
    const method = zip.readUInt16LE(p + 10);
    const crc = zip.readUInt32LE(p + 16);
    const csize = zip.readUInt32LE(p + 20);
    const usize = zip.readUInt32LE(p + 24);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    let offset = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLen).toString(flags & 0x800 ? 'utf8' : 'latin1');
    const extra = zip.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen);
    let mtime: Date | null = null;
    for (let e = 0; e + 4 <= extra.length;) {
      const id = extra.readUInt16LE(e);
      const size = extra.readUInt16LE(e + 2);
      if (id === 0x0001 && offset === 0xffffffff) offset = Number(extra.readBigUInt64LE(e + 4));
      if (id === 0x5455 && extra[e + 4]! & 1) mtime = new Date(extra.readUInt32LE(e + 5) * 1000);
      e += 4 + size;
    }
    if (zip.readUInt32LE(offset) !== 0x04034b50) throw new Error(`bad local header for ${name}`);
    const lNameLen = zip.readUInt16LE(offset + 26);
    const lExtraLen = zip.readUInt16LE(offset + 28);
    if (zip.subarray(offset + 30, offset + 30 + lNameLen).toString('utf8') !== name) throw new Error(`local name differs for ${name}`);
    if (zip.readUInt32LE(offset + 14) !== crc || zip.readUInt32LE(offset + 18) !== csize) throw new Error(`local header differs for ${name}`);
    const start = offset + 30 + lNameLen + lExtraLen;
    const stored = zip.subarray(start, start + csize);
    const data =
      method === 8
        ? inflateRawSync(stored)
        : method === 0
          ? Buffer.from(stored)
          : (() => {
              throw new Error(`method ${method}`);
            })();
    if (data.length !== usize) throw new Error(`size mismatch for ${name}`);
    if ((data.length ? crc32(data) : 0) >>> 0 !== crc) throw new Error(`CRC mismatch for ${name}`);
    entries.push({ name, data, method, mtime, isDirectory: name.endsWith('/') });
    p += 46 + nameLen + extraLen + commentLen;
  }
  if (p !== cdOffset + cdSize) throw new Error('central directory size does not add up');
  return { entries, zip64 };
}
