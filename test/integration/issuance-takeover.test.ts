import assert from 'node:assert/strict';
import type { IssueRequest, IssueState } from '../../src/issuance/context';
import { issueCredential } from '../../src/issuance/pipeline';
import { buildCredential } from '../../src/issuance/steps/build-credential';
import { claimAward } from '../../src/issuance/steps/claim-award';
import { loadDecision } from '../../src/issuance/steps/load-decision';
import { seedEarnedBadge } from '../support/award';
import { useRegisteredTool } from '../support/registered-tool';

/** An issuing that stopped half-way (a crashed process) is taken over later and keeps what it had reserved. */
describe('issuance: a stalled claim is taken over', () => {
  let clock = Date.parse('2026-11-28T10:00:00Z');
  const ctx = useRegisteredTool({ now: () => clock });
  let request: IssueRequest;

  before(async () => {
    const { platform, badge } = await seedEarnedBadge(ctx.tool);
    request = {
      platformId: platform.id,
      platformIssuer: ctx.sim.issuer,
      deploymentId: ctx.sim.deploymentId,
      courseId: '2',
      courseTitle: 'Open Badges Demo Course',
      userId: '4',
      badgeId: badge.id,
      learner: { name: 'Sam Student', email: 'student1@example.com', showName: false },
    };
  });

  const slotsOf = (credentialId: string) => ctx.tool.db.connection.collection('status_list_slots').find({ credentialId }).toArray();

  it('the first claim holds a status slot but never stores; the take-over reuses that slot and issues once', async () => {
    const deps = ctx.tool.issuance.deps;
    let stalled: IssueState = { request };
    stalled = await loadDecision(deps, stalled);
    stalled = await claimAward(deps, stalled);
    assert.equal(stalled.fresh, true);
    stalled = await buildCredential(deps, stalled);
    const held = stalled.record!.statusSlot!;
    assert.equal((await slotsOf(stalled.record!.id)).length, 1);

    // within the stale time another request waits for the owner instead of issuing
    await assert.rejects(issueCredential({ ...deps, waitMs: 50 }, request), { code: 'ISSUANCE_IN_PROGRESS' });

    clock += 61_000; // past the claim's stale time: the owner is presumed dead
    const issued = await issueCredential(deps, request);
    assert.equal(issued.id, stalled.record!.id, 'the same credential record');
    assert.deepEqual(issued.statusSlot, { listId: held.listId, index: held.index });
    assert.equal((await slotsOf(issued.id)).length, 1, 'no second slot for the same credential');
    const status = (issued.json as { credentialStatus: { statusListIndex: string } }).credentialStatus;
    assert.equal(status.statusListIndex, String(held.index));

    const stored = await ctx.tool.issuance.credentials.findById(issued.id);
    assert.equal(stored?.state, 'issued');
    assert.deepEqual(stored?.statusSlot, { listId: held.listId, index: held.index });
    const verified = await ctx.tool.issuance.verify(JSON.stringify(stored!.json));
    assert.equal(verified.verified, true, JSON.stringify(verified));
  });
});
