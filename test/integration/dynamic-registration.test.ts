import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { launchAs } from '../support/launch';
import { PlatformSimulator } from '../support/platform-simulator';
import { startTool, type RunningTool } from '../support/tool';

/** The sources of a response's CSP frame-ancestors directive. */
function frameAncestors(headers: Record<string, string | undefined>): string[] {
  const directive = (headers['content-security-policy'] ?? '')
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith('frame-ancestors '));
  assert.ok(directive, `a frame-ancestors directive in ${headers['content-security-policy']}`);
  return directive.split(/\s+/).slice(1);
}

describe('LTI Advantage Dynamic Registration', () => {
  let sim: PlatformSimulator;
  let tool: RunningTool;

  beforeEach(async () => {
    sim = await PlatformSimulator.start();
    sim.deploymentId = '2';
    tool = await startTool();
    sim.toolUrl = tool.url;
  });
  afterEach(async () => {
    await tool.stop();
    await sim.stop();
  });

  const register = (query: Record<string, string>) => request(tool.url).get('/lti/register').query(query).set('Accept', 'text/html');

  it('registers with Moodle, tells the admin the tool is Pending there, and launches work at once', async () => {
    const res = await register({ openid_configuration: sim.openidConfigurationUrl, registration_token: 'reg-token' });
    assert.equal(res.status, 200, res.text);
    assert.match(res.text, /The tool is registered/);
    assert.match(res.text, /Pending until you activate it/);
    assert.match(res.text, /org\.imsglobal\.lti\.close/);
    assert.match(res.text, new RegExp(`postMessage\\(\\{ subject: 'org.imsglobal.lti.close' \\}, "${sim.issuer.replace(/\./g, '\\.')}"\\)`));

    const sent = sim.registrations[0]!;
    assert.equal(sent.authorization, 'Bearer reg-token');
    const toolConfig = sent.body['https://purl.imsglobal.org/spec/lti-tool-configuration'] as Record<string, any>;
    assert.equal(sent.body.initiate_login_uri, `${tool.url}/lti/login`);
    assert.deepEqual(sent.body.redirect_uris, [`${tool.url}/lti/launch`]);
    assert.equal(sent.body.jwks_uri, `${tool.url}/lti/jwks`);
    for (const scope of ['lineitem', 'lineitem.readonly', 'result.readonly', 'score'])
      assert.ok(String(sent.body.scope).includes(`https://purl.imsglobal.org/spec/lti-ags/scope/${scope}`));
    assert.ok(String(sent.body.scope).includes('contextmembership.readonly'));
    assert.deepEqual(
      toolConfig.messages.map((m: { type: string }) => m.type),
      ['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'],
    );
    for (const m of toolConfig.messages)
      assert.equal(m.target_link_uri, `${tool.url}/lti/launch`, 'each message names its target (Moodle stores an empty Content Selection URL otherwise)');
    const logo = await request(tool.url).get(new URL(String(sent.body.logo_uri)).pathname);
    assert.equal(logo.status, 200, 'the registered logo is served');

    const [platform] = await tool.registry.list();
    assert.equal(platform!.issuer, sim.issuer);
    assert.equal(platform!.clientId, sim.clientId);
    assert.deepEqual(platform!.deploymentIds, ['2']);
    assert.equal(platform!.registeredVia, 'dynamic');
    // active on the tool's side at once (ltijs 5.9.9 left it inactive → 401 PLATFORM_NOT_ACTIVATED)
    const { res: launch } = await launchAs(tool, sim, 'student');
    assert.equal(launch.status, 303);
  });

  it('the first registration of a site may be framed by that site (Moodle opens it in a panel before it knows the tool)', async () => {
    assert.deepEqual(frameAncestors((await register({})).headers), ["'self'"], 'no site is registered yet');
    const res = await register({ openid_configuration: sim.openidConfigurationUrl, registration_token: 'reg-token' });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(frameAncestors(res.headers), ["'self'", new URL(sim.issuer).origin]);
  });

  it('a re-registration by the same Moodle updates the platform instead of failing', async () => {
    await register({ openid_configuration: sim.openidConfigurationUrl, registration_token: 't1' }).expect(200);
    sim.deploymentId = '5';
    await register({ openid_configuration: sim.openidConfigurationUrl, registration_token: 't2' }).expect(200);
    const platforms = await tool.registry.list();
    assert.equal(platforms.length, 1);
    assert.deepEqual(platforms[0]!.deploymentIds.sort(), ['2', '5']);
  });

  it('refuses a registration link without openid_configuration or registration_token', async () => {
    const a = await register({ registration_token: 'x' });
    assert.equal(a.status, 400);
    assert.match(a.text, /DYNREG_PARAMS_MISSING/);
    const b = await register({ openid_configuration: sim.openidConfigurationUrl });
    assert.equal(b.status, 400);
    assert.equal((await tool.registry.list()).length, 0);
  });

  describe('forged registrations', () => {
    let forger: http.Server;
    let forgerUrl: string;
    let config: Record<string, unknown>;

    beforeEach(async () => {
      const app = express();
      app.get('/openid-configuration', (_req, res) => res.json(config));
      app.post('/register-broken', (_req, res) => res.status(500).send('Moodle error'));
      app.post('/register', (_req, res) => res.json({ client_id: 'forged', 'https://purl.imsglobal.org/spec/lti-tool-configuration': { deployment_id: '1' } }));
      forger = http.createServer(app);
      await new Promise<void>((r) => forger.listen(0, '127.0.0.1', r));
      forgerUrl = `http://127.0.0.1:${(forger.address() as AddressInfo).port}`;
    });
    afterEach(() => new Promise((r) => forger.close(r)));

    const forgedConfig = (overrides: Record<string, unknown>) => ({
      issuer: forgerUrl,
      authorization_endpoint: `${forgerUrl}/auth`,
      token_endpoint: `${forgerUrl}/token`,
      jwks_uri: `${forgerUrl}/jwks`,
      registration_endpoint: `${forgerUrl}/register`,
      ...overrides,
    });

    it('a configuration claiming another site as issuer is refused (no one registers as someone else)', async () => {
      config = forgedConfig({ issuer: sim.issuer });
      const res = await register({ openid_configuration: `${forgerUrl}/openid-configuration`, registration_token: 'x' });
      assert.equal(res.status, 403);
      assert.match(res.text, /DYNREG_ISSUER_MISMATCH/);
      assert.deepEqual(frameAncestors(res.headers), ["'self'"], 'a configuration that failed validation gives its site no right to frame the answer');
      assert.equal((await tool.registry.list()).length, 0);
    });

    it('a configuration pointing its keys at another site is refused', async () => {
      config = forgedConfig({ jwks_uri: `${sim.issuer}/mod/lti/certs.php` });
      const res = await register({ openid_configuration: `${forgerUrl}/openid-configuration`, registration_token: 'x' });
      assert.equal(res.status, 403);
      assert.match(res.text, /DYNREG_ENDPOINT_FOREIGN/);
      assert.deepEqual(frameAncestors(res.headers), ["'self'"]);
      assert.equal((await tool.registry.list()).length, 0);
    });

    it("a valid configuration whose registration then fails: the error shows in that site's frame, other pages stay closed to it", async () => {
      config = forgedConfig({ registration_endpoint: `${forgerUrl}/register-broken` });
      const res = await register({ openid_configuration: `${forgerUrl}/openid-configuration`, registration_token: 'x' });
      assert.equal(res.status, 502, res.text);
      assert.match(res.text, /DYNREG_PLATFORM_REFUSED/);
      assert.deepEqual(frameAncestors(res.headers), ["'self'", forgerUrl], 'the admin sees the error inside Moodle');
      assert.equal((await tool.registry.list()).length, 0);
      for (const path of ['/lti/register', '/', '/static/logo.svg'])
        assert.deepEqual(frameAncestors((await request(tool.url).get(path).set('Accept', 'text/html')).headers), ["'self'"], path);
    });

    it('a platform outside LTI_DYNREG_ALLOWED_ISSUERS is refused', async () => {
      const strict = await startTool({ env: { LTI_DYNREG_ALLOWED_ISSUERS: 'https://moodle.example.edu' } });
      try {
        const res = await request(strict.url)
          .get('/lti/register')
          .query({ openid_configuration: sim.openidConfigurationUrl, registration_token: 'x' })
          .set('Accept', 'application/json');
        assert.equal(res.status, 403);
        assert.equal(res.body.error.code, 'DYNREG_ISSUER_NOT_ALLOWED');
        assert.equal(sim.registrations.length, 0, 'Moodle was never contacted');
      } finally {
        await strict.stop();
      }
    });

    it('http platforms are refused in production-like settings', async () => {
      const strict = await startTool({ env: { LTI_ALLOW_INSECURE_PLATFORMS: 'false' } });
      try {
        const res = await request(strict.url)
          .get('/lti/register')
          .query({ openid_configuration: 'http://moodle.example.edu/mod/lti/openid-configuration.php', registration_token: 'x' })
          .set('Accept', 'application/json');
        assert.equal(res.status, 400);
        assert.equal(res.body.error.code, 'DYNREG_INSECURE_URL');
      } finally {
        await strict.stop();
      }
    });

    it('Moodle unreachable → 502 with a clear message, nothing stored', async () => {
      const res = await request(tool.url)
        .get('/lti/register')
        .query({ openid_configuration: 'http://127.0.0.1:1/openid-configuration', registration_token: 'x' })
        .set('Accept', 'application/json');
      assert.equal(res.status, 502);
      assert.equal(res.body.error.code, 'DYNREG_PLATFORM_UNREACHABLE');
      assert.equal((await tool.registry.list()).length, 0);
    });
  });

  it("tenants are isolated: a session of one Moodle cannot see another Moodle's badges", async () => {
    const b = await PlatformSimulator.start();
    try {
      b.toolUrl = tool.url;
      sim.deploymentId = '1';
      await tool.registry.register(sim.platformRegistration());
      await tool.registry.register(b.platformRegistration());
      const a = await launchAs(tool, sim, 'deepLinking');
      await request(tool.url).post('/app/deep-linking').type('form').send({ s: a.token, newBadgeName: 'Only on A' }).expect(200);
      const other = await launchAs(tool, b, 'teacher'); // same course id "2", same user id "3" on another site
      const page = await request(tool.url).get('/app/teacher').query({ s: other.token }).set('Accept', 'text/html');
      assert.equal(page.status, 200);
      assert.ok(!page.text.includes('Only on A'));
      const mine = await request(tool.url)
        .get('/app/teacher')
        .query({ s: (await launchAs(tool, sim, 'teacher')).token });
      assert.ok(mine.text.includes('Only on A'));
    } finally {
      await b.stop();
    }
  });
});
