import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { zipWriter, type ZipEntry, type ZipWriterOptions } from '../../../src/export/zip-writer';
import { readZip } from './zip-reader';

async function collect(entries: ZipEntry[] | AsyncIterable<ZipEntry>, options?: ZipWriterOptions): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const src = Array.isArray(entries)
    ? (async function* () {
        yield* entries;
      })()
    : entries;
  for await (const c of zipWriter(options)(src)) chunks.push(c);
  return Buffer.concat(chunks);
}

const when = new Date('2026-11-20T10:00:00Z');
const hasUnzip = spawnSync('unzip', ['-v']).status === 0;

describe('ZIP writer', () => {
  it('writes folders, stored and deflated files with UTF-8 names; the reader gets the same bytes back', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, ...Array.from({ length: 200 }, (_, i) => i % 256)]);
    const json = Buffer.from(JSON.stringify({ name: 'Akadēmiskā rakstīšana', pad: 'x'.repeat(500) }), 'utf8');
    const zip = await collect([
      { name: 'learner-4/', mtime: when },
      { name: 'learner-4/akadēmiskā.png', data: png, mtime: when, compress: false },
      { name: 'learner-4/akadēmiskā.json', data: json, mtime: when },
      { name: 'empty.txt', data: Buffer.alloc(0), mtime: when },
    ]);
    const { entries, zip64 } = await readZip(zip);
    assert.equal(zip64, false);
    assert.deepEqual(
      entries.map((e) => e.name),
      ['learner-4/', 'learner-4/akadēmiskā.png', 'learner-4/akadēmiskā.json', 'empty.txt'],
    );
    assert.ok(entries[0]!.isDirectory);
    assert.ok(entries[1]!.data.equals(png));
    assert.equal(entries[1]!.method, 0, 'PNG stored');
    assert.ok(entries[2]!.data.equals(json));
    assert.equal(entries[2]!.method, 8, 'JSON deflated');
    assert.equal(entries[3]!.data.length, 0);
    assert.equal(entries[2]!.mtime?.toISOString(), when.toISOString());
  });

  it('data that does not shrink is stored, not deflated', async () => {
    const random = Buffer.from(Array.from({ length: 300 }, () => Math.floor(Math.random() * 256)));
    const { entries } = await readZip(await collect([{ name: 'r.bin', data: random, mtime: when }]));
    assert.equal(entries[0]!.method, 0);
    assert.ok(entries[0]!.data.equals(random));
  });

  it('an empty archive is a valid ZIP', async () => {
    const zip = await collect([]);
    assert.equal(zip.length, 22);
    assert.deepEqual((await readZip(zip)).entries, []);
  });

  it('forced ZIP64 end records are read correctly', async () => {
    const zip = await collect([{ name: 'a.txt', data: Buffer.from('hello'), mtime: when }], { forceZip64: true });
    const { entries, zip64 } = await readZip(zip);
    assert.equal(zip64, true);
    assert.equal(entries[0]!.data.toString(), 'hello');
  });

  it('70,000 entries: ZIP64 end records, and the central directory spilled to a temporary file is identical', async () => {
    const n = 70_000;
    async function* many() {
      for (let i = 0; i < n; i++) yield { name: `f/${i}.txt`, data: Buffer.from(String(i)), mtime: when } as ZipEntry;
    }
    const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'zip-spill-test-'));
    try {
      const inMemory = await collect(many());
      const spilled = await collect(many(), { spillThresholdBytes: 64 * 1024, tmpDir });
      assert.ok(spilled.equals(inMemory), 'same bytes either way');
      assert.deepEqual(readdirSync(tmpDir), [], 'temporary file removed');
      const { entries, zip64 } = await readZip(spilled);
      assert.equal(zip64, true);
      assert.equal(entries.length, n);
      assert.equal(entries[n - 1]!.name, `f/${n - 1}.txt`);
      assert.equal(entries[12_345]!.data.toString(), '12345');
      if (hasUnzip) {
        const file = path.join(tmpDir, 'many.zip');
        writeFileSync(file, spilled);
        const res = spawnSync('unzip', ['-tqq', file]);
        assert.equal(res.status, 0, `unzip -t: ${res.stdout}${res.stderr}`);
      }
    } finally {
      rmSync(tmpDir, { recursive: true, force: true });
    }
  });

  it('an error in the entries removes the spilled central directory and propagates', async () => {
    const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'zip-spill-test-'));
    async function* failing() {
      for (let i = 0; i < 2000; i++) yield { name: `f/${i}.txt`, data: Buffer.from('x'), mtime: when } as ZipEntry;
      throw new Error('database went away');
    }
    try {
      await assert.rejects(
        pipeline(zipWriter({ spillThresholdBytes: 1024, tmpDir })(failing()), new Writable({ write: (_c, _e, cb) => cb() })),
        /database went away/,
      );
      assert.deepEqual(readdirSync(tmpDir), []);
    } finally {
      rmSync(tmpDir, { recursive: true, force: true });
    }
  });

  it('the local header and the central record of an entry carry the same fields, at their offsets (spec 4.3.7, 4.3.12)', async () => {
    const data = Buffer.from('{"a":1}'.repeat(30));
    const zip = await collect([
      { name: 'learner-4/rīga.json', data, mtime: when },
      { name: 'learner-4/', mtime: when },
    ]);
    const name = Buffer.from('learner-4/rīga.json', 'utf8');
    const cdOffset = zip.readUInt32LE(zip.length - 22 + 16);
    const local = zip.subarray(0, 30);
    const central = zip.subarray(cdOffset, cdOffset + 46);
    assert.equal(local.readUInt32LE(0), 0x04034b50);
    assert.equal(central.readUInt32LE(0), 0x02014b50);
    assert.equal(central.readUInt16LE(4), (3 << 8) | 45, 'made by UNIX, spec 4.5');
    assert.ok(local.subarray(4, 30).equals(central.subarray(6, 32)), 'version needed … extra length');
    assert.equal(local.readUInt16LE(4), 20);
    assert.equal(local.readUInt16LE(6), 0x0800, 'UTF-8 names');
    assert.equal(local.readUInt16LE(8), 8, 'deflated');
    assert.equal(local.readUInt32LE(22), data.length);
    assert.equal(local.readUInt16LE(26), name.length);
    assert.equal(local.readUInt16LE(28), 9, 'extended timestamp');
    assert.ok(zip.subarray(30, 30 + name.length).equals(name));
    assert.ok(zip.subarray(cdOffset + 46, cdOffset + 46 + name.length).equals(name));
    assert.deepEqual([central.readUInt16LE(32), central.readUInt16LE(34), central.readUInt16LE(36)], [0, 0, 0], 'comment, disk, internal attributes');
    assert.equal(central.readUInt32LE(38), (0o100644 << 16) >>> 0);
    assert.equal(central.readUInt32LE(42), 0, 'offset of the local header');
    const folder = zip.subarray(cdOffset + 46 + name.length + 9);
    assert.equal(folder.readUInt32LE(38), ((0o040755 << 16) | 0x10) >>> 0, 'a folder');
    assert.equal(folder.readUInt32LE(42), 30 + name.length + 9 + local.readUInt32LE(18), 'offset of the second local header');
  });

  it('an entry name over 65,535 bytes is refused', async () => {
    await assert.rejects(collect([{ name: 'x'.repeat(70_000), data: Buffer.from('a'), mtime: when }]), /name too long/);
  });

  (hasUnzip ? it : it.skip)('Info-ZIP unzip accepts the archive and lists the UTF-8 names', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'zip-test-'));
    try {
      const file = path.join(dir, 't.zip');
      writeFileSync(
        file,
        await collect([
          { name: 'learner-4/', mtime: when },
          { name: 'learner-4/rīga.json', data: Buffer.from('{"a":1}'.repeat(30)), mtime: when },
        ]),
      );
      const res = spawnSync('unzip', ['-t', file], { encoding: 'utf8' });
      assert.equal(res.status, 0, res.stdout + res.stderr);
      assert.match(res.stdout, /learner-4\/rīga\.json\s+OK/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
