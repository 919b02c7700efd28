import assert from 'node:assert/strict';
import request from 'supertest';
import { INSTITUTION } from '../../support/award';
import { startFakeMoodleWs, type FakeMoodleWs } from '../../support/fake-moodle-ws';
import { startInstance, type Instance } from '../../support/instances';
import { launchAs } from '../../support/launch';
import { useRegisteredTool } from '../../support/registered-tool';
import { connectFakeMoodle, COURSE_ID, createBadge, ESSAY_PASSED_AND_FINAL_PROJECT } from '../../support/sync-helpers';

/**
 * Two instances of the tool (two processes) on one database: syncs and "issue all earned" on both at once, then
 * one of them killed with SIGKILL in the middle of a bulk issuance and started again.
 */
describe('issuance: two instances on one database', function () {
  this.timeout(120_000);
  const ctx = useRegisteredTool();
  let fake: FakeMoodleWs;
  let platformId: string;
  let teacher: string;
  const instances: Instance[] = [];
  const col = (name: string) => ctx.tool.db.connection.collection(name);
  const env = { ISSUANCE_BATCH_SIZE: '4', ISSUANCE_JOB_STALE_SECONDS: '2', SIGNING_THREADS: '1' };
  const start = async () => {
    const i = await startInstance(ctx.tool, env);
    instances.push(i);
    return i;
  };
  const post = (i: Instance, path: string) => request(i.url).post(path).type('form').send({ s: teacher }).expect(303);

  async function waitFor(what: string, check: () => Promise<boolean>, ms = 60_000) {
    const until = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const earnedCount = () => col('decisions').countDocuments({ platformId, courseId: COURSE_ID, earned: true });
  const syncDone = async () => (await col('sync_runs').countDocuments({ status: 'running' })) === 0 && (await col('leases').countDocuments()) === 0;
  /** No job left, and no live instance still in a run (a second runner of a finished job may be finishing a batch). */
  const issuingDone = async () => {
    if ((await col('issuance_jobs').countDocuments()) !== 0) return false;
    const live = instances.filter((i) => i.child.exitCode === null && i.child.signalCode === null);
    return (await Promise.all(live.map((i) => i.activeJobs()))).every((n) => n === 0);
  };

  /** Exactly one whole credential per earned award; every status index used once; places left by a crash are never a credential's. */
  async function assertOneWholeCredentialPerAward(maxOrphanPlaces: number) {
    const earned = await earnedCount();
    const creds = await col('credentials').find({ platformId, courseId: COURSE_ID }).toArray();
    assert.equal(creds.length, earned, 'one credential per earned award');
    assert.equal(new Set(creds.map((c) => `${c.userId}/${c.badgeId}/${c.badgeVersion}`)).size, earned, 'no award twice');
    for (const c of creds) assert.ok(c.state === 'issued' && c.json?.proof && typeof c.jwt === 'string' && c.statusSlot, `credential of ${c.userId} is whole`);
    const places = creds.map((c) => `${c.statusSlot.listId}#${c.statusSlot.index}`);
    assert.equal(new Set(places).size, places.length, 'a status index is used twice');
    const slots = await col('status_list_slots').find({ issuerId: platformId }).toArray();
    const byCredential = new Map(slots.map((s) => [s.credentialId as string, `${s.listId}#${s.index}`]));
    for (const c of creds) assert.equal(byCredential.get(c.id), `${c.statusSlot.listId}#${c.statusSlot.index}`, 'the credential holds its own place');
    const orphans = slots.length - creds.length;
    assert.ok(orphans >= 0 && orphans <= maxOrphanPlaces, `${orphans} places without a credential`);
    for (const c of [creds[0]!, creds[creds.length - 1]!]) {
      const v = await ctx.tool.issuance.verify(c.json);
      assert.equal(v.verified, true, JSON.stringify(v.checks));
    }
  }

  before(async () => {
    fake = await startFakeMoodleWs();
    fake.addLearners(24, { kinds: ['completed'] });
    platformId = await connectFakeMoodle(ctx.tool, fake);
    await ctx.tool.issuance.deps.institutions.save(platformId, INSTITUTION, 'test');
    await createBadge(ctx.tool, platformId, ESSAY_PASSED_AND_FINAL_PROJECT, 'Essay passed and Final Project completed');
    teacher = (await launchAs(ctx.tool, ctx.sim, 'teacher')).token;
    await Promise.all([start(), start()]);
  });
  after(async () => {
    await Promise.all(instances.map((i) => i.kill9()));
    await fake?.close();
  });

  it('a sync and "issue all earned" on both instances at once: one credential per award, no status index twice', async () => {
    const [a, b] = instances;
    await Promise.all([
      post(a!, '/app/teacher/sync'),
      post(b!, '/app/teacher/sync'),
      post(a!, '/app/teacher/issue-earned'),
      post(b!, '/app/teacher/issue-earned'),
    ]);
    await waitFor('the sync', syncDone);
    assert.ok((await earnedCount()) >= 25, 'the sync decided the course');
    // awards earned while the first runs were going: asked again on both, at once
    await Promise.all([post(a!, '/app/teacher/issue-earned'), post(b!, '/app/teacher/issue-earned')]);
    await waitFor('the bulk issuance', issuingDone);
    await assertOneWholeCredentialPerAward(0);
    // (which instance stores which award is a matter of timing; that both were asked is in the audit log)
    assert.equal(await col('audit_log').countDocuments({ action: 'credentials.issue-earned' }), 4);
  });

  it('an instance killed with SIGKILL in the middle of a bulk issuance: restarted, the job completes with nothing lost or doubled', async () => {
    const [a, b] = instances;
    // term end: more learners complete; the sync runs on b
    fake.addLearners(24, { kinds: ['completed'] });
    await post(b!, '/app/teacher/sync');
    await waitFor('the sync', syncDone);
    const before = await col('credentials').countDocuments({ platformId });
    const target = await earnedCount();
    assert.ok(target - before >= 20);
    b!.child.kill('SIGSTOP'); // b stays out of it until a has been killed (it is a second instance that would take the job over)
    try {
      await post(a!, '/app/teacher/issue-earned');
      await a!.storedAtLeast(a!.stored + 4); // one batch written, the next one being signed or written
      await a!.kill9();
    } finally {
      b!.child.kill('SIGCONT');
    }
    const stored = await col('credentials').countDocuments({ platformId });
    assert.ok(stored < target, `killed before the end (${stored} of ${target})`);
    assert.equal(await col('issuance_jobs').countDocuments(), 1, 'the job outlives its instance');
    const restarted = await start();
    await waitFor('the job taken over after its runner went silent', issuingDone);
    await assertOneWholeCredentialPerAward(2 * 4);
    assert.ok(restarted.stored + b!.stored > 0);
  });
});
