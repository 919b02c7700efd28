import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { crc32, deflateRaw } from 'node:zlib';

const deflate = promisify(deflateRaw);

/** One file (or folder, name ending in `/`) of the archive. The data of a file is given whole: one credential's PNG or JSON is small. */
export interface ZipEntry {
  name: string;
  data?: Buffer;
  mtime: Date;
  /** Deflate the data (text); PNGs are already compressed and are stored. Default true. */
  compress?: boolean;
}

export interface ZipWriterOptions {
  /** Central directory bytes kept in memory before they go to a temporary file (default 8 MiB). */
  spillThresholdBytes?: number;
  /** Where the temporary file goes (default the OS temp dir). */
  tmpDir?: string;
  /** Write the ZIP64 end records even for a small archive (tests). */
  forceZip64?: boolean;
}

const U16 = 0xffff;
const U32 = 0xffffffff;
const VERSION_MADE_BY = (3 << 8) | 45; // UNIX, spec 4.5
const FLAG_UTF8 = 0x0800;
const FILE_ATTRS = (0o100644 << 16) >>> 0;
const DIR_ATTRS = ((0o040755 << 16) | 0x10) >>> 0;
const DOS_EPOCH = new Date(1980, 0, 1);

/** MS-DOS date and time (local fields, as every unzip reads them); 1980 is the earliest it can say. */
function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.max(1980, Math.min(2107, d.getFullYear()));
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/** Info-ZIP extended timestamp (0x5455): the exact UTC modification time. */
function extendedTimestamp(d: Date): Buffer {
  const b = Buffer.alloc(9);
  b.writeUInt16LE(0x5455, 0);
  b.writeUInt16LE(5, 2);
  b.writeUInt8(1, 4); // mtime present
  b.writeUInt32LE(Math.max(0, Math.min(U32, Math.floor(d.getTime() / 1000))), 5);
  return b;
}

/** What the local file header and the central directory record of an entry both say about it. */
interface HeaderFields {
  method: number;
  time: number;
  date: number;
  crc: number;
  compressedSize: number;
  size: number;
}

/** What only the central directory record says: its version needed (45 with a ZIP64 extra), attributes and the local header's offset. */
interface CentralFields {
  versionNeeded: number;
  externalAttributes: number;
  localHeaderOffset: number;
}

/**
 * A local file header (spec 4.3.7, 30 bytes) or, given `central`, a central directory record (4.3.12, 46 bytes),
 * followed by the name and the extra field. Both carry the same run of fields, from "version needed" to "extra
 * field length"; the central record has "version made by" before it, and comment length, disk number, internal
 * and external attributes and the local header's offset after it.
 */
function entryHeader(f: HeaderFields, name: Buffer, extra: Buffer, central?: CentralFields): Buffer {
  const fixed = central ? 46 : 30;
  const b = Buffer.alloc(fixed + name.length + extra.length);
  b.writeUInt32LE(central ? 0x02014b50 : 0x04034b50, 0);
  if (central) b.writeUInt16LE(VERSION_MADE_BY, 4);
  let at = b.writeUInt16LE(central?.versionNeeded ?? 20, central ? 6 : 4);
  at = b.writeUInt16LE(FLAG_UTF8, at);
  at = b.writeUInt16LE(f.method, at);
  at = b.writeUInt16LE(f.time, at);
  at = b.writeUInt16LE(f.date, at);
  at = b.writeUInt32LE(f.crc >>> 0, at);
  at = b.writeUInt32LE(f.compressedSize, at);
  at = b.writeUInt32LE(f.size, at);
  at = b.writeUInt16LE(name.length, at);
  at = b.writeUInt16LE(extra.length, at);
  if (central) {
    // comment length, disk number and internal attributes stay 0
    b.writeUInt32LE(central.externalAttributes, at + 6);
    b.writeUInt32LE(central.localHeaderOffset, at + 10);
  }
  name.copy(b, fixed);
  extra.copy(b, fixed + name.length);
  return b;
}

/**
 * Central directory records, in memory up to a threshold and then in a temporary file, so a ZIP of a
 * million files still holds only a few megabytes.
 */
class CentralDirectory {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private file: { dir: string; path: string; handle: FileHandle } | null = null;
  size = 0;
  count = 0;

  constructor(
    private readonly threshold: number,
    private readonly tmpDir: string,
  ) {}

  async add(record: Buffer): Promise<void> {
    this.chunks.push(record);
    this.buffered += record.length;
    this.size += record.length;
    this.count++;
    if (this.buffered >= this.threshold) await this.spill();
  }

  private async spill(): Promise<void> {
    if (!this.file) {
      const dir = await mkdtemp(path.join(this.tmpDir, 'zip-cd-'));
      const file = path.join(dir, 'central-directory');
      this.file = { dir, path: file, handle: await open(file, 'w', 0o600) };
    }
    const data = Buffer.concat(this.chunks, this.buffered);
    this.chunks = [];
    this.buffered = 0;
    await this.file.handle.write(data);
  }

