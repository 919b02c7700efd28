import assert from 'node:assert/strict';
import { NRPS_MEMBERSHIP_CONTAINER_TYPE, NRPS_SCOPE_MEMBERSHIP_READONLY } from '../../../src/lms/platform-services/index.js';
import { SCOPES } from '../../support/fake-lti-services.js';
// source: /work/shared/moodle-fixtures/ags-nrps-service-exchanges.json ("NRPS: GET memberships …")
import nrpsFixture from './fixtures/moodle-nrps.json';
import { assertNoSecrets, rejection, startHarness, type Harness } from './helpers.js';

const LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';

describe('platform-services/nrps', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.fake.close();
    h = undefined;
  });
  const memberRequests = () => h!.fake.requests.filter((r) => r.url.includes('/memberships'));

  it('getMembers returns every member with the NRPS Accept header, Bearer token and NRPS scope', async () => {
    h = await startHarness();
    const members = await h.services.nrps.getMembers(h.fake.membershipsUrl);
    assert.deepEqual(members, nrpsFixture.members.response.body.members);

    const [req] = memberRequests();
    assert.equal(req?.headers.accept, NRPS_MEMBERSHIP_CONTAINER_TYPE);
    assert.equal(req?.headers.authorization, `Bearer ${h.fake.issuedTokens[0]}`);
    const tokenReq = h.fake.requests.find((r) => r.url === '/mod/lti/token.php');
    assert.equal(new URLSearchParams(tokenReq?.body).get('scope'), NRPS_SCOPE_MEMBERSHIP_READONLY);
  });

  it('filters by role (query sent as given, encoded)', async () => {
    h = await startHarness();
    const members = await h.services.nrps.getMembers(h.fake.membershipsUrl, { role: LEARNER });
    assert.deepEqual(members, nrpsFixture.learners.response.body.members);
    // same query string as the captured Moodle request
    assert.equal(new URL(memberRequests()[0]!.url, 'http://x').search, new URL(nrpsFixture.learners.request.url).search);
  });

  it('follows rel="next" pages until done (limit 2 → 2 pages, 4 members)', async () => {
    h = await startHarness();
    const members = await h.services.nrps.getMembers(h.fake.membershipsUrl, { limit: 2 });
    assert.deepEqual(
      members.map((m) => m.user_id),
      ['4', '5', '6', '3'],
    );
    assert.deepEqual(
      memberRequests().map((r) => r.url.split('?')[1]),
      ['limit=2', 'limit=2&from=2'],
    );
  });

  it('paging with a role filter (limit 1 → 3 pages of learners)', async () => {
    h = await startHarness();
    const members = await h.services.nrps.getMembers(h.fake.membershipsUrl, { role: LEARNER, limit: 1 });
    assert.deepEqual(
      members.map((m) => m.user_id),
      ['4', '5', '6'],
    );
    assert.equal(memberRequests().length, 3);
  });

  it('refuses a next link to another origin (it would receive the bearer token)', async () => {
    h = await startHarness();
    h.fake.queue(/memberships$/, {
      status: 200,
      body: JSON.stringify({ members: [] }),
      headers: { 'Content-Type': NRPS_MEMBERSHIP_CONTAINER_TYPE, Link: '<https://evil.example/members?from=2>; rel="next"' },
    });
    const err = await rejection(h.services.nrps.getMembers(h.fake.membershipsUrl), 'PLATFORM_BAD_RESPONSE');
    assert.match(err.message, /another origin/);
  });

  it('stops when a next link points back to a page already read', async () => {
    h = await startHarness();
    h.fake.queue(/memberships$/, {
      status: 200,
      body: JSON.stringify({ members: nrpsFixture.members.response.body.members.slice(0, 1) }),
      headers: { 'Content-Type': NRPS_MEMBERSHIP_CONTAINER_TYPE, Link: `<${h.fake.membershipsUrl}>; rel="next"` },
    });
    assert.equal((await h.services.nrps.getMembers(h.fake.membershipsUrl)).length, 1);
    assert.equal(memberRequests().length, 1);
  });

  it('a body without members → PLATFORM_BAD_RESPONSE', async () => {
    h = await startHarness();
    h.fake.queue(/memberships$/, { status: 200, body: '{"id":"x"}', headers: { 'Content-Type': NRPS_MEMBERSHIP_CONTAINER_TYPE } });
    await rejection(h.services.nrps.getMembers(h.fake.membershipsUrl), 'PLATFORM_BAD_RESPONSE');
  });

  it('a cached token the platform no longer knows (401) is replaced once and the call succeeds', async () => {
    h = await startHarness();
    await h.services.nrps.getMembers(h.fake.membershipsUrl);
    h.fake.revokeTokens();
    assert.equal((await h.services.nrps.getMembers(h.fake.membershipsUrl)).length, 4);
    assert.equal(h.fake.issuedTokens.length, 2);
  });

  it('a persistent 401 surfaces as PLATFORM_HTTP_ERROR 401 without the token', async () => {
    h = await startHarness();
    await h.services.getAccessToken([SCOPES.nrps]);
    const unauthorized = { status: 401, body: '{"status":401,"reason":"Unauthorized"}', headers: { 'Content-Type': 'application/json' } };
    h.fake.queue(/memberships$/, unauthorized, unauthorized);
    const err = await rejection(h.services.nrps.getMembers(h.fake.membershipsUrl), 'PLATFORM_HTTP_ERROR');
    assert.equal(err.details?.['status'], 401);
    assert.equal(err.details?.['reason'], 'Unauthorized');
    assert.equal(memberRequests().length, 2); // cached token, then one fresh token
    assertNoSecrets(err, h.fake.issuedTokens);
  });

  it('a registration without the NRPS service → PLATFORM_TOKEN_REJECTED invalid_scope', async () => {
    h = await startHarness({ fake: { permittedScopes: [SCOPES.lineitemReadonly] } });
    const err = await rejection(h.services.nrps.getMembers(h.fake.membershipsUrl), 'PLATFORM_TOKEN_REJECTED');
    assert.equal(err.details?.['error'], 'invalid_scope');
  });

  it('rejects a non-http URL and a bad limit before any request', async () => {
    h = await startHarness();
    await rejection(h.services.nrps.getMembers('javascript:alert(1)'), 'PLATFORM_INVALID_ARGUMENT');
    await rejection(h.services.nrps.getMembers(h.fake.membershipsUrl, { limit: 0 }), 'PLATFORM_INVALID_ARGUMENT');
    assert.equal(h.fake.requests.length, 0);
  });
});
