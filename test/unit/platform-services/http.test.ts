import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient, type FetchLike } from '../../../src/lms/platform-services/http.js';
import { createPlatformServices } from '../../../src/lms/platform-services/index.js';
import { redactUrl } from '../../../src/lms/platform-services/urls.js';
import { SCOPES } from '../../support/fake-lti-services.js';
import { assertNoSecrets, CLIENT_ID, KID, rejection, startHarness, toolKeys, type Harness } from './helpers.js';

describe('platform-services/http', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.fake.close();
    h = undefined;
  });
  const hits = (path: RegExp) => h!.fake.requests.filter((r) => path.test(r.url.split('?')[0] ?? '')).length;

  describe('timeouts', () => {
    it('a token endpoint that never answers → PLATFORM_TIMEOUT (504) after timeoutMs', async () => {
      h = await startHarness({ services: { timeoutMs: 200 } });
      h.fake.hang(/token\.php$/);
      const started = Date.now();
      const err = await rejection(h.services.getAccessToken([SCOPES.nrps]), 'PLATFORM_TIMEOUT');
      assert.equal(err.status, 504);
      assert.equal(err.details?.['timeoutMs'], 200);
      assert.ok(Date.now() - started < 1_500);
    });

    it('a service that never answers → PLATFORM_TIMEOUT, not retried (the budget is spent)', async () => {
      h = await startHarness({ services: { timeoutMs: 200 } });
      h.fake.hang(/memberships$/);
      const started = Date.now();
      await rejection(h.services.nrps.getMembers(h.fake.membershipsUrl), 'PLATFORM_TIMEOUT');
      assert.ok(Date.now() - started < 1_500);
      assert.equal(hits(/memberships$/), 1);
    });

    it('a body that stalls after the headers also times out', async () => {
      const server: Server = createServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('[');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const http = new HttpClient({ timeoutMs: 200 });
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slow`;
        await rejection(http.request({ method: 'POST', url }), 'PLATFORM_TIMEOUT');
      } finally {
        server.closeAllConnections();
        server.close();
      }
    });
  });

  describe('retries (GET only: network errors, 5xx, 429; max 2)', () => {
    it('5xx is retried with backoff, then succeeds', async () => {
      h = await startHarness();
      h.fake.queue(/memberships$/, { status: 503, body: 'busy' }, { status: 500, body: 'oops' });
      const members = await h.services.nrps.getMembers(h.fake.membershipsUrl);
      assert.equal(members.length, 4);
      assert.equal(hits(/memberships$/), 3);
    });

    it('429 is retried', async () => {
      h = await startHarness();
      h.fake.queue(/lineitems$/, { status: 429, headers: { 'Retry-After': '0' } });
      assert.equal((await h.services.ags.listLineItems(h.fake.lineItemsUrl)).length, 2);
      assert.equal(hits(/lineitems$/), 2);
    });

    it('gives up after 2 retries → PLATFORM_HTTP_ERROR with the last status', async () => {
      h = await startHarness();
      h.fake.queue(/memberships$/, { status: 502 }, { status: 503 }, { status: 504 }, { status: 500 });
      const err = await rejection(h.services.nrps.getMembers(h.fake.membershipsUrl), 'PLATFORM_HTTP_ERROR');
      assert.equal(err.details?.['status'], 504);
      assert.equal(hits(/memberships$/), 3);
    });

    it('a Retry-After beyond the cap is not waited for', async () => {
      h = await startHarness();
      h.fake.queue(/memberships$/, { status: 429, headers: { 'Retry-After': '120' } });
      const err = await rejection(h.services.nrps.getMembers(h.fake.membershipsUrl), 'PLATFORM_HTTP_ERROR');
      assert.equal(err.details?.['status'], 429);
      assert.equal(hits(/memberships$/), 1);
    });

    it('POST is never retried (score)', async () => {
      h = await startHarness();
      h.fake.queue(/scores$/, { status: 500 });
      const score = { userId: '4', activityProgress: 'Completed', gradingProgress: 'FullyGraded' } as const;
      const err = await rejection(h.services.ags.postScore(h.fake.lineItemUrl(4), score), 'PLATFORM_HTTP_ERROR');
      assert.equal(err.details?.['status'], 500);
      assert.equal(hits(/scores$/), 1);
    });

    it('4xx is not retried', async () => {
      h = await startHarness();
      const err = await rejection(h.services.ags.getLineItem(h.fake.lineItemUrl(99)), 'PLATFORM_HTTP_ERROR');
      assert.equal(err.details?.['status'], 404);
      assert.equal(hits(/lineitems\/99\/lineitem$/), 1);
    });

    it('network errors on GET are retried (injected fetch), then PLATFORM_UNREACHABLE when they persist', async () => {
      let calls = 0;
      const flaky =
        (failures: number): FetchLike =>
        async (url, init) => {
          calls++;
          if (calls <= failures) throw new TypeError('fetch failed', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) });
          return globalThis.fetch(url, init);
        };
      h = await startHarness();
      const ok = new HttpClient({ fetch: flaky(2), retryBaseDelayMs: 1 });
      const res = await ok.send({ method: 'GET', url: `${h.fake.baseUrl}/nothing-here` });
      assert.equal(res.status, 404); // the third attempt reached the server
      assert.equal(calls, 3);

      calls = 0;
      const down = new HttpClient({ fetch: flaky(99), retryBaseDelayMs: 1 });
      const err = await rejection(down.request({ method: 'GET', url: `${h.fake.baseUrl}/x` }), 'PLATFORM_UNREACHABLE');
      assert.equal(err.status, 502);
      assert.equal(err.details?.['reason'], 'ECONNRESET');
      assert.equal(calls, 3);
    });

    it('a closed port → PLATFORM_UNREACHABLE (502)', async () => {
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as AddressInfo).port;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      const services = createPlatformServices({
        credentials: { clientId: CLIENT_ID, tokenEndpoint: `http://127.0.0.1:${port}/mod/lti/token.php`, privateKeyPem: toolKeys().pkcs1Pem, kid: KID },
      });
      const err = await rejection(services.getAccessToken([SCOPES.nrps]), 'PLATFORM_UNREACHABLE');
      assert.equal(err.details?.['reason'], 'ECONNREFUSED');
    });
  });

  describe('errors', () => {
    it('never contain the access token, even when the platform echoes it back', async () => {
      h = await startHarness();
      const token = await h.services.getAccessToken([SCOPES.nrps]);
      const echo = JSON.stringify({ error: `token ${token} refused`, reason: `Authorization: Bearer ${token}` });
      h.fake.queue(/memberships$/, { status: 403, body: echo, headers: { 'Content-Type': 'application/json' } });
      const err = await rejection(h.services.nrps.getMembers(h.fake.membershipsUrl), 'PLATFORM_HTTP_ERROR');
      assert.equal(err.details?.['status'], 403);
      assert.equal(err.details?.['error'], 'token [REDACTED] refused');
      assertNoSecrets(err, [token]);
    });

    it('2xx with a body that is not JSON → PLATFORM_BAD_RESPONSE', async () => {
      h = await startHarness();
      h.fake.queue(/lineitems$/, { status: 200, body: '<html>maintenance</html>', headers: { 'Content-Type': 'text/html' } });
      const err = await rejection(h.services.ags.listLineItems(h.fake.lineItemsUrl), 'PLATFORM_BAD_RESPONSE');
      assert.equal(err.status, 502);
      assertNoSecrets(err, h.fake.issuedTokens);
    });

    it('error urls keep useful query params but drop secrets', () => {
      assert.equal(
        redactUrl('https://u:p@lms.example/mod/lti/services.php/2/lineitems?type_id=1&access_token=abc&sesskey=s3#frag'),
        'https://lms.example/mod/lti/services.php/2/lineitems?type_id=1&access_token=REDACTED&sesskey=REDACTED',
      );
      assert.equal(redactUrl('not a url'), '[unparseable url]');
    });

    it('redirects are not followed (the bearer token stays with the platform origin)', async () => {
      h = await startHarness();
      h.fake.queue(/memberships$/, { status: 302, headers: { Location: 'http://127.0.0.1:9/steal' } });
      const err = await rejection(h.services.nrps.getMembers(h.fake.membershipsUrl), 'PLATFORM_HTTP_ERROR');
      assert.equal(err.details?.['status'], 302);
    });
  });
});
