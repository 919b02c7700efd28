import assert from 'node:assert/strict';
import request from 'supertest';
import { hostileBodies } from '../support/hostile-credentials';
import { initiateLogin, launchAs, postLaunch } from '../support/launch';
import { useRegisteredTool } from '../support/registered-tool';

const CLIENTS = 20;

/** A distinct client address per simulated stranger (the tool trusts X-Forwarded-For from loopback). */
const from = (i: number) => `203.0.113.${i + 1}`;

describe('public endpoints under abuse: hostile verify bodies, rate limits, deep JSON', () => {
  const ctx = useRegisteredTool({ env: { RATE_LIMIT_VERIFY_PER_MINUTE: '10', VERIFY_THREADS: '1' } });

  it(`${CLIENTS} clients sending hostile bodies all get 4xx while /healthz and a full launch are served`, async () => {
    const bodies = hostileBodies();
    const statuses: Array<{ name: string; status: number; code: string }> = [];
    let verifying = true;
    const clients = Array.from({ length: CLIENTS }, async (_, i) => {
      for (let k = 0; k < bodies.length + 2; k++) {
        const h = bodies[(i + k) % bodies.length]!;
        const res = await request(ctx.tool.url)
          .post('/api/verify')
          .set('X-Forwarded-For', from(i))
          .set('Content-Type', 'application/octet-stream')
          .send(h.body);
        statuses.push({ name: h.name, status: res.status, code: res.body?.error?.code });
        // past its 10 a minute, a client is limited: 429, telling when to come back
        if (res.status === 429) assert.match(String(res.headers['retry-after']), /^\d+$/);
        else assert.equal(res.status, h.status, `${h.name}: ${res.status} ${res.text.slice(0, 300)}`);
      }
    });
    const all = Promise.all(clients).finally(() => (verifying = false));
    // the event loop stays free: health checks and a launch complete while the hostile requests run
    const served: string[] = [];
    const health = (async () => {
      while (verifying) {
        const res = await request(ctx.tool.url).get('/healthz');
        assert.equal(res.status, 200);
        if (verifying) served.push('healthz');
      }
    })();
    const launch = await launchAs(ctx.tool, ctx.sim, 'student');
    if (verifying) served.push('launch');
    await Promise.all([all, health]);
    assert.ok(launch.token);
    assert.equal(statuses.length, CLIENTS * (bodies.length + 2));
    assert.deepEqual(
      statuses.filter((s) => s.status < 400 || s.status >= 500),
      [],
    );
    assert.ok(
      statuses.some((s) => s.status === 429),
      'the per-client limit answered',
    );
    assert.ok(
      statuses.some((s) => s.code === 'VERIFY_INPUT_TOO_COMPLEX'),
      'bodies reached the verifier and were refused by its bounds',
    );
    assert.ok(served.includes('healthz'), 'healthz answered while verifications ran');
  });

  it('each hostile body is refused with its own code and a clear message', async () => {
    for (const [i, h] of hostileBodies().entries()) {
      const res = await request(ctx.tool.url)
        .post('/api/verify')
        .set('X-Forwarded-For', `198.51.100.${i + 1}`)
        .set('Content-Type', 'application/octet-stream')
        .send(h.body);
      assert.equal(res.status, h.status, h.name);
      assert.equal(res.body.error.code, h.code, h.name);
      assert.ok(res.body.error.message.length > 20, h.name);
    }
  });

  it('a client past its limit gets 429 with Retry-After; another client is still served', async () => {
    const answers = [];
    for (let i = 0; i < 12; i++) answers.push((await request(ctx.tool.url).post('/api/verify').set('X-Forwarded-For', '192.0.2.77').send('hello')).status);
    assert.deepEqual(answers.slice(0, 10), Array(10).fill(200));
    const limited = await request(ctx.tool.url).post('/api/verify').set('X-Forwarded-For', '192.0.2.77').send('hello');
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error.code, 'RATE_LIMITED');
    assert.ok(Number(limited.headers['retry-after']) >= 1);
    assert.equal((await request(ctx.tool.url).post('/api/verify').set('X-Forwarded-For', '192.0.2.78').send('hello')).status, 200);
  });

  it('deep or malformed JSON on the session API, the wallet and the LTI launch is 400, never 500', async () => {
    const deep = '['.repeat(50_000) + ']'.repeat(50_000);
    const app = await request(ctx.tool.url).post('/app/student').set('Content-Type', 'application/json').send(deep);
    assert.equal(app.status, 400);
    assert.equal(app.body.error.code, 'BODY_TOO_DEEP');
    const malformed = await request(ctx.tool.url).post('/app/student').set('Content-Type', 'application/json').send('{"s":');
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error.code, 'BODY_MALFORMED');
    const wallet = await request(ctx.tool.url).post('/wallet/credential').set('Authorization', 'Bearer x').set('Content-Type', 'application/json').send(deep);
    assert.equal(wallet.status, 400);
    assert.equal(wallet.body.error, 'invalid_credential_request');

    const login = await initiateLogin(ctx.tool, ctx.sim, '4');
    let nested: unknown = 1;
    for (let i = 0; i < 500; i++) nested = { n: nested };
    const idToken = await ctx.sim.sign(ctx.sim.claims('student', login.nonce, { 'https://purl.imsglobal.org/spec/lti/claim/custom': nested }));
    const launch = await postLaunch(ctx.tool, idToken, login.state, login.cookie).set('Accept', 'application/json');
    assert.equal(launch.status, 400);
    assert.equal(launch.body.error.code, 'LTI_ID_TOKEN_TOO_DEEP');
  });
});

describe('verification budget and queue', () => {
  const ctx = useRegisteredTool({ env: { VERIFY_THREADS: '1', VERIFY_TIMEOUT_MS: '1', RATE_LIMIT_VERIFY_PER_MINUTE: '0' } });

  it('a verification past its time budget is stopped and answered 503 with Retry-After', async () => {
    const body = JSON.stringify({ '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'] });
    const res = await request(ctx.tool.url).post('/api/verify').set('Content-Type', 'application/json').send(body);
    assert.equal(res.status, 503);
    assert.equal(res.body.error.code, 'VERIFY_TIMEOUT');
    assert.ok(Number(res.headers['retry-after']) >= 1);
    assert.equal((await request(ctx.tool.url).get('/healthz')).status, 200);
  });
});

describe('verification queue bound', () => {
  const ctx = useRegisteredTool({ env: { VERIFY_THREADS: '1', VERIFY_MAX_QUEUE: '0', RATE_LIMIT_VERIFY_PER_MINUTE: '0' } });

  it('with the thread busy and no queue, further verifications are refused at once with 503 and Retry-After', async () => {
    const body = hostileBodies().find((h) => h.code === 'VERIFY_INPUT_TOO_COMPLEX')!.body;
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => request(ctx.tool.url).post('/api/verify').set('Content-Type', 'application/octet-stream').send(body)),
    );
    const busy = answers.filter((a) => a.status === 503);
    assert.ok(busy.length >= 1, JSON.stringify(answers.map((a) => a.status)));
    for (const a of busy) {
      assert.equal(a.body.error.code, 'VERIFY_BUSY');
      assert.ok(Number(a.headers['retry-after']) >= 1);
    }
    assert.ok(
      answers.every((a) => a.status === 503 || a.status === 400),
      JSON.stringify(answers.map((a) => a.status)),
    );
  });
});