  async *read(): AsyncGenerator<Buffer> {
    if (this.file) {
      await this.spill();
      await this.file.handle.close();
      for await (const chunk of createReadStream(this.file.path, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
    } else if (this.chunks.length) {
      yield Buffer.concat(this.chunks, this.buffered);
    }
  }

  async dispose(): Promise<void> {
    if (!this.file) return;
    await this.file.handle.close().catch(() => undefined);
    await rm(this.file.dir, { recursive: true, force: true });
    this.file = null;
  }
}

/** An entry ready to write: its header fields, UTF-8 name, extra field and (maybe deflated) data. */
interface PackedEntry {
  fields: HeaderFields;
  name: Buffer;
  extra: Buffer;
  data: Buffer;
  isDir: boolean;
}

async function packEntry(entry: ZipEntry): Promise<PackedEntry> {
  const isDir = entry.name.endsWith('/');
  const name = Buffer.from(entry.name, 'utf8');
  if (name.length > U16) throw new Error(`ZIP entry name too long: ${entry.name.slice(0, 60)}…`);
  const raw = isDir ? Buffer.alloc(0) : (entry.data ?? Buffer.alloc(0));
  if (raw.length >= U32) throw new Error(`ZIP entry too large: ${entry.name}`);
  let method = 0;
  let data = raw;
  if (!isDir && entry.compress !== false && raw.length > 64) {
    const packed = await deflate(raw, { level: 6 });
    // data that does not shrink is stored
    if (packed.length < raw.length) {
      method = 8;
      data = packed;
    }
  }
  const mtime = Number.isNaN(entry.mtime.getTime()) ? DOS_EPOCH : entry.mtime;
  const fields: HeaderFields = { method, ...dosDateTime(mtime), crc: raw.length ? crc32(raw) : 0, compressedSize: data.length, size: raw.length };
  return { fields, name, extra: extendedTimestamp(mtime), data, isDir };
}

/** The entry's central directory record: its offset goes into a ZIP64 extra field once it no longer fits 32 bits. */
function centralRecord(e: PackedEntry, headerOffset: number): Buffer {
  const zip64 = headerOffset >= U32;
  const zip64Extra = zip64 ? Buffer.alloc(12) : Buffer.alloc(0);
  if (zip64) {
    zip64Extra.writeUInt16LE(0x0001, 0);
    zip64Extra.writeUInt16LE(8, 2);
    zip64Extra.writeBigUInt64LE(BigInt(headerOffset), 4);
  }
  return entryHeader(e.fields, e.name, Buffer.concat([zip64Extra, e.extra]), {
    versionNeeded: zip64 ? 45 : 20,
    externalAttributes: e.isDir ? DIR_ATTRS : FILE_ATTRS,
    localHeaderOffset: zip64 ? U32 : headerOffset,
  });
}

/** Where the central directory is and how big; `end` is the offset right after it. */
interface DirectoryPlace {
  count: number;
  size: number;
  offset: number;
  end: number;
}

/** ZIP64 end of central directory record (spec 4.3.14) and its locator (4.3.15). */
function zip64EndRecords(cd: DirectoryPlace): Buffer[] {
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4);
  record.writeUInt16LE(VERSION_MADE_BY, 12);
  record.writeUInt16LE(45, 14);
  // disk numbers at 16 and 20 stay 0
  record.writeBigUInt64LE(BigInt(cd.count), 24);
  record.writeBigUInt64LE(BigInt(cd.count), 32);
  record.writeBigUInt64LE(BigInt(cd.size), 40);
  record.writeBigUInt64LE(BigInt(cd.offset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(cd.end), 8);
  locator.writeUInt32LE(1, 16);
  return [record, locator];
}

/** The end records: ZIP64 ones when asked for or needed (65,535 entries or more, past 4 GiB), then the classic one (4.3.16). */
function endRecords(cd: DirectoryPlace, forceZip64: boolean): Buffer {
  const needZip64 = forceZip64 || cd.count >= U16 || cd.offset >= U32 || cd.size >= U32;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  // disk numbers at 4 and 6 and the comment length at 20 stay 0
  end.writeUInt16LE(needZip64 ? U16 : cd.count, 8);
  end.writeUInt16LE(needZip64 ? U16 : cd.count, 10);
  end.writeUInt32LE(needZip64 && cd.size >= U32 ? U32 : cd.size, 12);
  end.writeUInt32LE(needZip64 && cd.offset >= U32 ? U32 : cd.offset, 16);
  return Buffer.concat([...(needZip64 ? zip64EndRecords(cd) : []), end]);
}

/**
 * A streaming ZIP writer (a stream.pipeline stage from ZipEntry to bytes). Each entry is written as soon as it
 * arrives: local header (sizes and CRC known, so no data descriptor), then the data; the central directory
 * follows at the end. ZIP64 end records are written when there are 65,535 entries or more or the archive
 * passes 4 GiB, and a ZIP64 extra field names an entry's offset past 4 GiB. Names are UTF-8 (flag bit 11).
 */
export function zipWriter(options: ZipWriterOptions = {}) {
  return async function* zip(entries: AsyncIterable<ZipEntry>): AsyncGenerator<Buffer> {
    const cd = new CentralDirectory(options.spillThresholdBytes ?? 8 << 20, options.tmpDir ?? os.tmpdir());
    let offset = 0;
    try {
      for await (const entry of entries) {
        const packed = await packEntry(entry);
        const head = entryHeader(packed.fields, packed.name, packed.extra);
        const headerOffset = offset;
        offset += head.length + packed.data.length;
        yield packed.data.length ? Buffer.concat([head, packed.data]) : head;
        await cd.add(centralRecord(packed, headerOffset));
      }
      const cdOffset = offset;
      for await (const chunk of cd.read()) {
        offset += chunk.length;
        yield chunk;
      }
      yield endRecords({ count: cd.count, size: cd.size, offset: cdOffset, end: offset }, options.forceZip64 ?? false);
    } finally {
      await cd.dispose();
    }
  };
}
