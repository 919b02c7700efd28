import assert from 'node:assert/strict';
import request from 'supertest';
import { initiateLogin, launchAs, postLaunch } from '../support/launch';
import { useRegisteredTool } from '../support/registered-tool';

describe('LTI 1.3 launch from Moodle (simulated from captured traffic)', () => {
  const ctx = useRegisteredTool();

  it('login initiation redirects to the platform with state, a crypto nonce and a Partitioned state cookie', async () => {
    const login = await initiateLogin(ctx.tool, ctx.sim);
    assert.equal(login.location.origin + login.location.pathname, ctx.sim.authUrl);
    assert.equal(login.location.searchParams.get('client_id'), ctx.sim.clientId);
    assert.equal(login.location.searchParams.get('redirect_uri'), `${ctx.tool.url}/lti/launch`);
    assert.equal(login.location.searchParams.get('login_hint'), '4');
    assert.match(login.nonce, /^[A-Za-z0-9_-]{32}$/, 'nonce is 24 random bytes, not Math.random base36');
    const stateCookie = login.setCookies.find((c) => c.startsWith(`state${login.state}=`));
    assert.ok(stateCookie, 'ltijs state cookie is set');
    assert.match(stateCookie!, /; Secure; SameSite=None; Partitioned$/);
  });

  it('GET login initiation works too', async () => {
    const res = await request(ctx.tool.url).get('/lti/login').query(ctx.sim.loginForm('4'));
    assert.equal(res.status, 302, res.text);
    assert.ok(res.headers.location!.startsWith(ctx.sim.authUrl));
  });

  it('a teacher launch lands on the teacher page through a cookie-less session', async () => {
    const { location, token } = await launchAs(ctx.tool, ctx.sim, 'teacher');
    assert.equal(location.pathname, '/app');
    const landing = await request(ctx.tool.url).get('/app').query({ s: token });
    assert.equal(landing.status, 303);
    assert.equal(new URL(landing.headers.location!, ctx.tool.url).pathname, '/app/teacher');
    const page = await request(ctx.tool.url).get('/app/teacher').query({ s: token }).set('Accept', 'text/html');
    assert.equal(page.status, 200);
    assert.match(page.text, /Badges of Open Badges Demo Course/);
    assert.match(page.text, /Signed in as Tina Teacher/);
    assert.equal(page.headers['set-cookie'], undefined, 'no cookie carries the session');
    const csp = page.headers['content-security-policy']!;
    assert.match(csp, new RegExp(`frame-ancestors 'self' ${ctx.sim.issuer.replace(/\./g, '\\.')}`));
  });

  it('a student launch lands on the student page; the session holds a normalised LaunchContext', async () => {
    const { token } = await launchAs(ctx.tool, ctx.sim, 'student');
    const session = await ctx.tool.sessions.find(token);
    assert.ok(session);
    const c = session!.context;
    assert.equal(c.courseId, '2');
    assert.equal(c.userId, '4');
    assert.deepEqual(c.roles, ['student']);
    assert.equal(c.resourceLink?.id, '1');
    assert.equal(c.locale, 'en');
    assert.equal(c.documentTarget, 'iframe');
    assert.ok(c.ags?.lineItemsUrl?.startsWith(ctx.sim.issuer));
    assert.ok(c.nrps?.contextMembershipsUrl.startsWith(ctx.sim.issuer));
    const page = await request(ctx.tool.url).get('/app/student').query({ s: token }).set('Accept', 'text/html');
    assert.equal(page.status, 200);
    assert.match(page.text, /My badges in Open Badges Demo Course/);
  });

  it('a Latvian launch renders Latvian pages', async () => {
    const lp = 'https://purl.imsglobal.org/spec/lti/claim/launch_presentation';
    const { token } = await launchAs(ctx.tool, ctx.sim, 'student', { [lp]: { locale: 'lv', document_target: 'window' } });
    const page = await request(ctx.tool.url).get('/app/student').query({ s: token }).set('Accept', 'text/html');
    assert.match(page.text, /<html lang="lv">/);
    assert.match(page.text, /Manas nozīmītes kursā Open Badges Demo Course/);
  });

  it('accepts a 45-second-old id_token (Moodle tokens live 60 s; ltijs defaults to 10 s)', async () => {
    const login = await initiateLogin(ctx.tool, ctx.sim);
    const claims = ctx.sim.claims('student', login.nonce);
    claims.iat = Math.floor(Date.now() / 1000) - 45;
    claims.exp = (claims.iat as number) + 60;
    const res = await postLaunch(ctx.tool, await ctx.sim.sign(claims), login.state, login.cookie);
    assert.equal(res.status, 303, res.text);
  });

  it('picks up a rotated platform key without a restart', async () => {
    await launchAs(ctx.tool, ctx.sim, 'student'); // key set cached
    await ctx.sim.rotateKey();
    const { res } = await launchAs(ctx.tool, ctx.sim, 'student');
    assert.equal(res.status, 303);
  });
});
