import assert from 'node:assert/strict';
import http from 'node:http';
import v8 from 'node:v8';
import vm from 'node:vm';
import request from 'supertest';
import { openExport } from '../../../src/export/export';
import { parseExportParams } from '../../../src/export/filter';
import type { IssuedCredential } from '../../../src/store/issued-credentials';
import { launchAs } from '../../support/launch';
import { useRegisteredTool } from '../../support/registered-tool';
import { readZip } from '../../unit/export/zip-reader';
import { binaryParser, insertSynthetic, seedCredentials } from './helpers';
import { startExportApp } from './support';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const SYNTHETIC = 3000;
const LEARNERS = 300;
const MB = 1024 * 1024;

/**
 * Memory stays flat: 3,001 credentials (one real, 3,000 copies) exported in every format while the live heap
 * is measured after a full GC every few chunks. Holding the records would take well over 100 MB (a parsed
 * credential is tens of kB on the heap); a streaming export holds one cursor batch and one chunk. No timing
 * assertions.
 */
describe('export streaming: memory stays flat', function () {
  this.timeout(300_000);
  const ctx = useRegisteredTool();
  let platformId: string;
  let template: IssuedCredential;

  before(async () => {
    const [p] = await ctx.tool.registry.list();
    platformId = p!.id;
    const seeded = await seedCredentials(ctx.tool, { id: p!.id, issuer: p!.issuer }, [{ courseId: '2', userId: '4', badge: 'writing' }]);
    template = seeded.records[0]!;
    await insertSynthetic(ctx.tool, template, SYNTHETIC, { learners: LEARNERS });
  });

  const cases: Array<{ format: string; sampleEvery: number; check: (bytes: Buffer | null, chunks: number, size: number) => void }> = [
    { format: 'csv', sampleEvery: 2, check: (b) => assert.equal(b!.toString('utf8').trimEnd().split('\r\n').length, SYNTHETIC + 2) },
    { format: 'jsonl', sampleEvery: 20, check: (b) => assert.equal(b!.toString('utf8').trimEnd().split('\n').length, SYNTHETIC + 1) },
    { format: 'clr', sampleEvery: 15, check: (b) => assert.equal(b!.toString('utf8').trimEnd().split('\n').length, LEARNERS + 1) },
    { format: 'zip', sampleEvery: 400, check: (_b, _c, size) => assert.ok(size > SYNTHETIC * 80_000, `zip of ${size} bytes`) },
  ];

  for (const c of cases) {
    it(`${c.format}: ${SYNTHETIC + 1} credentials, live heap growth < 50 MB`, async () => {
      const opened = await openExport(
        { connection: ctx.tool.db.connection, issuance: ctx.tool.issuance },
        { platformId, options: parseExportParams({ format: c.format }) },
      );
      gc();
      const base = process.memoryUsage().heapUsed;
      let peak = 0;
      let chunks = 0;
      let size = 0;
      let samples = 0;
      // keep the text formats for the content check (a few MB); the ZIP (hundreds of MB) is only counted
      const kept: Buffer[] | null = c.format === 'zip' ? null : [];
      let keptBytes = 0;
      for await (const chunk of opened.body) {
        const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        size += buf.length;
        if (kept) {
          kept.push(buf);
          keptBytes += buf.length;
        }
        if (++chunks % c.sampleEvery === 0) {
          gc();
          samples++;
          // what the test itself keeps is not the export's memory
          peak = Math.max(peak, process.memoryUsage().heapUsed - base - keptBytes);
        }
      }
      assert.ok(samples >= 5, `${samples} samples`);
      c.check(kept ? Buffer.concat(kept) : null, chunks, size);
      assert.ok(peak < 50 * MB, `${c.format}: live heap grew by ${(peak / MB).toFixed(1)} MB`);
    });
  }

  it('over HTTP: the registrar page streams the whole CSV; a client that goes away closes the export and the server carries on', async () => {
    const app = await startExportApp(ctx.tool);
    try {
      const { token } = await launchAs(ctx.tool, ctx.sim, 'admin');
      const full = await request(app.url).get('/app/registrar/export').query({ s: token, format: 'csv' });
      assert.equal(full.status, 200);
      assert.equal(full.text.trimEnd().split('\r\n').length, SYNTHETIC + 2);
      assert.equal(full.headers['transfer-encoding'], 'chunked', 'streamed, not buffered whole');

      // read the first bytes of a ZIP export, then hang up
      await new Promise<void>((resolve, reject) => {
        const req = http.get(`${app.url}/app/registrar/export?s=${encodeURIComponent(token)}&format=zip`, (res) => {
          assert.equal(res.statusCode, 200);
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err)));
      });
      const after = await request(app.url).get('/app/registrar/export').query({ s: token, format: 'zip', courseId: 'none' }).buffer(true).parse(binaryParser);
      assert.equal(after.status, 200);
      assert.deepEqual((await readZip(after.body as Buffer)).entries, []);
    } finally {
      await app.stop();
    }
  });
});
