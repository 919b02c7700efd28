import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(__dirname, '../../../src');

/** Every .ts file under a folder of src/, recursively. */
function filesOf(folder: string): string[] {
  return readdirSync(path.join(SRC, folder), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name));
}

/** The top-level folder of src/ (or file, e.g. `errors.ts`) each relative import of `file` lands in. */
function importedAreas(file: string): Array<{ spec: string; area: string }> {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
  return specs.map((spec) => {
    const target = path.relative(SRC, path.resolve(path.dirname(file), spec));
    return { spec, area: target.startsWith('..') ? '(outside src)' : target.split(path.sep)[0]!.replace(/\.ts$/, '') };
  });
}

/** Imports of `folder` that land in another area of src/ than the ones allowed. */
function violations(folder: string, allowed: (area: string) => boolean): string[] {
  return filesOf(folder).flatMap((file) =>
    importedAreas(file)
      .filter(({ area }) => area !== folder && !allowed(area))
      .map(({ spec }) => `${path.relative(SRC, file)} imports ${spec}`),
  );
}

describe('import boundaries between the rooms of src/', () => {
  it('the rules engine is pure: src/rules imports nothing from another folder of src/', () => {
    assert.deepEqual(
      violations('rules', () => false),
      [],
    );
  });

  it('the message engine is shared by the web and the wallet, so it imports nothing from another folder of src/', () => {
    assert.deepEqual(
      violations('i18n', () => false),
      [],
    );
  });

  it('storage knows nothing of LTI or the web: src/store imports nothing from src/lti or src/http', () => {
    assert.deepEqual(
      violations('store', (area) => area !== 'lti' && area !== 'http'),
      [],
    );
  });

  it('the check itself sees a forbidden import (control)', () => {
    const found = violations('http', (area) => area !== 'store');
    assert.ok(
      found.some((v) => v.includes('store/')),
      'http imports the store, so forbidding it must be reported',
    );
  });
});
