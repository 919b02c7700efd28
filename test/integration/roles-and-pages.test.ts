import assert from 'node:assert/strict';
import { jwtVerify, createRemoteJWKSet } from 'jose';
import request from 'supertest';
import { CLAIM } from '../../src/lti/claims';
import { launchAs } from '../support/launch';
import { PlatformSimulator } from '../support/platform-simulator';
import { useRegisteredTool } from '../support/registered-tool';
import { startTool } from '../support/tool';

describe('roles, pages, deep linking and operations', () => {
  const ctx = useRegisteredTool({ env: { REGISTRARS: '' } });

  describe('a student never reaches a teacher or registrar route', () => {
    for (const path of ['/app/teacher', '/app/registrar', '/app/deep-linking']) {
      it(`GET ${path} as a student → 403 ROLE_FORBIDDEN`, async () => {
        const { token } = await launchAs(ctx.tool, ctx.sim, 'student');
        const res = await request(ctx.tool.url).get(path).query({ s: token }).set('Accept', 'application/json');
        assert.equal(res.status, 403);
        assert.equal(res.body.error.code, 'ROLE_FORBIDDEN');
      });
    }
    it('POST /app/deep-linking as a student → 403, and no badge is created', async () => {
      const { token } = await launchAs(ctx.tool, ctx.sim, 'student');
      const res = await request(ctx.tool.url)
        .post('/app/deep-linking')
        .type('form')
        .send({ s: token, newBadgeName: 'Sneaky' })
        .set('Accept', 'application/json');
      assert.equal(res.status, 403);
      assert.equal(await ctx.tool.db.connection.collection('badges').countDocuments({ name: 'Sneaky' }), 0);
    });
    it('a teacher does not reach the registrar page', async () => {
      const { token } = await launchAs(ctx.tool, ctx.sim, 'teacher');
      const res = await request(ctx.tool.url).get('/app/registrar').query({ s: token }).set('Accept', 'application/json');
      assert.equal(res.status, 403);
    });
  });

  it('no or a forged session token → 401 SESSION_REQUIRED (HTML for browsers)', async () => {
    const none = await request(ctx.tool.url).get('/app/student').set('Accept', 'application/json');
    assert.equal(none.status, 401);
    assert.equal(none.body.error.code, 'SESSION_REQUIRED');
    const forged = await request(ctx.tool.url)
      .get('/app/student')
      .query({ s: 'A'.repeat(43) })
      .set('Accept', 'text/html');
    assert.equal(forged.status, 401);
    assert.match(forged.text, /SESSION_REQUIRED/);
    assert.match(forged.text, /open the tool again from Moodle/);
  });

  it('a state change takes the session from the form body only, never from a link', async () => {
    const { token } = await launchAs(ctx.tool, ctx.sim, 'deepLinking');
    const res = await request(ctx.tool.url)
      .post(`/app/deep-linking?s=${token}`)
      .type('form')
      .send({ newBadgeName: 'Via link' })
      .set('Accept', 'application/json');
    assert.equal(res.status, 401);
  });

  it('an institution administrator is a registrar; the registrar page names their platform', async () => {
    const { token } = await launchAs(ctx.tool, ctx.sim, 'admin');
    const session = await ctx.tool.sessions.find(token);
    assert.deepEqual(session!.context.roles, ['registrar', 'teacher']);
    const page = await request(ctx.tool.url).get('/app/registrar').query({ s: token }).set('Accept', 'text/html');
    assert.equal(page.status, 200);
    assert.match(page.text, /Registrar: Simulated Moodle/);
  });

  it('a user named in REGISTRARS is a registrar on that platform only', async () => {
    const named = await PlatformSimulator.start();
    const unnamed = await PlatformSimulator.start();
    const configured = await startTool({ env: { REGISTRARS: `${named.issuer}|3` } });
    try {
      for (const s of [named, unnamed]) {
        s.toolUrl = configured.url;
        await configured.registry.register(s.platformRegistration());
      }
      const yes = await launchAs(configured, named, 'teacher');
      assert.deepEqual((await configured.sessions.find(yes.token))!.context.roles, ['registrar', 'teacher']);
      const no = await launchAs(configured, unnamed, 'teacher'); // same user id 3, another Moodle
      assert.deepEqual((await configured.sessions.find(no.token))!.context.roles, ['teacher']);
    } finally {
      await configured.stop();
      await named.stop();
      await unnamed.stop();
    }
  });

  it('deep linking: a teacher creates a badge and Moodle receives an LtiResourceLink with badge_id', async () => {
    const { location, token } = await launchAs(ctx.tool, ctx.sim, 'deepLinking');
    assert.equal(location.pathname, '/app/deep-linking');
    const picker = await request(ctx.tool.url).get('/app/deep-linking').query({ s: token }).set('Accept', 'text/html');
    assert.equal(picker.status, 200);
    assert.match(picker.text, /Add a badge activity/);
    const res = await request(ctx.tool.url)
      .post('/app/deep-linking')
      .type('form')
      .send({ s: token, newBadgeName: 'Course finisher' })
      .set('Accept', 'text/html');
    assert.equal(res.status, 200);
    const action = /<form id="auto-post" method="post" action="([^"]+)"/.exec(res.text)![1]!.replaceAll('&amp;', '&');
    assert.ok(action.startsWith(`${ctx.sim.issuer}/mod/lti/contentitem_return.php`));
    const jwt = /name="JWT" value="([^"]+)"/.exec(res.text)![1]!;
    assert.match(res.headers['content-security-policy']!, new RegExp(`form-action 'self' ${ctx.sim.issuer.replace(/\./g, '\\.')}`));
    // Moodle verifies the response with the ctx.tool's JWKS
    const { payload } = await jwtVerify(jwt, createRemoteJWKSet(new URL(`${ctx.tool.url}/lti/jwks`)), { issuer: ctx.sim.clientId, audience: ctx.sim.issuer });
    assert.equal(payload[CLAIM.messageType], 'LtiDeepLinkingResponse');
    assert.equal(payload[CLAIM.version], '1.3.0');
    assert.equal(payload[CLAIM.deploymentId], ctx.sim.deploymentId);
    const items = payload[CLAIM.deepLinkingContentItems] as Array<Record<string, any>>;
    assert.equal(items.length, 1);
    assert.equal(items[0]!.type, 'ltiResourceLink');
    assert.equal(items[0]!.title, 'Course finisher');
    assert.equal(items[0]!.url, `${ctx.tool.url}/lti/launch`);
    const badge = await ctx.tool.db.connection.collection('badges').findOne({ name: 'Course finisher' });
    assert.equal(items[0]!.custom.badge_id, String(badge!._id));
    assert.equal(badge!.courseId, '2');

    // picking the existing badge works too, and its id must belong to this course
    const again = await launchAs(ctx.tool, ctx.sim, 'deepLinking');
    const picked = await request(ctx.tool.url)
      .post('/app/deep-linking')
      .type('form')
      .send({ s: again.token, badgeId: String(badge!._id) });
    assert.equal(picked.status, 200);
    const foreign = await request(ctx.tool.url)
      .post('/app/deep-linking')
      .type('form')
      .send({ s: again.token, badgeId: 'a'.repeat(24) })
      .set('Accept', 'application/json');
    assert.equal(foreign.status, 400);
    assert.equal(foreign.body.error.code, 'BADGE_NOT_FOUND');
  });

  it('the deep-linking page refuses a resource-link session', async () => {
    const { token } = await launchAs(ctx.tool, ctx.sim, 'teacher');
    const res = await request(ctx.tool.url).get('/app/deep-linking').query({ s: token }).set('Accept', 'application/json');
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'DEEP_LINKING_REQUIRED');
  });

  it('/healthz pings the database', async () => {
    const res = await request(ctx.tool.url).get('/healthz');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { status: 'ok', database: 'ok' });
  });

  it('unknown paths → 404 with a request id', async () => {
    const res = await request(ctx.tool.url).get('/nope').set('Accept', 'application/json').set('X-Request-Id', 'req-12345678');
    assert.equal(res.status, 404);
    assert.equal(res.body.error.requestId, 'req-12345678');
    assert.equal(res.headers['x-request-id'], 'req-12345678');
  });

  it('logs carry request ids and never an id_token, session token or cookie', async () => {
    const { token, idToken } = await launchAs(ctx.tool, ctx.sim, 'teacher');
    await request(ctx.tool.url).get('/app/teacher').query({ s: token });
    const logs = ctx.tool.logs.join('\n');
    assert.match(logs, /"req":\{"id":"[0-9a-f-]{36}"/);
    assert.ok(!logs.includes(token), 'session token not logged');
    assert.ok(!logs.includes(idToken), 'id_token not logged');
    assert.ok(!logs.includes(idToken.split('.')[1]!), 'no part of the id_token logged');
    assert.ok(!/state[0-9a-f]{50}=/.test(logs), 'no cookie logged');
  });
});
