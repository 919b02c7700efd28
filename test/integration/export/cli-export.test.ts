import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportCommand } from '../../../src/cli/export';
import { unbakePng } from '../../../src/credentials/bake/png';
import { PlatformRepository } from '../../../src/store/platforms';
import type { IssuedCredential } from '../../../src/store/issued-credentials';
import { useRegisteredTool } from '../../support/registered-tool';
import { csvObjects } from '../../unit/export/csv-parse';
import { readZip } from '../../unit/export/zip-reader';
import { seedCredentials } from './helpers';

describe('CLI: export', function () {
  this.timeout(120_000);
  const ctx = useRegisteredTool();
  let dir: string;
  let platformId: string;
  let records: IssuedCredential[];
  let out: string[];
  let err: string[];
  let progress: string[];
  let tty: boolean;
  const io = () => ({ out: (l: string) => out.push(l), err: (l: string) => err.push(l), progress: { isTTY: tty, write: (t: string) => progress.push(t) } });
  const run = (...args: string[]) =>
    exportCommand(args, { connection: ctx.tool.db.connection, issuance: ctx.tool.issuance, platforms: new PlatformRepository(ctx.tool.db.connection) }, io());

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'export-cli-'));
    const [p] = await ctx.tool.registry.list();
    platformId = p!.id;
    ({ records } = await seedCredentials(ctx.tool, { id: p!.id, issuer: p!.issuer }, [
      { courseId: '2', userId: '4', badge: 'writing', issuedAt: '2026-01-10T09:00:00Z' },
      { courseId: '3', userId: '5', badge: 'writing', issuedAt: '2026-04-01T09:00:00Z' },
    ]));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    out = [];
    err = [];
    progress = [];
    tty = false;
  });

  it('csv to a file, with a final progress line on a non-TTY stderr', async () => {
    const file = path.join(dir, 'all.csv');
    assert.equal(await run('--platform', platformId, '--format', 'csv', '--out', file, '--lang', 'lv'), 0, err.join('\n'));
    const rows = csvObjects(readFileSync(file, 'utf8'));
    assert.deepEqual(rows.map((r) => r.credential_id).sort(), records.map((r) => r.id).sort());
    assert.equal(rows[0]!.title, 'Akadēmiskā rakstīšana');
    assert.match(out[0]!, /^Exported 2 credentials \(csv\) to .*all\.csv in \d+\.\d s\.$/);
    assert.ok(progress.length >= 1);
    assert.match(progress.at(-1)!, /^Exporting csv 2\/2 100% [\d,]+\/s\n$/);
    assert.ok(!progress.some((p) => p.includes('\r')));
    assert.equal(statSync(file).mode & 0o777, 0o600, 'personal data: owner only');
    assert.ok(!existsSync(`${file}.partial`));
  });

  it('on a TTY the progress line is redrawn with \\r', async () => {
    tty = true;
    const file = path.join(dir, 'tty.jsonl');
    assert.equal(await run('--platform', platformId, '--format', 'jsonl', '--out', file), 0, err.join('\n'));
    assert.ok(progress.every((p) => p.startsWith('\r')));
    assert.match(progress.at(-1)!, /\[#{24}\] 2\/2 100%/);
    assert.equal(readFileSync(file, 'utf8').trim().split('\n').length, 2);
  });

  it('filters: course, dates, status', async () => {
    const file = path.join(dir, 'course3.jsonl');
    assert.equal(
      await run(
        '--platform',
        platformId,
        '--format',
        'jsonl',
        '--course',
        '3',
        '--from',
        '2026-03-01',
        '--until',
        '2026-04-01',
        '--status',
        'active',
        '--out',
        file,
      ),
      0,
    );
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((c) => c.id),
      [records[1]!.json!.id],
    );
    assert.equal(await run('--platform', platformId, '--format', 'jsonl', '--status', 'revoked', '--out', file), 0);
    assert.equal(readFileSync(file, 'utf8'), '');
    assert.match(out.at(-1)!, /Exported 0 credentials/);
  });

  it('zip and clr files', async () => {
    const zipFile = path.join(dir, 'all.zip');
    assert.equal(await run('--platform', platformId, '--format', 'zip', '--out', zipFile), 0, err.join('\n'));
    const { entries } = await readZip(readFileSync(zipFile));
    const pngs = entries.filter((e) => e.name.endsWith('.png'));
    assert.equal(pngs.length, 2);
    for (const png of pngs) assert.ok(unbakePng(png.data).found);
    const clrFile = path.join(dir, 'clr.jsonl');
    assert.equal(await run('--platform', platformId, '--format', 'clr', '--clr-proof', 'vc-jwt', '--out', clrFile), 0, err.join('\n'));
    assert.equal(readFileSync(clrFile, 'utf8').trim().split('\n').length, 2);
  });

  it('usage errors exit 2 and write nothing', async () => {
    const file = path.join(dir, 'never.csv');
    assert.equal(await run('--format', 'csv', '--out', file), 2);
    assert.match(err.at(-1)!, /Missing: --platform/);
    assert.equal(await run('--platform', platformId, '--format', 'xlsx', '--out', file), 2);
    assert.match(err.at(-1)!, /^EXPORT_FORMAT_INVALID: /);
    assert.equal(await run('--platform', platformId, '--format', 'csv', '--from', '2026-02-30', '--out', file), 2);
    assert.match(err.at(-1)!, /^EXPORT_DATE_INVALID: /);
    assert.equal(await run('--platform', platformId, '--format', 'csv', '--status', 'gone', '--out', file), 2);
    assert.equal(await run('--platform', platformId, '--format', 'csv', '--bogus', 'x', '--out', file), 2);
    assert.match(err.at(-1)!, /Usage:/);
    assert.equal(await run('--platform', 'f'.repeat(24), '--format', 'csv', '--out', file), 2);
    assert.match(err.at(-1)!, /There is no platform/);
    assert.ok(!existsSync(file));
  });

  it('a failure leaves no file behind (not even the .partial) and exits 1', async () => {
    const file = path.join(dir, 'missing-dir', 'x.csv');
    assert.equal(await run('--platform', platformId, '--format', 'csv', '--out', file), 1);
    assert.match(err.at(-1)!, /^Export failed: /);
    assert.deepEqual(
      readdirSync(dir).filter((n) => n.includes('partial')),
      [],
    );
  });
});
