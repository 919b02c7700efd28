import assert from 'node:assert/strict';
import request from 'supertest';
import { unbakePng } from '../../../src/credentials/bake/png';
import { verifyCredential } from '../../../src/credentials/proof';
import { CLR_CONTEXT_URL } from '../../../src/export/clr';
import type { IssuedCredential } from '../../../src/store/issued-credentials';
import { launchAs } from '../../support/launch';
import { PlatformSimulator } from '../../support/platform-simulator';
import { useRegisteredTool } from '../../support/registered-tool';
import { ob3ClaimProblems, verifyDataIntegrityIndependently, verifyJwtIndependently } from '../../support/independent-verifier';
import { csvObjects } from '../../unit/export/csv-parse';
import { readZip } from '../../unit/export/zip-reader';
import { binaryParser, seedCredentials } from './helpers';
import { startExportApp } from './support';

type Json = Record<string, any>;

const LV_INSTITUTION_B = {
  name: { en: 'Riga Technical University', lv: 'Rīgas Tehniskā universitāte' },
  url: 'https://www.rtu.lv',
  email: 'info@rtu.lv',
  address: { addressCountry: 'Latvia', addressCountryCode: 'LV', addressLocality: 'Rīga' },
};

describe('registrar credential export', function () {
  this.timeout(120_000);
  const ctx = useRegisteredTool();
  let simB: PlatformSimulator;
  let exportApp: Awaited<ReturnType<typeof startExportApp>>;
  let platformA: { id: string; issuer: string };
  let platformB: { id: string; issuer: string };
  let a: { records: IssuedCredential[]; badgeIds: Record<string, string> };
  let b: { records: IssuedCredential[]; badgeIds: Record<string, string> };
  let registrarA: string;
  let registrarB: string;
  // seeded on A: [0] writing/4 2026-01-10, [1] writing/5 2026-02-20 (revoked), [2] hostile/4 2026-03-05, [3] data/6 (course 7) 2025-06-15
  const byKey = (key: string) => a.records[['writing/4', 'writing/5', 'hostile/4', 'data/6'].indexOf(key)]!;

  const get = (path: string, token: string, query: Record<string, string> = {}) =>
    request(exportApp.url)
      .get(path)
      .query({ s: token, ...query })
      .set('Accept', 'application/json')
      .buffer(true)
      .parse(binaryParser);
  const text = (res: request.Response) => (res.body as Buffer).toString('utf8');
  const lines = (res: request.Response) =>
    text(res)
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  const csvRows = (res: request.Response) => csvObjects(text(res));

  before(async () => {
    simB = await PlatformSimulator.start();
    simB.toolUrl = ctx.tool.url;
    await ctx.tool.registry.register(simB.platformRegistration());
    const platforms = await ctx.tool.registry.list();
    const pa = platforms.find((p) => p.issuer === ctx.sim.issuer)!;
    const pb = platforms.find((p) => p.issuer === simB.issuer)!;
    platformA = { id: pa.id, issuer: pa.issuer };
    platformB = { id: pb.id, issuer: pb.issuer };
    a = await seedCredentials(
      ctx.tool,
      platformA,
      [
        { courseId: '2', userId: '4', badge: 'writing', issuedAt: '2026-01-10T09:00:00Z' },
        { courseId: '2', userId: '5', badge: 'writing', issuedAt: '2026-02-20T23:30:00Z' },
        { courseId: '2', userId: '4', badge: 'hostile', issuedAt: '2026-03-05T12:00:00Z' },
        { courseId: '7', userId: '6', badge: 'data', issuedAt: '2025-06-15T08:00:00Z' },
      ],
      {
        hostile: {
          name: { en: '=cmd', lv: '=cmd' },
          learningOutcomes: [{ text: { en: '+1', lv: '+1' } }],
          assessmentType: { en: '-1', lv: '-1' },
          qualityAssurance: { en: '@x', lv: '@x' },
        },
        data: { name: { en: 'Data analysis with Python', lv: 'Datu analīze ar Python' } },
      },
    );
    // the same Moodle user id on the other platform: separation must be by platform, not by user
    b = await seedCredentials(
      ctx.tool,
      platformB,
      [{ courseId: '2', userId: '4', badge: 'secret' }],
      { secret: { name: { en: 'Platform B only', lv: 'Tikai B platformai' } } },
      LV_INSTITUTION_B as never,
    );
    exportApp = await startExportApp(ctx.tool);
    registrarA = (await launchAs(ctx.tool, ctx.sim, 'admin')).token;
    registrarB = (await launchAs(ctx.tool, simB, 'admin')).token;
    // the registrar revokes learner 5's credential, with a reason that looks like a formula
    const revoked = await request(ctx.tool.url)
      .post(`/app/registrar/credentials/${byKey('writing/5').id}/status`)
      .type('form')
      .send({ s: registrarA, action: 'revoke', reason: '@x' });
    assert.equal(revoked.status, 200, revoked.text);
  });

  after(async () => {
    await exportApp?.stop();
    await simB?.stop();
  });

  describe('formats', () => {
    it('CSV: BOM, header, one row per credential with the EU elements, Latvian letters intact', async () => {
      const res = await get('/app/registrar/export', registrarA, { format: 'csv', lang: 'lv' });
      assert.equal(res.status, 200, text(res));
      assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8; header=present');
      assert.match(res.headers['content-disposition']!, /^attachment; filename="credentials-\d{8}-\d{4}\.csv"$/);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.ok((res.body as Buffer).subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'UTF-8 BOM');
      const rows = csvRows(res);
      assert.equal(rows.length, 4);
      const row = rows.find((r) => r.credential_id === byKey('writing/4').id)!;
      assert.equal(row.credential_url, `${ctx.tool.url}/credentials/${row.credential_id}`);
      assert.equal(row.status, 'active');
      assert.equal(row.issued_at, '2026-01-10T09:00:00.000Z');
      assert.equal(row.course_id, '2');
      assert.equal(row.badge_id, a.badgeIds['2/writing']);
      assert.equal(row.badge_version, '1');
      assert.equal(row.learner_moodle_user_id, '4');
      assert.equal(row.title, 'Akadēmiskā rakstīšana');
      assert.equal(row.awarding_body, 'Latvijas Universitāte');
      assert.equal(row.country, 'Latvia');
      assert.equal(row.country_code, 'LV');
      assert.match(row.date_of_issue!, /^\d{4}-\d{2}-\d{2}$/);
      assert.equal(row.learning_outcomes, 'Strukturēt argumentāciju');
      assert.equal(row.ects_credits, '6');
      assert.equal(row.workload_hours, '160');
      assert.equal(row.eqf_level, '5');
      assert.equal(row.national_framework, 'LKI');
      assert.equal(row.national_level, '5');
      assert.equal(row.assessment_type, 'Vērtēti rakstu darbi');
      assert.equal(row.participation_form, 'online');
      assert.equal(row.quality_assurance, 'Augstskolas iekšējā kvalitātes nodrošināšana');
      assert.equal(row.languages, 'lv, en');
    });

    it('CSV: formula injection from badge texts and the revocation reason is neutralised', async () => {
      const rows = csvRows(await get('/app/registrar/export', registrarA, { format: 'csv' }));
      const hostile = rows.find((r) => r.credential_id === byKey('hostile/4').id)!;
      assert.equal(hostile.title, "'=cmd");
      assert.equal(hostile.learning_outcomes, "'+1");
      assert.equal(hostile.assessment_type, "'-1");
      assert.equal(hostile.quality_assurance, "'@x");
      const revoked = rows.find((r) => r.credential_id === byKey('writing/5').id)!;
      assert.equal(revoked.status, 'revoked');
      assert.equal(revoked.status_reason, "'@x");
      for (const r of rows) for (const v of Object.values(r)) assert.doesNotMatch(v, /^[=+\-@\t\r]/);
    });

    it('JSON Lines: each line is the signed credential as issued and verifies (the revoked one fails on status only)', async () => {
      const res = await get('/app/registrar/export', registrarA, { format: 'jsonl' });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'application/jsonl; charset=utf-8');
      assert.match(res.headers['content-disposition']!, /filename="credentials-\d{8}-\d{4}\.jsonl"/);
      const credentials = lines(res);
      assert.equal(credentials.length, 4);
      for (const c of credentials) {
        const record = a.records.find((r) => r.json!.id === c.id)!;
        assert.deepEqual(c, record.json);
        const result = await ctx.tool.issuance.verify(JSON.stringify(c));
        if (record.id === byKey('writing/5').id) {
          assert.equal(result.verified, false);
          assert.deepEqual(
            result.checks.filter((x) => !x.ok).map((x) => x.check),
            ['status'],
          );
        } else {
          assert.equal(result.verified, true, JSON.stringify(result.checks));
        }
      }
    });

    it('ZIP: a folder per learner with baked PNG, JSON and JWT; each PNG unbakes to the same credential, which verifies', async () => {
      const res = await get('/app/registrar/export', registrarA, { format: 'zip', status: 'active' });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'application/zip');
      assert.match(res.headers['content-disposition']!, /filename="credentials-\d{8}-\d{4}\.zip"/);
      const { entries } = await readZip(res.body as Buffer);
      const names = entries.map((e) => e.name);
      const w4 = byKey('writing/4');
      const h4 = byKey('hostile/4');
      const d6 = byKey('data/6');
      assert.deepEqual([...new Set(names.map((n) => n.split('/')[0]))].sort(), ['learner-4', 'learner-6'], 'a folder per learner');
      assert.ok(
        names.every((n) => /^learner-\d+\/[a-z0-9-]+_[0-9a-f-]{36}\.(png|json|jwt)$/.test(n)),
        names.join(', '),
      );
      for (const [rec, stem] of [
        [w4, 'academic-writing'],
        [h4, 'cmd'],
        [d6, 'data-analysis-with-python'],
      ] as const) {
        const folder = `learner-${rec.userId}/${stem}_${rec.id}`;
        const png = entries.find((e) => e.name === `${folder}.png`);
        const json = entries.find((e) => e.name === `${folder}.json`);
        const jwt = entries.find((e) => e.name === `${folder}.jwt`);
        assert.ok(png && json && jwt, `${folder}.* in ${names.join(', ')}`);
        const unbaked = unbakePng(png.data);
        assert.ok(unbaked.found);
        assert.deepEqual(unbaked.credential, JSON.parse(json.data.toString('utf8')));
        assert.deepEqual(unbaked.credential, rec.json);
        assert.equal(jwt.data.toString('ascii'), rec.jwt);
        const verified = await ctx.tool.issuance.verify(png.data);
        assert.equal(verified.verified, true, JSON.stringify(verified.checks));
        assert.equal(verified.input, 'png');
      }
      assert.equal(entries.length, 3 * 3);
      assert.ok(!names.some((n) => n.includes('learner-5')), 'status filter applies');
    });

    it('CLR by default: each line a VC-JWT by the institution’s key that jose verifies, the bundled credentials unchanged and verifying on their own', async () => {
      const res = await get('/app/registrar/export', registrarA, { format: 'clr' });
      assert.equal(res.status, 200);
      const tokens = lines(res);
      assert.equal(tokens.length, 2);
      for (const jwt of tokens) {
        const { payload, header } = await verifyJwtIndependently(jwt);
        assert.equal(header.kid.split('#')[0], (a.records[0]!.json!.issuer as Json).id);
        assert.deepEqual(payload.type, ['VerifiableCredential', 'ClrCredential']);
        assert.deepEqual(ob3ClaimProblems(payload), []);
        assert.equal(payload.sub, undefined, 'the ClrSubject has no id');
        for (const vc of payload.credentialSubject.verifiableCredential as Json[]) {
          const stored = a.records.find((r) => r.json!.id === vc.id)!;
          assert.deepEqual(vc, stored.json, 'bundled as issued');
          const result = await verifyDataIntegrityIndependently(vc, ctx.tool.url);
          assert.equal(result.verified, true, JSON.stringify((result.error as any)?.errors?.map((e: Error) => e.message) ?? String(result.error)));
        }
      }
    });

    it('CLR with clrProof=none: one unsigned ClrCredential per learner bundling their active credentials', async () => {
      const res = await get('/app/registrar/export', registrarA, { format: 'clr', clrProof: 'none' });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'application/jsonl; charset=utf-8');
      assert.match(res.headers['content-disposition']!, /filename="clr-\d{8}-\d{4}\.jsonl"/);
      const clrs = lines(res);
      // learner 5's only credential is revoked: no record of achievements for them by default
      assert.equal(clrs.length, 2);
      const byLearner = new Map<string, Json>();
      for (const clr of clrs) {
        assert.deepEqual(clr['@context'].slice(0, 3), [
          'https://www.w3.org/ns/credentials/v2',
          CLR_CONTEXT_URL,
          'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
        ]);
        assert.deepEqual(clr.type, ['VerifiableCredential', 'ClrCredential']);
        assert.deepEqual(clr.credentialSubject.type, ['ClrSubject']);
        assert.equal(clr.issuer.id, (a.records[0]!.json!.issuer as Json).id, 'the institution’s did:web');
        assert.equal(clr.partial, false);
        assert.equal(clr.proof, undefined);
        const ids = clr.credentialSubject.verifiableCredential.map((c: Json) => c.id).sort();
        const learner = a.records.find((r) => r.json!.id === ids[0])!.userId;
        byLearner.set(learner, clr);
        for (const vc of clr.credentialSubject.verifiableCredential) {
          const result = await ctx.tool.issuance.verify(JSON.stringify(vc));
          assert.equal(result.verified, true, 'each bundled credential still verifies on its own');
        }
        assert.equal(clr.credentialSubject.achievement.length, ids.length);
      }
      assert.deepEqual(
        byLearner
          .get('4')!
          .credentialSubject.verifiableCredential.map((c: Json) => c.id)
          .sort(),
        [byKey('writing/4').json!.id, byKey('hostile/4').json!.id].sort(),
      );
      assert.equal(byLearner.get('6')!.credentialSubject.verifiableCredential.length, 1);
      assert.deepEqual(byLearner.get('4')!.credentialSubject.identifier, (byKey('writing/4').json!.credentialSubject as Json).identifier);
    });

    it('CLR: a course filter makes it partial; asking for revoked ones includes them', async () => {
      const course7 = lines(await get('/app/registrar/export', registrarA, { format: 'clr', courseId: '7', clrProof: 'none' }));
      assert.equal(course7.length, 1);
      assert.equal(course7[0].partial, true);
      const revoked = lines(await get('/app/registrar/export', registrarA, { format: 'clr', status: 'revoked', clrProof: 'none' }));
      assert.equal(revoked.length, 1);
      assert.equal(revoked[0].credentialSubject.verifiableCredential[0].id, byKey('writing/5').json!.id);
    });

    it('CLR with clrProof=vc-jwt: each line is a VC-JWT of the CLR that verifies against the institution’s did:web; tampering fails', async () => {
      const tokens = lines(await get('/app/registrar/export', registrarA, { format: 'clr', clrProof: 'vc-jwt' }));
      assert.equal(tokens.length, 2);
      for (const jwt of tokens) {
        assert.match(jwt, /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
        const result = await verifyCredential(jwt, { documentLoader: ctx.tool.issuance.documentLoader });
        assert.equal(result.verified, true, JSON.stringify(result.checks));
        assert.deepEqual((result.credential as Json).type, ['VerifiableCredential', 'ClrCredential']);
        const [h, p, s] = jwt.split('.');
        const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
        payload.credentialSubject.verifiableCredential.pop();
        const tampered = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
        assert.equal((await verifyCredential(tampered, { documentLoader: ctx.tool.issuance.documentLoader })).verified, false);
      }
    });
  });

  describe('filters', () => {
    const ids = async (query: Record<string, string>) =>
      csvRows(await get('/app/registrar/export', registrarA, { format: 'csv', ...query }))
        .map((r) => r.credential_id)
        .sort();
    const idsOf = (...keys: string[]) => keys.map((k) => byKey(k).id).sort();

    it('by course', async () => {
      assert.deepEqual(await ids({ courseId: '2' }), idsOf('writing/4', 'writing/5', 'hostile/4'));
      assert.deepEqual(await ids({ courseId: '7' }), idsOf('data/6'));
      assert.deepEqual(await ids({ courseId: '999' }), []);
    });

    it('by badge', async () => {
      assert.deepEqual(await ids({ badgeId: a.badgeIds['2/writing']! }), idsOf('writing/4', 'writing/5'));
      assert.deepEqual(await ids({ badgeId: b.badgeIds['2/secret']! }), [], 'another platform’s badge id finds nothing');
    });

    it('by date range: from inclusive, a date-only until includes the whole day', async () => {
      assert.deepEqual(await ids({ from: '2026-01-01', until: '2026-02-20' }), idsOf('writing/4', 'writing/5'));
      assert.deepEqual(await ids({ from: '2026-01-01', until: '2026-02-19' }), idsOf('writing/4'));
      assert.deepEqual(await ids({ from: '2026-01-10T09:00:00Z' }), idsOf('writing/4', 'writing/5', 'hostile/4'));
      assert.deepEqual(await ids({ until: '2025-12-31' }), idsOf('data/6'));
      assert.deepEqual(await ids({ from: '2026-03-05T12:00:00.001Z' }), []);
    });

    it('by status, and combined', async () => {
      assert.deepEqual(await ids({ status: 'revoked' }), idsOf('writing/5'));
      assert.deepEqual(await ids({ status: 'active' }), idsOf('writing/4', 'hostile/4', 'data/6'));
      assert.deepEqual(await ids({ status: 'suspended' }), []);
      assert.deepEqual(await ids({ courseId: '2', status: 'active', from: '2026-02-01' }), idsOf('hostile/4'));
    });
  });

  describe('access', () => {
    it('a registrar of platform B sees only B’s credentials, in every format; A’s registrar never sees B’s', async () => {
      const bId = b.records[0]!.id;
      const bRows = csvRows(await get('/app/registrar/export', registrarB, { format: 'csv' }));
      assert.deepEqual(
        bRows.map((r) => r.credential_id),
        [bId],
      );
      assert.equal(bRows[0]!.awarding_body, 'Riga Technical University');
      for (const format of ['csv', 'jsonl', 'zip', 'clr']) {
        const resA = await get('/app/registrar/export', registrarA, { format });
        assert.equal(resA.status, 200);
        const body = format === 'zip' ? (await readZip(resA.body as Buffer)).entries.map((e) => e.name + e.data.toString('latin1')).join('\n') : text(resA);
        assert.ok(!body.includes(bId), `${format}: no credential of B`);
        assert.ok(!body.includes(platformB.id), `${format}: nothing of B's issuer`);
        const resB = await get('/app/registrar/export', registrarB, { format });
        const bodyB = format === 'zip' ? (await readZip(resB.body as Buffer)).entries.map((e) => e.name + e.data.toString('latin1')).join('\n') : text(resB);
        for (const r of a.records) assert.ok(!bodyB.includes(r.id), `${format}: no credential of A for B`);
      }
    });

    it('the platform cannot be chosen in the query', async () => {
      const res = await get('/app/registrar/export', registrarA, { format: 'csv', platformId: platformB.id });
      assert.equal(res.status, 400);
      assert.equal(JSON.parse(text(res)).error.code, 'EXPORT_PARAM_UNKNOWN');
    });

    it('a student or a teacher gets 403; no session gets 401', async () => {
      for (const kind of ['student', 'teacher'] as const) {
        const { token } = await launchAs(ctx.tool, ctx.sim, kind);
        const res = await get('/app/registrar/export', token, { format: 'csv' });
        assert.equal(res.status, 403, kind);
        assert.equal(JSON.parse(text(res)).error.code, 'ROLE_FORBIDDEN');
        assert.ok(!text(res).includes(a.records[0]!.id));
      }
      const none = await request(exportApp.url).get('/app/registrar/export').query({ format: 'csv' }).set('Accept', 'application/json');
      assert.equal(none.status, 401);
      assert.equal(none.body.error.code, 'SESSION_REQUIRED');
    });

    it('bad parameters are 400 with a clear code', async () => {
      const cases: Array<[Record<string, string>, string]> = [
        [{ format: 'xlsx' }, 'EXPORT_FORMAT_INVALID'],
        [{ from: '2026-02-30' }, 'EXPORT_DATE_INVALID'],
        [{ until: 'last week' }, 'EXPORT_DATE_INVALID'],
        [{ from: '2026-03-01', until: '2026-01-01' }, 'EXPORT_DATE_RANGE_INVALID'],
        [{ status: 'deleted' }, 'EXPORT_STATUS_INVALID'],
        [{ course: '2' }, 'EXPORT_PARAM_UNKNOWN'],
      ];
      for (const [query, code] of cases) {
        const res = await get('/app/registrar/export', registrarA, query);
        assert.equal(res.status, 400, JSON.stringify(query));
        const body = JSON.parse(text(res));
        assert.equal(body.error.code, code, JSON.stringify(query));
        assert.ok(body.error.message.length > 10);
      }
    });

    it('every export is audited with its format and filter', async () => {
      await get('/app/registrar/export', registrarA, { format: 'jsonl', courseId: '7' });
      const entries = await exportApp.audit.list(platformA.id);
      const entry = entries.find((e) => e.action === 'credentials.export' && (e.details as Json)?.format === 'jsonl')!;
      assert.ok(entry);
      assert.deepEqual((entry.details as Json).filter, { courseId: '7' });
      assert.deepEqual(entry.actor, { userId: '2', role: 'registrar' });
    });
  });

  describe('API tokens and /api/v1/export', () => {
    let tokenA: string;
    let tokenAId: string;
    let tokenB: string;

    const createToken = (session: string, label: string | undefined) =>
      request(exportApp.url)
        .post('/app/registrar/api-tokens')
        .type('form')
        .set('Accept', 'application/json')
        .send(label === undefined ? { s: session } : { s: session, label });
    const api = (bearer: string | null, query: Record<string, string> = {}) => {
      const r = request(exportApp.url).get('/api/v1/export').query(query).buffer(true).parse(binaryParser);
      return bearer === null ? r : r.set('Authorization', `Bearer ${bearer}`);
    };

    before(async () => {
      const resA = await createToken(registrarA, 'Student information system');
      assert.equal(resA.status, 201, resA.text);
      tokenA = resA.body.token;
      tokenAId = resA.body.id;
      tokenB = (await createToken(registrarB, 'RTU data warehouse')).body.token;
    });

    it('a registrar creates a token: shown once, stored only as a SHA-256 hash, listed without secret', async () => {
      assert.match(tokenA, /^ob3x_[A-Za-z0-9_-]{43}$/);
      const stored = await ctx.tool.db.connection.collection('api_tokens').find({}).toArray();
      assert.ok(stored.length >= 2);
      assert.ok(!JSON.stringify(stored).includes(tokenA), 'the secret is not in the database');
      assert.ok(stored.every((d) => /^[0-9a-f]{64}$/.test(String(d.tokenHash))));
      const list = await request(exportApp.url).get('/app/registrar/api-tokens').query({ s: registrarA });
      assert.equal(list.status, 200);
      assert.deepEqual(
        list.body.tokens.map((t: Json) => t.label),
        ['Student information system'],
      );
      assert.ok(!JSON.stringify(list.body).includes(tokenA) && !JSON.stringify(list.body).includes('tokenHash'));
    });

    it('only a registrar creates tokens, with a label; the POST takes the session from the form, not the URL', async () => {
      const { token: student } = await launchAs(ctx.tool, ctx.sim, 'student');
      assert.equal((await createToken(student, 'x')).status, 403);
      const noLabel = await createToken(registrarA, '  ');
      assert.equal(noLabel.status, 400);
      assert.equal(noLabel.body.error.code, 'API_TOKEN_LABEL_REQUIRED');
      const viaQuery = await request(exportApp.url)
        .post('/app/registrar/api-tokens')
        .query({ s: registrarA })
        .type('form')
        .set('Accept', 'application/json')
        .send({ label: 'x' });
      assert.equal(viaQuery.status, 401, 'a link cannot create tokens (CSRF)');
    });

    it('token A exports A’s credentials only; token B only B’s', async () => {
      const resA = await api(tokenA, { format: 'csv' });
      assert.equal(resA.status, 200, text(resA));
      assert.equal(resA.headers['content-type'], 'text/csv; charset=utf-8; header=present');
      assert.deepEqual(
        csvRows(resA)
          .map((r) => r.credential_id)
          .sort(),
        a.records.map((r) => r.id).sort(),
      );
      const resB = await api(tokenB, { format: 'jsonl' });
      assert.deepEqual(
        lines(resB).map((c) => c.id),
        [b.records[0]!.json!.id],
      );
      const audit = (await exportApp.audit.list(platformA.id)).find((e) => e.action === 'credentials.export' && 'system' in e.actor);
      assert.deepEqual(audit?.actor, { system: `api-token:${tokenAId}` });
    });

    it('token A cannot export B: the platform comes from the token, and a platform parameter is refused', async () => {
      const res = await api(tokenA, { format: 'csv', platformId: platformB.id });
      assert.equal(res.status, 400);
      assert.equal(JSON.parse(text(res)).error.code, 'EXPORT_PARAM_UNKNOWN');
      const badge = await api(tokenA, { format: 'csv', badgeId: b.badgeIds['2/secret']! });
      assert.equal(csvRows(badge).length, 0);
    });

    it('no token, a bad token, a session token or a malformed header: 401', async () => {
      const missing = await api(null, { format: 'csv' });
      assert.equal(missing.status, 401);
      assert.equal(JSON.parse(text(missing)).error.code, 'API_TOKEN_REQUIRED');
      assert.match(missing.headers['www-authenticate']!, /^Bearer/);
      for (const bad of ['ob3x_' + 'A'.repeat(43), 'nonsense', registrarA, tokenA.slice(0, -1)]) {
        const res = await api(bad, { format: 'csv' });
        assert.equal(res.status, 401, bad);
        assert.equal(JSON.parse(text(res)).error.code, 'API_TOKEN_INVALID');
      }
      const basic = await request(exportApp.url)
        .get('/api/v1/export')
        .set('Authorization', `Basic ${Buffer.from(`x:${tokenA}`).toString('base64')}`);
      assert.equal(basic.status, 401);
      const asSession = await request(exportApp.url).get('/app/registrar/export').query({ s: tokenA }).set('Accept', 'application/json');
      assert.equal(asSession.status, 401, 'an API token is not a launch session');
    });

    it('a revoked token gets 401; another platform’s registrar cannot revoke it', async () => {
      const made = await createToken(registrarA, 'to be revoked');
      const token = made.body.token;
      assert.equal((await api(token, { format: 'csv' })).status, 200);
      const byB = await request(exportApp.url)
        .post(`/app/registrar/api-tokens/${made.body.id}/revoke`)
        .type('form')
        .set('Accept', 'application/json')
        .send({ s: registrarB });
      assert.equal(byB.status, 404);
      assert.equal((await api(token, { format: 'csv' })).status, 200, 'still valid');
      const byA = await request(exportApp.url).post(`/app/registrar/api-tokens/${made.body.id}/revoke`).type('form').send({ s: registrarA });
      assert.equal(byA.status, 200);
      const after = await api(token, { format: 'csv' });
      assert.equal(after.status, 401);
      assert.equal(JSON.parse(text(after)).error.code, 'API_TOKEN_INVALID');
      const again = await request(exportApp.url)
        .post(`/app/registrar/api-tokens/${made.body.id}/revoke`)
        .type('form')
        .set('Accept', 'application/json')
        .send({ s: registrarA });
      assert.equal(again.status, 404);
      const list = await request(exportApp.url).get('/app/registrar/api-tokens').query({ s: registrarA });
      assert.ok(list.body.tokens.find((t: Json) => t.id === made.body.id).revokedAt);
      assert.equal((await api(tokenA, { format: 'csv' })).status, 200, 'other tokens unaffected');
    });

    it('the app itself (src/app.ts) serves the page, the token routes and the API', async () => {
      const page = await request(ctx.tool.url).get('/app/registrar/export').query({ s: registrarA, format: 'csv' }).buffer(true).parse(binaryParser);
      assert.equal(page.status, 200);
      assert.equal(csvRows(page).length, a.records.length);
      const made = await request(ctx.tool.url).post('/app/registrar/api-tokens').type('form').send({ s: registrarA, label: 'via the app' });
      assert.equal(made.status, 201, made.text);
      const viaApi = await request(ctx.tool.url)
        .get('/api/v1/export')
        .query({ format: 'jsonl' })
        .set('Authorization', `Bearer ${made.body.token}`)
        .buffer(true)
        .parse(binaryParser);
      assert.equal(viaApi.status, 200);
      assert.equal(lines(viaApi).length, a.records.length);
      const denied = await request(ctx.tool.url).get('/api/v1/export').set('Authorization', 'Bearer nope');
      assert.equal(denied.status, 401);
      assert.equal(denied.body.error.code, 'API_TOKEN_INVALID');
    });

    it('the API validates like the page: bad date and unknown format are 400 JSON', async () => {
      const date = await api(tokenA, { format: 'csv', from: '31.12.2026' });
      assert.equal(date.status, 400);
      assert.equal(JSON.parse(text(date)).error.code, 'EXPORT_DATE_INVALID');
      const format = await api(tokenA, { format: 'pdf' });
      assert.equal(format.status, 400);
      assert.equal(JSON.parse(text(format)).error.code, 'EXPORT_FORMAT_INVALID');
    });
  });
});
