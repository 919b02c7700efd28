import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { HttpClient } from '../../../src/lms/platform-services/http.js';
import { createPlatformServices } from '../../../src/lms/platform-services/index.js';
import { TokenClient, scopeKey } from '../../../src/lms/platform-services/token.js';
import { SCOPES } from '../../support/fake-lti-services.js';
// source: /work/shared/moodle-fixtures/token-endpoint-clock-skew-and-replay.json + ags-nrps-service-exchanges.json
import tokenFixture from './fixtures/moodle-token-endpoint.json';
import { assertNoSecrets, CLIENT_ID, KID, rejection, startHarness, toolKeys, type Harness } from './helpers.js';

const AGS_READ = [SCOPES.lineitemReadonly, SCOPES.resultReadonly];

describe('platform-services/token', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.fake.close();
    h = undefined;
  });
  const tokenRequests = () => h!.fake.requests.filter((r) => r.url === '/mod/lti/token.php');

  it('gets a token with a form-encoded client_credentials grant and reads the text/html JSON answer', async () => {
    h = await startHarness();
    const token = await h.services.getAccessToken(AGS_READ);
    assert.equal(token, h.fake.issuedTokens[0]);

    const [req] = tokenRequests();
    assert.ok(req);
    assert.equal(req.method, 'POST');
    assert.match(String(req.headers['content-type']), /^application\/x-www-form-urlencoded/);
    const form = new URLSearchParams(req.body);
    assert.equal(form.get('grant_type'), tokenFixture.requestFormFields.grant_type);
    assert.equal(form.get('client_assertion_type'), tokenFixture.requestFormFields.client_assertion_type);
    assert.equal(form.get('scope'), [...AGS_READ].sort().join(' '));
    assert.ok(form.get('client_assertion'));
  });

  it('the fake, like Moodle, answers text/html and rejects a JSON body with invalid_request', async () => {
    h = await startHarness();
    const res = await fetch(h.fake.tokenEndpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('content-type'), tokenFixture.responseContentType);
    assert.equal(await res.text(), tokenFixture.jsonBodyRejected.rawBody);
  });

  it('signs an RFC 7523 assertion: RS256, kid, iss=sub=clientId, aud, jti, backdated iat, exp = iat + 60 + backdate', async () => {
    h = await startHarness();
    await h.services.getAccessToken([SCOPES.score]);
    await h.services.getAccessToken([SCOPES.nrps]);
    assert.equal(h.fake.assertions.length, 2);
    const [a, b] = h.fake.assertions as [(typeof h.fake.assertions)[0], (typeof h.fake.assertions)[0]];
    assert.equal(a.header['alg'], 'RS256');
    assert.equal(a.header['kid'], KID);
    assert.equal(a.payload['iss'], CLIENT_ID);
    assert.equal(a.payload['sub'], CLIENT_ID);
    assert.equal(a.payload['aud'], h.fake.tokenEndpoint);
    assert.equal(a.payload['iat'], Math.floor(h.clocks.tool() / 1000) - 10);
    assert.equal(Number(a.payload['exp']) - Number(a.payload['iat']), 70);
    assert.match(String(a.payload['jti']), /^[0-9a-f-]{36}$/);
    assert.notEqual(a.payload['jti'], b.payload['jti']);
  });

  it('uses authorizationServer as aud when configured', async () => {
    h = await startHarness();
    const tokens = new TokenClient({
      credentials: {
        clientId: CLIENT_ID,
        tokenEndpoint: h.fake.tokenEndpoint,
        authorizationServer: 'https://auth.example/as',
        privateKeyPem: toolKeys().pkcs8Pem,
        kid: KID,
      },
      http: new HttpClient(),
      now: h.clocks.tool,
      iatBackdateSeconds: 3,
    });
    const jwt = await tokens.createClientAssertion();
    assert.equal(decodeJwt(jwt).aud, 'https://auth.example/as');
    assert.equal(decodeProtectedHeader(jwt).kid, KID);
    assert.equal(decodeJwt(jwt).iat, Math.floor(h.clocks.tool() / 1000) - 3);
  });

  for (const form of ['pkcs1', 'pkcs8'] as const) {
    it(`accepts a ${form} PEM private key`, async () => {
      const pem = form === 'pkcs1' ? toolKeys().pkcs1Pem : toolKeys().pkcs8Pem;
      assert.ok(pem.startsWith(form === 'pkcs1' ? '-----BEGIN RSA PRIVATE KEY-----' : '-----BEGIN PRIVATE KEY-----'));
      h = await startHarness({ privateKeyPem: pem });
      assert.ok(await h.services.getAccessToken([SCOPES.score]));
    });
  }

  it('tool clock 2 s AHEAD of Moodle: still accepted thanks to the default 10 s iat backdate', async () => {
    h = await startHarness({ toolOffsetMs: 2_000 });
    assert.ok(await h.services.getAccessToken([SCOPES.score]));
    const [assertion] = h.fake.assertions;
    assert.ok(Number(assertion?.payload['iat']) <= assertion!.receivedAt);
  });

  it("tool clock 2 s AHEAD with iatBackdateSeconds: 0 → PLATFORM_TOKEN_REJECTED with Moodle's iat error", async () => {
    h = await startHarness({ toolOffsetMs: 2_000, services: { iatBackdateSeconds: 0 } });
    const err = await rejection(h.services.getAccessToken([SCOPES.score]), 'PLATFORM_TOKEN_REJECTED');
    assert.equal(err.status, 502);
    assert.equal(err.details?.['status'], 400);
    // Same message shape as the capture: "Cannot handle token with iat prior to 2026-11-28T10:13:03+0000"
    assert.match(tokenFixture.iatAhead5s.body.error, /^Cannot handle token with iat prior to \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
    assert.match(String(err.details?.['error']), /^Cannot handle token with iat prior to \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
    assertNoSecrets(err, h.fake.issuedTokens);
  });

  it('caches per sorted scope set until shortly before expires_in, then fetches a new token', async () => {
    h = await startHarness();
    const t1 = await h.services.getAccessToken([SCOPES.resultReadonly, SCOPES.lineitemReadonly]);
    const t2 = await h.services.getAccessToken([SCOPES.lineitemReadonly, SCOPES.resultReadonly, SCOPES.lineitemReadonly]);
    assert.equal(t2, t1);
    assert.equal(tokenRequests().length, 1);

    const other = await h.services.getAccessToken([SCOPES.score]);
    assert.notEqual(other, t1);
    assert.equal(tokenRequests().length, 2);

    h.clocks.advance((3600 - 61) * 1000); // still outside the 60 s refresh margin
    assert.equal(await h.services.getAccessToken(AGS_READ), t1);
    h.clocks.advance(2_000); // inside the margin
    const t3 = await h.services.getAccessToken(AGS_READ);
    assert.notEqual(t3, t1);
    assert.equal(tokenRequests().length, 3);
  });

  it('concurrent callers for the same scope set share one token request', async () => {
    h = await startHarness();
    const tokens = await Promise.all([1, 2, 3].map(() => h!.services.getAccessToken([SCOPES.nrps])));
    assert.equal(new Set(tokens).size, 1);
    assert.equal(tokenRequests().length, 1);
  });

  it('scopeKey de-duplicates and sorts', () => {
    assert.equal(scopeKey(['b', 'a', ' b ']), 'a b');
  });

  it('unknown-only scope → PLATFORM_TOKEN_REJECTED with error invalid_scope', async () => {
    h = await startHarness();
    const err = await rejection(h.services.getAccessToken(['https://example.com/scope/nope']), 'PLATFORM_TOKEN_REJECTED');
    assert.equal(err.details?.['error'], tokenFixture.invalidScope.error);
  });

  it('5xx from the token endpoint → PLATFORM_HTTP_ERROR, not retried (POST)', async () => {
    h = await startHarness();
    h.fake.queue(/token\.php$/, { status: 503, body: 'down' });
    const err = await rejection(h.services.getAccessToken([SCOPES.score]), 'PLATFORM_HTTP_ERROR');
    assert.equal(err.details?.['status'], 503);
    assert.equal(tokenRequests().length, 1);
  });

  it('200 with a non-JSON body → PLATFORM_BAD_RESPONSE; JSON without access_token → PLATFORM_BAD_RESPONSE', async () => {
    h = await startHarness();
    h.fake.queue(/token\.php$/, { status: 200, body: '<html>oops</html>', headers: { 'Content-Type': 'text/html' } });
    await rejection(h.services.getAccessToken([SCOPES.score]), 'PLATFORM_BAD_RESPONSE');
    h.fake.queue(/token\.php$/, { status: 200, body: '{"token_type":"Bearer"}', headers: { 'Content-Type': 'text/html' } });
    await rejection(h.services.getAccessToken([SCOPES.score]), 'PLATFORM_BAD_RESPONSE');
  });

  it('the token-endpoint error never contains the client assertion, even when the platform echoes it', async () => {
    h = await startHarness();
    let seen = '';
    const services = createPlatformServices({
      credentials: { clientId: CLIENT_ID, tokenEndpoint: h.fake.tokenEndpoint, privateKeyPem: toolKeys().pkcs1Pem, kid: KID },
      fetch: async (_url, init) => {
        seen = new URLSearchParams(String(init.body)).get('client_assertion') ?? '';
        const body = JSON.stringify({ error: `bad assertion ${seen}`, error_description: `got ${seen}` });
        return new Response(body, { status: 400, headers: { 'Content-Type': 'text/html' } });
      },
    });
    const err = await rejection(services.getAccessToken([SCOPES.score]), 'PLATFORM_TOKEN_REJECTED');
    assert.ok(seen.length > 100);
    assert.match(String(err.details?.['error']), /^bad assertion \[REDACTED\]$/);
    assertNoSecrets(err, [seen]);
  });

  it('an unreadable or non-RSA private key → PLATFORM_CONFIG_INVALID without echoing the PEM', () => {
    const http = new HttpClient();
    const base = { clientId: CLIENT_ID, tokenEndpoint: 'http://127.0.0.1:1/token', kid: KID };
    const bad = '-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5\n-----END RSA PRIVATE KEY-----';
    assert.throws(
      () => new TokenClient({ credentials: { ...base, privateKeyPem: bad }, http, now: Date.now }),
      (err: Error & { code?: string }) => err.code === 'PLATFORM_CONFIG_INVALID' && !err.message.includes('bm90'),
    );
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    assert.throws(
      () => new TokenClient({ credentials: { ...base, privateKeyPem: ec }, http, now: Date.now }),
      (err: Error & { code?: string }) => err.code === 'PLATFORM_CONFIG_INVALID' && /RSA/.test(err.message),
    );
  });

  it('an empty scope list is a caller error (PLATFORM_INVALID_ARGUMENT), no request sent', async () => {
    h = await startHarness();
    await rejection(h.services.getAccessToken([]), 'PLATFORM_INVALID_ARGUMENT');
    assert.equal(tokenRequests().length, 0);
  });
});
