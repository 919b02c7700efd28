import assert from 'node:assert/strict';
import request from 'supertest';
import { awardsToIssue, type CourseIssuer } from '../../../src/issuance/bulk/awards';
import { issueEarnedInCourse } from '../../../src/issuance/bulk/issue-course';
import { issueCredential, type IssuanceDeps } from '../../../src/issuance/pipeline';
import { StatusListRepository } from '../../../src/store/status-lists';
import { earnedDecisionRecord, recordEarnedDecision, seedEarnedBadge } from '../../support/award';
import { launchAs } from '../../support/launch';
import { useRegisteredTool } from '../../support/registered-tool';

/** "Issue all earned": a course's earned awards issued in batches, alone, twice at once, and beside learners' own claims. */
describe('issuance: bulk, in batches', () => {
  const ctx = useRegisteredTool();
  let award: { platformId: string; badgeId: string; badgeVersion: number };
  let course: CourseIssuer;
  const col = (name: string) => ctx.tool.db.connection.collection(name);
  const learner = (userId: string) => ({ name: `Learner ${userId}`, email: `learner${userId}@example.com` });
  const earn = (userIds: string[]) =>
    ctx.tool.issuance.deps.decisions.recordMany(userIds.map((userId) => earnedDecisionRecord({ ...award, courseId: '2', userId, learner: learner(userId) })));
  const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => String(from + i));
  /** Another instance: its own dependencies (no shared in-flight requests, its own memory of the open status list). */
  const otherInstance = (): IssuanceDeps => ({ ...ctx.tool.issuance.deps, slots: new StatusListRepository(ctx.tool.db.connection) });

  /** Every credential of the course once per award, every status index once, and no status place left without its credential. */
  async function assertOnePerAward(expectedAwards: number) {
    const creds = await col('credentials').find({ courseId: '2' }).toArray();
    assert.equal(creds.length, expectedAwards);
    assert.equal(new Set(creds.map((c) => c.idempotencyKey)).size, expectedAwards);
    const places = creds.map((c) => `${c.statusSlot.listId}#${c.statusSlot.index}`);
    assert.equal(new Set(places).size, places.length, 'a status index is used twice');
    const slots = await col('status_list_slots').find({}).toArray();
    assert.deepEqual(new Set(slots.map((s) => s.credentialId)), new Set(creds.map((c) => c.id)), 'status places and credentials differ');
    // (the list's `allocated` counter is not checked: it only decides when a list counts as full, and FerretDB may
    // lose one of two concurrent increments; the unique index on the places is what keeps an index to one credential)
  }

  before(async () => {
    const { platform, badge, version } = await seedEarnedBadge(ctx.tool, '4');
    award = { platformId: platform.id, badgeId: badge.id, badgeVersion: version.version };
    course = {
      platformId: platform.id,
      platformIssuer: ctx.sim.issuer,
      deploymentId: ctx.sim.deploymentId,
      courseId: '2',
      courseTitle: 'Open Badges Demo Course',
    };
  });

  it('awardsToIssue: the newest earned version per learner and badge, minus those issued, keyed like a claim', () => {
    const d = (userId: string, badgeVersion: number, earned = true) => ({
      ...earnedDecisionRecord({ ...award, courseId: '2', userId, badgeVersion, learner: learner(userId) }),
      earned,
    });
    const all = awardsToIssue(course, [d('5', 1), d('5', 2), d('6', 1), d('7', 3, false)], new Set());
    assert.deepEqual(
      all.map((a) => [a.decision.userId, a.decision.badgeVersion]),
      [
        ['5', 2],
        ['6', 1],
      ],
    );
    const left = awardsToIssue(course, [d('5', 2), d('6', 1)], new Set([all[0]!.key]));
    assert.deepEqual(
      left.map((a) => a.decision.userId),
      ['6'],
    );
    // rotated: the same awards from another starting point
    assert.deepEqual(new Set(awardsToIssue(course, [d('5', 2), d('6', 1)], new Set(), 0.5).map((a) => a.key)), new Set(all.map((a) => a.key)));
  });

  it('issues every earned award in batches; the learner who claimed keeps theirs; credentials verify and show no name', async () => {
    const claimed = await issueCredential(ctx.tool.issuance.deps, {
      ...course,
      userId: '4',
      badgeId: award.badgeId,
      learner: { ...learner('4'), showName: true },
    });
    await earn(range(10, 7));
    const result = await issueEarnedInCourse(ctx.tool.issuance.deps, course, { batchSize: 3 });
    assert.deepEqual(result, { issued: 7, alreadyIssued: 0, failed: [] });
    await assertOnePerAward(8);
    const one = await col('credentials').findOne({ userId: '12' });
    for (const form of [one!.json, one!.jwt]) {
      const v = await ctx.tool.issuance.verify(form);
      assert.equal(v.verified, true, JSON.stringify(v.checks));
    }
    assert.ok(!JSON.stringify(one!.json).includes('Learner 12'), 'the learner did not choose to show their name');
    // a later claim is the same credential; learner 4's own claim stands
    const again = await issueCredential(ctx.tool.issuance.deps, {
      ...course,
      userId: '12',
      badgeId: award.badgeId,
      learner: { ...learner('12'), showName: true },
    });
    assert.equal(again.id, one!.id);
    assert.equal((await col('credentials').findOne({ userId: '4' }))!.id, claimed.id);
    // nothing left: a rerun writes nothing
    assert.deepEqual(await issueEarnedInCourse(ctx.tool.issuance.deps, course, { batchSize: 3 }), { issued: 0, alreadyIssued: 0, failed: [] });
  });

  it('two instances on one job and learners claiming meanwhile: one credential per award, the losers’ places given back', async () => {
    await earn(range(100, 12));
    const claims = ['101', '106', '111'].map((userId) =>
      issueCredential(otherInstance(), { ...course, userId, badgeId: award.badgeId, learner: { ...learner(userId), showName: false } }),
    );
    // both begin at the same end: every batch is contested
    const [a, b, ...claimed] = await Promise.all([
      issueEarnedInCourse(ctx.tool.issuance.deps, course, { batchSize: 4 }),
      issueEarnedInCourse(otherInstance(), course, { batchSize: 4 }),
      ...claims,
    ]);
    // each award is stored by exactly one of the four parties; the claims got what was stored
    const bulkStored = a.issued + b.issued;
    assert.ok(bulkStored >= 9 && bulkStored <= 12, `bulk stored ${bulkStored}`);
    assert.deepEqual([...a.failed, ...b.failed], []);
    for (const c of claimed as Array<{ id: string; userId: string }>) assert.equal((await col('credentials').findOne({ userId: c.userId }))!.id, c.id);
    await assertOnePerAward(8 + 12);
  });

  it('an award that cannot be built fails alone and its place goes back; the rest of the batch is issued', async () => {
    await earn(['200', '201']);
    const broken = earnedDecisionRecord({ ...award, courseId: '2', userId: '202', badgeVersion: 99, learner: learner('202') });
    await ctx.tool.issuance.deps.decisions.record(broken);
    const result = await issueEarnedInCourse(ctx.tool.issuance.deps, course, { batchSize: 10 });
    assert.equal(result.issued, 2);
    assert.deepEqual(
      result.failed.map((f) => [f.userId, f.code]),
      [['202', 'BADGE_VERSION_MISSING']],
    );
    await assertOnePerAward(8 + 12 + 2);
  });

  describe('the teacher’s "Issue all earned"', () => {
    it('starts a job that issues the course’s earned awards and is recorded in the audit log', async () => {
      await recordEarnedDecision(ctx.tool, { ...award, courseId: '2', userId: '300', learner: learner('300') });
      const { token } = await launchAs(ctx.tool, ctx.sim, 'teacher');
      const page = await request(ctx.tool.url).get('/app/teacher').query({ s: token }).expect(200);
      assert.match(page.text, /action="\/app\/teacher\/issue-earned"/);
      const res = await request(ctx.tool.url).post('/app/teacher/issue-earned').type('form').send({ s: token }).expect(303);
      assert.match(res.headers.location!, /issuing=1/);
      const run = ctx.tool.bulkIssuance.running(award.platformId, '2');
      assert.ok(run, 'the job runs in this instance');
      const result = await run;
      assert.equal(result?.issued, 1);
      assert.ok(await col('credentials').findOne({ userId: '300' }));
      assert.equal(await col('issuance_jobs').countDocuments(), 0, 'a finished job is removed');
      assert.ok(await col('audit_log').findOne({ action: 'credentials.issue-earned' }));
      const after = await request(ctx.tool.url).get('/app/teacher').query({ s: token, issuing: '1' }).expect(200);
      assert.match(after.text, /id="issue-status"/);
    });

    it('only a teacher may ask', async () => {
      const { token } = await launchAs(ctx.tool, ctx.sim, 'student');
      const res = await request(ctx.tool.url).post('/app/teacher/issue-earned').type('form').send({ s: token });
      assert.equal(res.status, 403);
    });
  });
});

describe('issuance: bulk, before the institution profile is set', () => {
  const ctx = useRegisteredTool();
  it('"Issue all earned" is refused with a clear error and records no job', async () => {
    const { token } = await launchAs(ctx.tool, ctx.sim, 'teacher');
    const res = await request(ctx.tool.url).post('/app/teacher/issue-earned').type('form').set('Accept', 'application/json').send({ s: token });
    assert.equal(res.status, 409);
    assert.match(JSON.stringify(res.body), /ISSUER_PROFILE_MISSING/);
    assert.equal(await ctx.tool.db.connection.collection('issuance_jobs').countDocuments(), 0);
  });
});
