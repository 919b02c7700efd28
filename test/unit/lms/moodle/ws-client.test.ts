import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { flattenParams } from '../../../../src/lms/moodle/params.js';
import { MoodleWsClient } from '../../../../src/lms/moodle/ws-client.js';
import { PlatformLimiters } from '../../../../src/lms/moodle/semaphore.js';
import { assertNoToken, rejection, startWsHarness, type WsHarness } from './helpers.js';

describe('lms/moodle/ws-client', () => {
  let h: WsHarness | undefined;
  afterEach(async () => {
    await h?.fake.close();
    h = undefined;
  });

  describe('request format', () => {
    it('flattens params the Moodle way', () => {
      assert.deepEqual(
        flattenParams({
          courseid: 2,
          options: [
            { name: 'limitfrom', value: 0 },
            { name: 'onlyactive', value: true },
          ],
          userids: [4, 5],
          skip: undefined,
        }),
        [
          ['courseid', '2'],
          ['options[0][name]', 'limitfrom'],
          ['options[0][value]', '0'],
          ['options[1][name]', 'onlyactive'],
          ['options[1][value]', '1'],
          ['userids[0]', '4'],
          ['userids[1]', '5'],
        ],
      );
    });

    it('POSTs wstoken, wsfunction, moodlewsrestformat=json and the flattened params as a form', async () => {
      h = await startWsHarness();
      const contents = await h.client.call('core_course_get_contents', { courseid: 2, options: [{ name: 'excludemodules', value: false }] });
      assert.ok(Array.isArray(contents));
      const [logged] = h.fake.log;
      assert.ok(logged?.tokenOk);
      assert.deepEqual(logged.params, {
        wsfunction: 'core_course_get_contents',
        moodlewsrestformat: 'json',
        courseid: '2',
        'options[0][name]': 'excludemodules',
        'options[0][value]': '0',
      });
    });

    it('rejects a site URL that is not http(s) or carries credentials', () => {
      assert.throws(() => new MoodleWsClient({ siteUrl: 'ftp://moodle', token: 't' }), { code: 'MOODLE_INVALID_ARGUMENT' });
      assert.throws(() => new MoodleWsClient({ siteUrl: 'https://u:p@moodle', token: 't' }), { code: 'MOODLE_INVALID_ARGUMENT' });
      assert.equal(
        new MoodleWsClient({ siteUrl: 'https://moodle.example/sub/', token: 't' }).endpoint,
        'https://moodle.example/sub/webservice/rest/server.php',
      );
    });
  });

  describe('Moodle exceptions → typed errors (never retried)', () => {
    it('invalid token → MOODLE_WS_ACCESS_DENIED (invalidtoken), token not leaked', async () => {
      h = await startWsHarness();
      const wrongToken = 'wrong-token-0123456789abcdef';
      const client = h.newClient({ token: wrongToken });
      const err = await rejection(client.call('core_webservice_get_site_info'), 'MOODLE_WS_ACCESS_DENIED', wrongToken);
      assert.equal(err.details?.['errorcode'], 'invalidtoken');
      assert.equal(h.fake.count(), 1);
    });

    it('function not in the service → MOODLE_WS_FUNCTION_MISSING naming it (site info consulted once)', async () => {
      h = await startWsHarness();
      const err = await rejection(h.client.call('core_completion_mark_course_self_completed', { courseid: 2 }), 'MOODLE_WS_FUNCTION_MISSING', h.fake.token);
      assert.deepEqual(err.details?.['missingFunctions'], ['core_completion_mark_course_self_completed']);
      assert.equal(err.details?.['errorcode'], 'accessexception');
      assert.deepEqual(h.fake.countsByFunction(), { core_completion_mark_course_self_completed: 1, core_webservice_get_site_info: 1 });
    });

    it('accessexception for a function that IS in the service → MOODLE_WS_ACCESS_DENIED', async () => {
      h = await startWsHarness();
      h.fake.respondWith('core_course_get_contents', {
        exception: 'webservice_access_exception',
        errorcode: 'accessexception',
        message: 'Access control exception',
      });
      const err = await rejection(h.client.call('core_course_get_contents', { courseid: 2 }), 'MOODLE_WS_ACCESS_DENIED', h.fake.token);
      assert.equal(err.details?.['errorcode'], 'accessexception');
    });

    it('a missing capability (required_capability_exception) → MOODLE_WS_ACCESS_DENIED', async () => {
      h = await startWsHarness();
      h.fake.respondWith('gradereport_user_get_grade_items', {
        exception: 'required_capability_exception',
        errorcode: 'nopermissions',
        message: 'Sorry, but you do not currently have permissions to do that (View all grades).',
      });
      await rejection(h.client.call('gradereport_user_get_grade_items', { courseid: 2 }), 'MOODLE_WS_ACCESS_DENIED', h.fake.token);
    });

    it('teacher course completion → MOODLE_WS_USER_NOT_ENROLLED (usernotenroled)', async () => {
      h = await startWsHarness();
      const err = await rejection(
        h.client.call('core_completion_get_course_completion_status', { courseid: 2, userid: 3 }),
        'MOODLE_WS_USER_NOT_ENROLLED',
        h.fake.token,
      );
      assert.equal(err.details?.['errorcode'], 'usernotenroled');
      assert.equal(err.status, 404);
    });

    it('any other exception → MOODLE_WS_ERROR with exception and errorcode in details, no retry', async () => {
      h = await startWsHarness();
      const err = await rejection(h.client.call('core_course_get_contents', { courseid: 99 }), 'MOODLE_WS_ERROR', h.fake.token);
      assert.equal(err.details?.['errorcode'], 'invalidrecord');
      assert.equal(err.details?.['exception'], 'dml_missing_record_exception');
      assert.equal(h.fake.count('core_course_get_contents'), 1);
    });

    it('a Moodle message echoing the token is scrubbed', async () => {
      h = await startWsHarness();
      h.fake.respondWith('core_course_get_contents', { exception: 'moodle_exception', errorcode: 'x', message: `bad wstoken=${h.fake.token}` });
      const err = await rejection(h.client.call('core_course_get_contents', { courseid: 2 }), 'MOODLE_WS_ERROR', h.fake.token);
      assert.match(String(err.details?.['moodleMessage']), /\[REDACTED\]/);
    });
  });

  describe('transport failures', () => {
    it('no answer within timeoutMs → retried with backoff, then MOODLE_TIMEOUT (504) naming the function', async () => {
      h = await startWsHarness({ client: { timeoutMs: 200 } });
      h.fake.slow(2_000);
      const err = await rejection(h.client.call('core_webservice_get_site_info'), 'MOODLE_TIMEOUT', h.fake.token);
      assert.equal(err.status, 504);
      assert.equal(err.details?.['timeoutMs'], 200);
      assert.equal(err.details?.['wsfunction'], 'core_webservice_get_site_info');
      assert.equal(h.fake.count(), 3);
      assert.equal(h.client.retries, 2);
    });

    it('one timeout, then an answer: the read succeeds on the retry', async () => {
      h = await startWsHarness({ client: { timeoutMs: 300 } });
      h.fake.slow(1_000);
      setTimeout(() => h!.fake.slow(0), 100);
      const info = (await h.client.call('core_webservice_get_site_info')) as { sitename: string };
      assert.equal(info.sitename, 'Badges E2E Moodle');
      assert.equal(h.fake.count(), 2);
    });

    it("timeouts are sized per function: the roster may take longer than one learner's completion", async () => {
      h = await startWsHarness({ client: { timeoutMs: undefined, timeoutsMs: { core_webservice_get_site_info: 250 } } });
      assert.equal(h.client.timeoutFor('core_webservice_get_site_info'), 250);
      assert.equal(h.client.timeoutFor('core_enrol_get_enrolled_users'), 60_000);
      assert.equal(h.client.timeoutFor('core_completion_get_course_completion_status'), 15_000);
    });

    it('503 twice, then success: retried with backoff', async () => {
      h = await startWsHarness();
      h.fake.failNext(2, 503);
      const info = (await h.client.call('core_webservice_get_site_info')) as { sitename: string };
      assert.equal(info.sitename, 'Badges E2E Moodle');
      assert.equal(h.fake.count('core_webservice_get_site_info'), 3);
    });

    it('429 is retried too', async () => {
      h = await startWsHarness();
      h.fake.failNext(1, 429);
      await h.client.call('core_webservice_get_site_info');
      assert.equal(h.fake.count(), 2);
    });

    it('5xx on every attempt → MOODLE_UNREACHABLE (502) after 3 attempts', async () => {
      h = await startWsHarness();
      h.fake.failNext(5, 500);
      const err = await rejection(h.client.call('core_webservice_get_site_info'), 'MOODLE_UNREACHABLE', h.fake.token);
      assert.equal(err.status, 502);
      assert.equal(err.details?.['httpStatus'], 500);
      assert.equal(h.fake.count(), 3);
    });

    it('server down (connections dropped) → MOODLE_UNREACHABLE after retries, then recovers', async () => {
      h = await startWsHarness();
      h.fake.down();
      await rejection(h.client.call('core_webservice_get_site_info'), 'MOODLE_UNREACHABLE', h.fake.token);
      assert.equal(h.fake.count(), 0);
      h.fake.up();
      await h.client.call('core_webservice_get_site_info');
    });

    it('nothing listening → MOODLE_UNREACHABLE', async () => {
      const server: Server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as AddressInfo).port;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      const token = 'tok-unreachable-123456';
      const client = new MoodleWsClient({ siteUrl: `http://127.0.0.1:${port}`, token, maxRetries: 1, retryBaseDelayMs: 1, limiters: new PlatformLimiters() });
      const err = await rejection(client.call('core_webservice_get_site_info'), 'MOODLE_UNREACHABLE', token);
      assert.match(String(err.details?.['reason']), /ECONNREFUSED/);
    });

    it('HTTP 403 (web services or REST disabled) → MOODLE_WS_ACCESS_DENIED, not retried', async () => {
      h = await startWsHarness();
      h.fake.failNext(1, 403);
      const err = await rejection(h.client.call('core_webservice_get_site_info'), 'MOODLE_WS_ACCESS_DENIED', h.fake.token);
      assert.equal(err.details?.['httpStatus'], 403);
      assert.equal(h.fake.count(), 1);
    });

    it('a 200 that is not JSON → MOODLE_BAD_RESPONSE', async () => {
      h = await startWsHarness();
      h.fake.failNext(1, 200);
      const err = await rejection(h.client.call('core_webservice_get_site_info'), 'MOODLE_BAD_RESPONSE', h.fake.token);
      assert.match(String(err.details?.['snippet']), /<html>/);
    });

    it('a redirect is not followed (the body carries the token) → MOODLE_BAD_RESPONSE', async () => {
      const server: Server = createServer((_req, res) => {
        res.writeHead(301, { Location: 'https://elsewhere.example/webservice/rest/server.php' });
        res.end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const token = 'tok-redirect-123456';
        const client = new MoodleWsClient({ siteUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token, limiters: new PlatformLimiters() });
        const err = await rejection(client.call('core_webservice_get_site_info'), 'MOODLE_BAD_RESPONSE', token);
        assert.equal(err.details?.['httpStatus'], 301);
        assert.equal(err.details?.['location'], 'https://elsewhere.example/webservice/rest/server.php');
      } finally {
        server.closeAllConnections();
        server.close();
      }
    });
  });

  describe('concurrency limit per platform', () => {
    it('never more than maxConcurrency requests in flight for one platform, even across clients', async () => {
      h = await startWsHarness({ client: { maxConcurrency: 3 } });
      h.fake.slow(60);
      const other = h.newClient(); // same platformId → same semaphore
      const all = Array.from({ length: 12 }, (_, i) => (i % 2 ? h!.client : other).call('core_webservice_get_site_info'));
      await Promise.all(all);
      assert.equal(h.fake.count(), 12);
      assert.equal(h.fake.maxInFlight, 3);
    });

    it('another platform has its own limit', async () => {
      h = await startWsHarness({ client: { maxConcurrency: 2 } });
      h.fake.slow(60);
      const otherPlatform = h.newClient({ platformId: 'moodle-other' });
      await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? h!.client : otherPlatform).call('core_webservice_get_site_info')));
      assert.equal(h.fake.maxInFlight, 4);
    });

    it('the slot is released on failures too', async () => {
      h = await startWsHarness({ client: { maxConcurrency: 1, maxRetries: 0 } });
      h.fake.failNext(3, 500);
      for (let i = 0; i < 3; i++) await rejection(h.client.call('core_webservice_get_site_info'), 'MOODLE_UNREACHABLE');
      await h.client.call('core_webservice_get_site_info');
      assert.equal(h.client.inFlight, 0);
    });
  });

  it('no error of this suite carries the token (spot check over all shapes)', async () => {
    h = await startWsHarness({ client: { timeoutMs: 150, maxRetries: 0 } });
    const errors: unknown[] = [];
    const grab = (p: Promise<unknown>) =>
      p.then(
        () => assert.fail('expected failure'),
        (e: unknown) => errors.push(e),
      );
    await grab(h.client.call('core_completion_mark_course_self_completed'));
    await grab(h.client.call('core_completion_get_course_completion_status', { courseid: 2, userid: 3 }));
    await grab(h.client.call('core_course_get_contents', { courseid: 42 }));
    h.fake.failNext(1, 502);
    await grab(h.client.call('core_webservice_get_site_info'));
    h.fake.slow(1_000);
    await grab(h.client.call('core_webservice_get_site_info'));
    assert.equal(errors.length, 5);
    for (const err of errors) assertNoToken(err, h.fake.token);
  });
});
