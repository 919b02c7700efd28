import assert from 'node:assert/strict';
import type { IssueRequest, IssueState } from '../../src/issuance/context';
import { issueCredential, type IssuanceDeps } from '../../src/issuance/pipeline';
import { buildCredential } from '../../src/issuance/steps/build-credential';
import { checkNotIssued } from '../../src/issuance/steps/check-not-issued';
import { loadDecision } from '../../src/issuance/steps/load-decision';
import { signCredential } from '../../src/issuance/steps/sign-credential';
import { storeCredential } from '../../src/issuance/steps/store-credential';
import { validateCredential } from '../../src/issuance/steps/validate-credential';
import { StatusListRepository } from '../../src/store/status-lists';
import { recordEarnedDecision, seedEarnedBadge } from '../support/award';
import { useRegisteredTool } from '../support/registered-tool';

/** Two requests for one award that both get past "not issued yet": one credential is stored, the other given up. */
describe('issuance: racing requests for one award', () => {
  const ctx = useRegisteredTool();
  let award: { platformId: string; badgeId: string; badgeVersion: number };
  const requestFor = (userId: string): IssueRequest => ({
    platformId: award.platformId,
    platformIssuer: ctx.sim.issuer,
    deploymentId: ctx.sim.deploymentId,
    courseId: '2',
    courseTitle: 'Open Badges Demo Course',
    userId,
    badgeId: award.badgeId,
    learner: { name: `Learner ${userId}`, email: `learner${userId}@example.com`, showName: false },
  });
  const earn = (userId: string) =>
    recordEarnedDecision(ctx.tool, { ...award, courseId: '2', userId, learner: { name: `Learner ${userId}`, email: `learner${userId}@example.com` } });
  const count = (collection: string, filter: Record<string, unknown> = {}) => ctx.tool.db.connection.collection(collection).countDocuments(filter);
  /** Another process: its own dependencies object (no shared in-flight requests) and its own status list memory. */
  const otherProcess = (): IssuanceDeps => ({ ...ctx.tool.issuance.deps, slots: new StatusListRepository(ctx.tool.db.connection) });
  /** The tool's dependencies with slot allocations counted: one allocation per credential built. */
  function countingAllocations(deps: IssuanceDeps) {
    const counted = { calls: 0 };
    const slots = Object.create(deps.slots) as StatusListRepository;
    slots.allocate = (...args) => {
      counted.calls++;
      return deps.slots.allocate(...args);
    };
    return { deps: { ...deps, slots }, counted };
  }

  before(async () => {
    const { platform, badge, version } = await seedEarnedBadge(ctx.tool, '4');
    award = { platformId: platform.id, badgeId: badge.id, badgeVersion: version.version };
  });

  it('the request that stores second gets the first one’s credential and gives its status slot back', async () => {
    await earn('31');
    const request = requestFor('31');
    const other = otherProcess();
    // the other process gets as far as signing while nothing is stored yet
    let late: IssueState = { request };
    late = await loadDecision(other, late);
    late = await checkNotIssued(other, late);
    assert.equal(late.record, undefined);
    late = await signCredential(other, validateCredential(await buildCredential(other, late)));
    const slotsBefore = await count('status_list_slots');

    const first = await issueCredential(ctx.tool.issuance.deps, request);
    assert.notEqual(first.id, late.credentialId);
    late = await storeCredential(other, late);

    assert.equal(late.record!.id, first.id, 'the late request answers with the stored credential');
    assert.equal(await count('credentials', { userId: '31' }), 1);
    assert.equal(await count('status_list_slots', { credentialId: late.credentialId }), 0, 'the unused slot was given back');
    // counted while the late request held its slot: the first request added one, the late one gave its own back
    assert.equal(await count('status_list_slots'), slotsBefore);
    const verified = await ctx.tool.issuance.verify(JSON.stringify(first.json));
    assert.equal(verified.verified, true, JSON.stringify(verified.checks));
  });

  it('concurrent requests in one process share one run: one credential built, one status slot', async () => {
    await earn('32');
    const { deps, counted } = countingAllocations(ctx.tool.issuance.deps);
    const slotsBefore = await count('status_list_slots');
    const results = await Promise.all(Array.from({ length: 10 }, () => issueCredential(deps, requestFor('32'))));
    assert.equal(new Set(results.map((r) => r.id)).size, 1);
    assert.equal(counted.calls, 1, 'one run built (and signed) the credential; the other nine joined it');
    assert.equal(await count('status_list_slots'), slotsBefore + 1);
    assert.equal(await count('credentials', { userId: '32' }), 1);
  });

  it('two processes issuing at once store one credential; both answer with it; one slot stays', async () => {
    await earn('33');
    const slotsBefore = await count('status_list_slots');
    const [a, b] = await Promise.all([issueCredential(ctx.tool.issuance.deps, requestFor('33')), issueCredential(otherProcess(), requestFor('33'))]);
    assert.equal(a.id, b.id);
    assert.equal(await count('credentials', { userId: '33' }), 1);
    assert.equal(await count('status_list_slots', { credentialId: a.id }), 1);
    assert.equal(await count('status_list_slots'), slotsBefore + 1, 'a request that lost the race gave its slot back');
  });

  it('a failure after the slot was taken gives the slot back; the retry issues', async () => {
    await earn('34');
    const slotsBefore = await count('status_list_slots');
    const failing: IssuanceDeps = {
      ...ctx.tool.issuance.deps,
      keys: Object.assign(Object.create(ctx.tool.issuance.deps.keys), {
        ensureIssuerKeys: async () => {
          throw new Error('key store unavailable');
        },
      }),
    };
    await assert.rejects(issueCredential(failing, requestFor('34')), /key store unavailable/);
    assert.equal(await count('status_list_slots'), slotsBefore);
    assert.equal(await count('credentials', { userId: '34' }), 0);
    const issued = await issueCredential(ctx.tool.issuance.deps, requestFor('34'));
    assert.equal(await count('status_list_slots'), slotsBefore + 1);
    assert.equal(issued.state, 'issued');
  });

  it('a credential stored by the earlier layout (ObjectId _id) is still the one answered; nothing is issued twice', async () => {
    await earn('35');
    const legacy = await issueCredential(otherProcess(), requestFor('35'));
    const col = ctx.tool.db.connection.collection('credentials');
    await col.deleteOne({ idempotencyKey: legacy.idempotencyKey });
    await col.insertOne({ ...legacy, claimToken: 'old', claimedAt: new Date() }); // a driver-made ObjectId _id
    const slotsBefore = await count('status_list_slots');
    const again = await issueCredential(otherProcess(), requestFor('35'));
    assert.equal(again.id, legacy.id);
    assert.equal(await count('credentials', { userId: '35' }), 1);
    assert.equal(await count('status_list_slots'), slotsBefore, 'the slot taken for the repeat was given back');
  });

  it('a half-made record of the earlier layout (state issuing, never shown) gives way to a real credential', async () => {
    await earn('36');
    const col = ctx.tool.db.connection.collection('credentials');
    const key = `${encodeURIComponent(award.platformId)}|36|${award.badgeId}|${award.badgeVersion}`;
    await col.insertOne({
      id: '00000000-0000-4000-8000-000000000036',
      idempotencyKey: key,
      state: 'issuing',
      platformId: award.platformId,
      userId: '36',
      claimToken: 'crashed',
    });
    const issued = await issueCredential(ctx.tool.issuance.deps, requestFor('36'));
    assert.equal(issued.state, 'issued');
    assert.equal(issued.idempotencyKey, key);
    const stored = await col.find({ userId: '36' }).toArray();
    assert.deepEqual(
      stored.map((d) => d.state),
      ['issued'],
    );
  });

  it('asking again later reads the stored credential without building anything', async () => {
    const slotsBefore = await count('status_list_slots');
    const again = await issueCredential(otherProcess(), requestFor('31'));
    assert.equal(await count('credentials', { userId: '31' }), 1);
    assert.equal(again.state, 'issued');
    assert.equal(await count('status_list_slots'), slotsBefore);
  });
});
