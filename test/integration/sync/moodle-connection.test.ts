import assert from 'node:assert/strict';
import request from 'supertest';
import { REQUIRED_FUNCTIONS } from '../../../src/lms/moodle';
import { startFakeMoodleWs, type FakeMoodleWs } from '../../support/fake-moodle-ws';
import { launchAs } from '../../support/launch';
import { useRegisteredTool } from '../../support/registered-tool';
import { pageText, platformIdOf } from '../../support/sync-helpers';

describe('sync: the registrar connects the Moodle web service', () => {
  const ctx = useRegisteredTool({ env: { REGISTRARS: '' } });
  let fake: FakeMoodleWs;
  let platformId: string;

  before(async () => {
    fake = await startFakeMoodleWs();
    platformId = await platformIdOf(ctx.tool);
  });
  after(async () => {
    await fake?.close();
  });
  beforeEach(async () => {
    fake.up();
    fake.allowFunctions(REQUIRED_FUNCTIONS);
    fake.resetStats();
    await ctx.tool.wsConnections.remove(platformId);
  });

  const wsDocs = () => ctx.tool.db.connection.collection('ws_connections').find({}).toArray();
  const post = (token: string, fields: Record<string, string>) =>
    request(ctx.tool.url)
      .post('/app/registrar/moodle')
      .type('form')
      .set('Accept', 'text/html')
      .send({ s: token, ...fields });

  it('test and save: a working token is saved, the page says so, and the raw database document holds no plain token', async () => {
    const { token } = await launchAs(ctx.tool, ctx.sim, 'admin');
    const res = await post(token, { siteUrl: `${fake.siteUrl}/`, token: fake.token });
    assert.equal(res.status, 200, res.text);
    assert.match(pageText(res.text), /The connection works and is saved\./);
    assert.ok(!res.text.includes(fake.token), 'the page never shows the token back');
    assert.ok(fake.count('core_webservice_get_site_info') >= 1, 'the token was tested against Moodle before saving');

    const docs = await wsDocs();
    assert.equal(docs.length, 1);
    const raw = JSON.stringify(docs[0]);
    assert.ok(!raw.includes(fake.token), 'the token is stored encrypted');
    assert.deepEqual(Object.keys(docs[0]!.token as object).sort(), ['data', 'iv', 'tag']);
    assert.equal(docs[0]!.siteUrl, fake.siteUrl, 'the trailing slash is removed');

    const saved = await ctx.tool.wsConnections.find(platformId);
    assert.equal(saved?.token, fake.token, 'the tool can still read its token');
    assert.ok(!ctx.tool.logs.join('\n').includes(fake.token), 'the token is never logged');
    const audit = await ctx.tool.db.connection.collection('audit_log').find({ action: 'moodle-connection.save' }).toArray();
    assert.equal(audit.length, 1);
    assert.ok(!JSON.stringify(audit).includes(fake.token), 'the audit log has no token');

    const again = await request(ctx.tool.url).get('/app/registrar/moodle').query({ s: token });
    assert.equal(again.status, 200);
    assert.match(pageText(again.text), new RegExp(`Connected to .+ \\(${fake.siteUrl.replace(/[.:/]/g, '\\$&')}\\)`));
  });

  it('a token whose service lacks functions → 400 listing each missing function, nothing saved', async () => {
    const missing = ['gradereport_user_get_grade_items', 'core_completion_get_activities_completion_status'];
    fake.allowFunctions(REQUIRED_FUNCTIONS.filter((f) => !missing.includes(f)));
    const { token } = await launchAs(ctx.tool, ctx.sim, 'admin');
    const res = await post(token, { siteUrl: fake.siteUrl, token: fake.token });
    assert.equal(res.status, 400);
    for (const name of missing) assert.match(res.text, new RegExp(`<li><code>${name}</code></li>`), `${name} is listed`);
    for (const name of REQUIRED_FUNCTIONS.filter((f) => !missing.includes(f)))
      assert.doesNotMatch(res.text, new RegExp(`<li><code>${name}</code></li>`), `${name} is present and not listed as missing`);
    assert.doesNotMatch(pageText(res.text), /is saved/);
    assert.equal((await wsDocs()).length, 0);
    assert.equal(await ctx.tool.wsConnections.find(platformId), null);
  });

  it('Moodle down → 400 with a clear error, nothing saved', async () => {
    fake.down();
    const { token } = await launchAs(ctx.tool, ctx.sim, 'admin');
    const res = await post(token, { siteUrl: fake.siteUrl, token: fake.token });
    assert.equal(res.status, 400);
    const text = pageText(res.text);
    assert.match(text, /Moodle unreachable/, text);
    assert.match(text, /What to do: Moodle could not be reached/);
    assert.doesNotMatch(text, /is saved/);
    assert.equal((await wsDocs()).length, 0);
  });

  it('a wrong token → 400, nothing saved', async () => {
    const { token } = await launchAs(ctx.tool, ctx.sim, 'admin');
    const res = await post(token, { siteUrl: fake.siteUrl, token: 'a'.repeat(32) });
    assert.equal(res.status, 400);
    assert.match(pageText(res.text), /invalidtoken|Invalid token/);
    // what failed, what Moodle said, what to do
    assert.match(pageText(res.text), /Moodle call failed: core_webservice_get_site_info \( MOODLE_WS_ACCESS_DENIED \)/);
    assert.match(pageText(res.text), /Moodle said: core\\exception\\moodle_exception \(invalidtoken\): Invalid token - token not found/);
    assert.match(pageText(res.text), /What to do: Moodle refused the call: check the token/);
    assert.doesNotMatch(pageText(res.text), /is saved/);
    assert.equal((await wsDocs()).length, 0);
  });

  it('a malformed address or token → 400 before Moodle is asked, nothing saved', async () => {
    const { token } = await launchAs(ctx.tool, ctx.sim, 'admin');
    fake.resetStats();
    for (const fields of [
      { siteUrl: 'javascript:alert(1)', token: fake.token },
      { siteUrl: fake.siteUrl, token: 'short' },
      { siteUrl: fake.siteUrl, token: `${fake.token}&wsfunction=x` },
    ]) {
      const res = await post(token, fields);
      assert.equal(res.status, 400, JSON.stringify(fields));
    }
    assert.equal(fake.count(), 0);
    assert.equal((await wsDocs()).length, 0);
  });

  it('a failing re-test keeps the connection saved before', async () => {
    const { token } = await launchAs(ctx.tool, ctx.sim, 'admin');
    assert.equal((await post(token, { siteUrl: fake.siteUrl, token: fake.token })).status, 200);
    const before = await wsDocs();
    fake.down();
    assert.equal((await post(token, { siteUrl: fake.siteUrl, token: 'b'.repeat(32) })).status, 400);
    assert.deepEqual(await wsDocs(), before);
  });

  for (const kind of ['student', 'teacher'] as const) {
    it(`a ${kind} cannot reach the page (403) nor save a connection`, async () => {
      const { token } = await launchAs(ctx.tool, ctx.sim, kind);
      const get = await request(ctx.tool.url).get('/app/registrar/moodle').query({ s: token }).set('Accept', 'application/json');
      assert.equal(get.status, 403);
      assert.equal(get.body.error.code, 'ROLE_FORBIDDEN');
      const res = await request(ctx.tool.url)
        .post('/app/registrar/moodle')
        .type('form')
        .set('Accept', 'application/json')
        .send({ s: token, siteUrl: fake.siteUrl, token: fake.token });
      assert.equal(res.status, 403);
      assert.equal((await wsDocs()).length, 0);
      assert.equal(fake.count('core_webservice_get_site_info'), 0, 'Moodle is not even asked');
    });
  }
});
