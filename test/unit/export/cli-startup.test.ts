import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

/** Runs a script in a fresh node with tsx, as the CLI runs (this process has loaded everything already). */
function node(args: string[]) {
  return spawnSync(process.execPath, ['--require', 'tsx/cjs', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, MONGODB_URI: '' },
    timeout: 60_000,
  });
}

describe('CLI export start-up', function () {
  this.timeout(60_000);

  it('the usage lists every export option, from EXPORT_USAGE', () => {
    const res = node(['src/cli/index.ts']);
    assert.equal(res.status, 2, res.stderr);
    for (const option of [
      '--platform',
      '--format',
      '--out',
      '--course',
      '--badge',
      '--from',
      '--until',
      '--status',
      '--lang en|lv',
      '--clr-proof vc-jwt|none',
    ]) {
      assert.ok(res.stderr.includes(option), `${option} in:\n${res.stderr}`);
    }
  });

  it('the export command loads no app, ltijs, express, JSON-LD or signing library; resvg only for a ZIP, the contexts only for a CLR', () => {
    const probe = `
      require('./src/cli/export.ts');
      require('./src/export/export.ts');
      const loaded = () => Object.keys(require.cache).map((f) => f.replace(process.cwd() + '/', ''));
      const before = loaded();
      require('./src/export/badge-images.ts');
      const zip = loaded();
      require('./src/export/clr.ts');
      console.log(JSON.stringify({ before, zip, clr: loaded() }));`;
    const res = node(['-e', probe]);
    assert.equal(res.status, 0, res.stderr);
    const { before, zip, clr } = JSON.parse(res.stdout) as { before: string[]; zip: string[]; clr: string[] };
    const has = (files: string[], re: RegExp) => files.filter((f) => re.test(f));
    const heavy =
      /node_modules\/(ltijs|express|jsonld|@digitalbazaar\/(vc|data-integrity|eddsa)|@resvg)\/|^src\/(app|lti\/|http\/routes\/|credentials\/proof\/(index|libs|sign-data-integrity))/;
    assert.deepEqual(has(before, heavy), []);
    assert.deepEqual(has(before, /credentials-context|open-badges-context/), []);
    assert.ok(has(zip, /@resvg\/resvg-js/).length > 0, 'a ZIP renders badge pictures');
    assert.deepEqual(
      has(clr, heavy).filter((f) => !f.includes('@resvg')),
      [],
    );
  });
});
