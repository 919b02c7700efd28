import assert from 'node:assert/strict';
import type { IssueRequest, IssueState } from '../../src/issuance/context';
import { issueCredential, type IssuanceDeps } from '../../src/issuance/pipeline';
import { buildCredential } from '../../src/issuance/steps/build-credential';
import { checkNotIssued } from '../../src/issuance/steps/check-not-issued';
import { loadDecision } from '../../src/issuance/steps/load-decision';
import { signCredential } from '../../src/issuance/steps/sign-credential';
import { storeCredential } from '../../src/issuance/steps/store-credential';
import { validateCredential } from '../../src/issuance/steps/validate-credential';
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
  /** Another process: its own copy of the dependencies, so it shares no in-flight requests with this one. */
  const otherProcess = (): IssuanceDeps => ({ ...ctx.tool.issuance.deps });

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

  it('concurrent requests in one process share one run: one credential, one status slot, one signature', async () => {
    await earn('32');
    const slotsBefore = await count('status_list_slots');
    const results = await Promise.all(Array.from({ length: 10 }, () => issueCredential(ctx.tool.issuance.deps, requestFor('32'))));
    assert.equal(new Set(results.map((r) => r.id)).size, 1);
    assert.equal(await count('status_list_slots'), slotsBefore + 1);
    assert.equal(await count('credentials', { userId: '32' }), 1);
  });

  it('two processes issuing at once store one credential; both answer with it', async () => {
    await earn('33');
    const [a, b] = await Promise.all([issueCredential(ctx.tool.issuance.deps, requestFor('33')), issueCredential(otherProcess(), requestFor('33'))]);
    assert.equal(a.id, b.id);
    assert.equal(await count('credentials', { userId: '33' }), 1);
    assert.equal(await count('status_list_slots', { credentialId: a.id }), 1);
  });

  it('asking again later reads the stored credential without building anything', async () => {
    const slotsBefore = await count('status_list_slots');
    const again = await issueCredential(otherProcess(), requestFor('31'));
    assert.equal(await count('credentials', { userId: '31' }), 1);
    assert.equal(again.state, 'issued');
    assert.equal(await count('status_list_slots'), slotsBefore);
  });
});
