import assert from 'node:assert/strict';
import { connect } from 'node:net';
import {
  AGS_MEDIA_TYPES,
  AGS_SCOPE_LINEITEM,
  AGS_SCOPE_LINEITEM_READONLY,
  AGS_SCOPE_RESULT_READONLY,
  AGS_SCOPE_SCORE,
  type ScoreInput,
} from '../../../src/lms/platform-services/index.js';
// source: /work/shared/moodle-fixtures/ags-nrps-service-exchanges.json ("AGS: …" exchanges)
import agsFixture from './fixtures/moodle-ags.json';
import { rejection, startHarness, type Harness } from './helpers.js';

/** Fixture values use the captured issuer; the fake serves them from its own port. */
const local = <T>(value: T, h: Harness): T => JSON.parse(JSON.stringify(value).split(agsFixture.issuer).join(h.fake.baseUrl)) as T;

describe('platform-services/ags', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.fake.close();
    h = undefined;
  });
  const serviceRequests = (re: RegExp) => h!.fake.requests.filter((r) => re.test(r.url));
  const scopeOfTokenRequest = (i: number) => new URLSearchParams(h!.fake.requests.filter((r) => r.url === '/mod/lti/token.php')[i]?.body).get('scope');

  describe('listLineItems', () => {
    it('returns the container with the lineitemcontainer Accept header and the lineitem.readonly scope', async () => {
      h = await startHarness();
      const items = await h.services.ags.listLineItems(h.fake.lineItemsUrl);
      assert.deepEqual(items, local(agsFixture.listLineItems.response.body, h));
      const [req] = serviceRequests(/\/lineitems\?/);
      assert.equal(req?.headers.accept, AGS_MEDIA_TYPES.lineItemContainer);
      assert.equal(scopeOfTokenRequest(0), AGS_SCOPE_LINEITEM_READONLY);
    });

    it("the fake sends Moodle's malformed Link header as raw UTF-8 bytes (E2 80 9C … E2 80 9D) with &amp;", async () => {
      h = await startHarness();
      const token = await h.services.getAccessToken([AGS_SCOPE_LINEITEM_READONLY]);
      const raw = await new Promise<Buffer>((resolve, reject) => {
        const chunks: Buffer[] = [];
        const socket = connect(Number(new URL(h!.fake.baseUrl).port), '127.0.0.1', () => {
          socket.write(
            `GET /mod/lti/services.php/2/lineitems?type_id=1&limit=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`,
          );
        });
        socket.on('data', (c: Buffer) => chunks.push(c));
        socket.on('end', () => resolve(Buffer.concat(chunks)));
        socket.on('error', reject);
      });
      const head = raw.subarray(0, raw.indexOf('\r\n\r\n'));
      const link =
        head
          .toString('latin1')
          .split('\r\n')
          .find((l) => /^link:/i.test(l)) ?? '';
      assert.ok(head.includes(Buffer.from('rel=\u201cnext\u201d', 'utf8')), link);
      assert.match(link, /lineitems\?type_id=1&amp;limit=1&amp;from=1>/);
    });

    it('follows the repaired Link pages: limit 1 over 3 line items → 3 requests, all items, & not &amp;', async () => {
      h = await startHarness();
      h.fake.addLineItem({ label: 'Badge: Extra', scoreMaximum: 5, resourceId: 'extra', tag: 'badge' });
      const items = await h.services.ags.listLineItems(h.fake.lineItemsUrl, { limit: 1 });
      assert.deepEqual(
        items.map((i) => i.label),
        ['Badge tool', 'Badge: Course Finisher (renamed)', 'Badge: Extra'],
      );
      assert.deepEqual(
        serviceRequests(/\/lineitems\?/).map((r) => r.url.split('?')[1]),
        ['type_id=1&limit=1', 'type_id=1&limit=1&from=1', 'type_id=1&limit=1&from=2'],
      );
    });

    it('sends tag / resource_link_id / resource_id filters next to type_id', async () => {
      h = await startHarness();
      const tagged = await h.services.ags.listLineItems(h.fake.lineItemsUrl, { tag: 'badge' });
      assert.deepEqual(
        tagged.map((i) => i.resourceId),
        ['badge-course-finisher'],
      );
      const linked = await h.services.ags.listLineItems(h.fake.lineItemsUrl, { resourceLinkId: '1' });
      assert.deepEqual(
        linked.map((i) => i.resourceLinkId),
        ['1'],
      );
      await h.services.ags.listLineItems(h.fake.lineItemsUrl, { resourceId: 'x' });
      assert.deepEqual(
        serviceRequests(/\/lineitems\?/).map((r) => r.url.split('?')[1]),
        ['type_id=1&tag=badge', 'type_id=1&resource_link_id=1', 'type_id=1&resource_id=x'],
      );
    });

    it('a container that is not an array → PLATFORM_BAD_RESPONSE', async () => {
      h = await startHarness();
      h.fake.queue(/lineitems$/, { status: 200, body: '{"lineItems":[]}', headers: { 'Content-Type': AGS_MEDIA_TYPES.lineItemContainer } });
      await rejection(h.services.ags.listLineItems(h.fake.lineItemsUrl), 'PLATFORM_BAD_RESPONSE');
    });
  });

  it('getLineItem returns one line item', async () => {
    h = await startHarness();
    const item = await h.services.ags.getLineItem(h.fake.lineItemUrl(4));
    assert.deepEqual(item, local(agsFixture.getLineItem.response.body, h));
    assert.equal(serviceRequests(/\/lineitem\?/)[0]?.headers.accept, AGS_MEDIA_TYPES.lineItem);
  });

  describe('getResults', () => {
    it('inserts /results before the query (…/lineitem/results?type_id=1), never sends limit', async () => {
      h = await startHarness();
      const results = await h.services.ags.getResults(h.fake.lineItemUrl(4));
      assert.deepEqual(results, local(agsFixture.results.response.body, h));
      const [req] = serviceRequests(/\/results/);
      assert.equal(req?.url, new URL(agsFixture.results.request.url).pathname + new URL(agsFixture.results.request.url).search);
      assert.equal(req?.headers.accept, AGS_MEDIA_TYPES.resultContainer);
      assert.equal(scopeOfTokenRequest(0), AGS_SCOPE_RESULT_READONLY);
    });

    it('filters by user_id', async () => {
      h = await startHarness();
      const results = await h.services.ags.getResults(h.fake.lineItemUrl(4), { userId: '4' });
      assert.deepEqual(results, local(agsFixture.resultsForUser.response.body, h));
      assert.equal(serviceRequests(/\/results/)[0]?.url.split('?')[1], 'type_id=1&user_id=4');
    });

    it('the fake, like Moodle, answers an HTML 404 to results?limit=…', async () => {
      h = await startHarness();
      const token = await h.services.getAccessToken([AGS_SCOPE_RESULT_READONLY]);
      const res = await fetch(`${h.fake.baseUrl}/mod/lti/services.php/2/lineitems/4/lineitem/results?type_id=1&limit=10`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      assert.equal(res.status, 404);
      assert.match(String(res.headers.get('content-type')), /^text\/html/);
    });

    it('drops a limit that came with the line item URL (it would make Moodle answer 404)', async () => {
      h = await startHarness();
      const url = `${h.fake.lineItemUrl(4)}&limit=5&from=0`;
      assert.equal((await h.services.ags.getResults(url)).length, 1);
      assert.doesNotMatch(serviceRequests(/\/results/)[0]!.url, /limit|from/);
    });

    it('works with a line item URL without a query string, and with a trailing slash', async () => {
      h = await startHarness();
      const bare = `${h.fake.baseUrl}/mod/lti/services.php/2/lineitems/4/lineitem/`;
      assert.equal((await h.services.ags.getResults(bare)).length, 1);
      assert.equal(serviceRequests(/\/results/)[0]?.url, '/mod/lti/services.php/2/lineitems/4/lineitem/results');
    });
  });

  describe('createLineItem', () => {
    it('POSTs a lineitem+json body with the lineitem scope and returns the created item (201)', async () => {
      h = await startHarness();
      const input = agsFixture.createLineItem.request.body;
      const created = await h.services.ags.createLineItem(h.fake.lineItemsUrl, input);
      assert.deepEqual(created, { ...input, id: h.fake.lineItemUrl(6) });
      const [req] = serviceRequests(/\/lineitems\?/).filter((r) => r.method === 'POST');
      assert.equal(req?.headers['content-type'], AGS_MEDIA_TYPES.lineItem);
      assert.equal(req?.headers.accept, AGS_MEDIA_TYPES.lineItem);
      assert.deepEqual(JSON.parse(req!.body), input);
      assert.equal(scopeOfTokenRequest(0), AGS_SCOPE_LINEITEM);
      assert.equal((await h.services.ags.listLineItems(h.fake.lineItemsUrl)).length, 3);
    });

    it('validates label and scoreMaximum before sending', async () => {
      h = await startHarness();
      await rejection(h.services.ags.createLineItem(h.fake.lineItemsUrl, { label: '', scoreMaximum: 10 }), 'PLATFORM_INVALID_ARGUMENT');
      await rejection(h.services.ags.createLineItem(h.fake.lineItemsUrl, { label: 'x', scoreMaximum: 0 }), 'PLATFORM_INVALID_ARGUMENT');
      assert.equal(h.fake.requests.length, 0);
    });
  });

  describe('postScore', () => {
    it("treats Moodle's 200 + EMPTY body (score+json) as success; the score is rescaled by Moodle", async () => {
      h = await startHarness();
      const score = agsFixture.postScore.request.body as ScoreInput;
      assert.equal(await h.services.ags.postScore(h.fake.lineItemUrl(5), score), undefined);

      const [req] = serviceRequests(/\/scores/);
      assert.equal(req?.url, '/mod/lti/services.php/2/lineitems/5/lineitem/scores?type_id=1');
      assert.equal(req?.headers['content-type'], AGS_MEDIA_TYPES.score);
      assert.deepEqual(JSON.parse(req!.body), agsFixture.postScore.request.body);
      assert.equal(scopeOfTokenRequest(0), AGS_SCOPE_SCORE);

      const [result] = await h.services.ags.getResults(h.fake.lineItemUrl(5), { userId: '4' });
      assert.equal(result?.resultScore, 8); // 8/10 on a max-10 item
      await h.services.ags.postScore(h.fake.lineItemUrl(4), score);
      const [rescaled] = await h.services.ags.getResults(h.fake.lineItemUrl(4), { userId: '4' });
      assert.equal(rescaled?.resultScore, 80); // 8/10 on the max-100 item reads 80 (as captured)
    });

    it('fills timestamp from the injected clock when omitted', async () => {
      h = await startHarness({ toolOffsetMs: 1_234 });
      await h.services.ags.postScore(h.fake.lineItemUrl(4), { userId: '5', activityProgress: 'InProgress', gradingProgress: 'Pending' });
      const sent = JSON.parse(serviceRequests(/\/scores/)[0]!.body) as Record<string, unknown>;
      assert.equal(sent['timestamp'], new Date(h.clocks.tool()).toISOString());
    });

    it('validates the score before sending (scoreGiven needs scoreMaximum)', async () => {
      h = await startHarness();
      const bad = { userId: '4', scoreGiven: 3, activityProgress: 'Completed', gradingProgress: 'FullyGraded' } as const;
      await rejection(h.services.ags.postScore(h.fake.lineItemUrl(4), bad), 'PLATFORM_INVALID_ARGUMENT');
      assert.equal(h.fake.requests.length, 0);
    });
  });
});
