import assert from 'node:assert/strict';
import request from 'supertest';
import type { Badge } from '../../../src/store/badges';
import { startFakeMoodleWs, type FakeMoodleWs } from '../../support/fake-moodle-ws';
import { launchAs } from '../../support/launch';
import { useRegisteredTool } from '../../support/registered-tool';
import { connectFakeMoodle, COURSE_ID, createBadge, pageText, platformIdOf } from '../../support/sync-helpers';

const CUSTOM = 'https://purl.imsglobal.org/spec/lti/claim/custom';
const GATED_RULE = { type: 'courseCompleted' };

describe('sync: the weaker mode — a launch of a gated badge activity is the evidence (no web service)', () => {
  const ctx = useRegisteredTool();
  let platformId: string;
  let badge: Badge;

  const col = (name: string) => ctx.tool.db.connection.collection(name);
  const launchWithBadge = (kind: 'student' | 'teacher', badgeId: string, extra: Record<string, unknown> = {}) =>
    launchAs(ctx.tool, ctx.sim, kind, { [CUSTOM]: { badge_id: badgeId }, ...extra });

  before(async () => {
    platformId = await platformIdOf(ctx.tool);
    badge = await createBadge(ctx.tool, platformId, GATED_RULE, 'Finished the course');
  });
  beforeEach(async () => {
    await col('decisions').deleteMany({});
  });

  it('a student launch with custom badge_id of a badge of the course records an earned decision with source gated-launch', async () => {
    assert.equal(await ctx.tool.wsConnections.find(platformId), null, 'precondition: no web service');
    const { res } = await launchWithBadge('student', badge.id);
    assert.equal(res.status, 303);
    const all = await col('decisions').find({}).toArray();
    assert.equal(all.length, 1);
    const d = await ctx.tool.sync.decisions.find({ platformId, courseId: COURSE_ID, userId: '4', badgeId: badge.id, badgeVersion: 1 });
    assert.ok(d);
    assert.equal(d.source, 'gated-launch');
    assert.equal(d.earned, true);
    assert.equal(d.status, 'earned');
    assert.ok(d.earnedAt instanceof Date);
    assert.deepEqual(d.learner, { name: 'Sam Student', email: 'student1@example.com' });
    assert.deepEqual(
      d.decision.evidence.map((e) => [e.kind, 'activityId' in e ? e.activityId : null]),
      [['activity-completion', 'lti-link:1']],
      'the evidence names the launched resource link',
    );
  });

  it('the student then sees the badge as Earned, and the teacher sees them among the learners', async () => {
    const { token } = await launchWithBadge('student', badge.id);
    const page = await request(ctx.tool.url).get('/app/student').query({ s: token });
    assert.equal(page.status, 200);
    assert.match(pageText(page.text), /Finished the course Earned · 100%/);
    const teacher = (await launchAs(ctx.tool, ctx.sim, 'teacher')).token;
    const learners = await request(ctx.tool.url).get(`/app/teacher/badges/${badge.id}`).query({ s: teacher });
    assert.match(pageText(learners.text), /Sam Student Earned 100%/);
    const home = await request(ctx.tool.url).get('/app/teacher').query({ s: teacher });
    assert.match(home.text, /aria-label="1 earned, 0 in progress, 0 not started"/);
    assert.match(pageText(home.text), /no web-service connection yet/);
  });

  it('launching again does not duplicate the decision', async () => {
    await launchWithBadge('student', badge.id);
    await launchWithBadge('student', badge.id);
    assert.equal(await col('decisions').countDocuments(), 1);
  });

  it('another student gets their own decision', async () => {
    await launchWithBadge('student', badge.id);
    await launchWithBadge('student', badge.id, { sub: '5', name: 'Sara Student', email: 'student2@example.com' });
    const all = await col('decisions').find({}).sort({ userId: 1 }).toArray();
    assert.deepEqual(
      all.map((d) => [d.userId, d.source, d.earned]),
      [
        ['4', 'gated-launch', true],
        ['5', 'gated-launch', true],
      ],
    );
  });

  it('a teacher launch with the same badge_id records nothing', async () => {
    const { res } = await launchWithBadge('teacher', badge.id);
    assert.equal(res.status, 303);
    assert.equal(await col('decisions').countDocuments(), 0);
  });

  it('an unknown badge id records nothing (and the launch still works)', async () => {
    for (const id of ['ffffffffffffffffffffffff', 'course-finisher', '', '{"$ne":null}']) {
      const { res } = await launchWithBadge('student', id);
      assert.equal(res.status, 303, id);
    }
    assert.equal(await col('decisions').countDocuments(), 0);
  });

  it('the default fixture launch (badge_id "course-finisher", not a badge of the tool) records nothing', async () => {
    await launchAs(ctx.tool, ctx.sim, 'student');
    assert.equal(await col('decisions').countDocuments(), 0);
  });

  it('a badge of another course records nothing', async () => {
    const other = await createBadge(ctx.tool, platformId, GATED_RULE, 'Another course', '99');
    await launchWithBadge('student', other.id);
    assert.equal(await col('decisions').countDocuments(), 0);
  });

  it('a badge with no definition yet (version 0) records nothing', async () => {
    const empty = await ctx.tool.sync.badges.create({ platformId, courseId: COURSE_ID, name: 'Draft', createdBy: '3' });
    await launchWithBadge('student', empty.id);
    assert.equal(await col('decisions').countDocuments(), 0);
  });

  it('after the teacher edits the badge (new version), a learner who earned it by launch still sees it as earned', async () => {
    // in this mode nothing re-decides for the new version (no web service): the earned decision of version 1 counts
    const edited = await createBadge(ctx.tool, platformId, GATED_RULE, 'Edited later');
    const { token } = await launchWithBadge('student', edited.id);
    const definition = (await ctx.tool.sync.badges.getVersion(edited.id, 1))!.definition;
    await ctx.tool.sync.badges.saveVersion(edited, { ...definition, description: { en: 'Typo fixed.' } }, '3');
    const page = await request(ctx.tool.url).get('/app/student').query({ s: token });
    assert.equal(page.status, 200);
    assert.match(pageText(page.text), /Edited later Earned/);
  });

  it('after the teacher edits the badge (new version), the teacher still counts and lists the learner who earned it by launch', async () => {
    // src/http/routes/teacher/ keeps only decisions of badge.currentVersion (teacher home counts and the badge's
    // learners page); with no web service nothing re-decides for the new version, so a typo fix in the description
    // drops every learner who earned the badge from the teacher's view until each one launches again. The student
    // page already falls back to an earned decision of an earlier version (src/http/routes/student/progress.ts).
    const edited = await createBadge(ctx.tool, platformId, GATED_RULE, 'Edited by the teacher');
    await launchWithBadge('student', edited.id);
    const definition = (await ctx.tool.sync.badges.getVersion(edited.id, 1))!.definition;
    await ctx.tool.sync.badges.saveVersion(edited, { ...definition, description: { en: 'Typo fixed.' } }, '3');
    const teacher = (await launchAs(ctx.tool, ctx.sim, 'teacher')).token;
    const learners = await request(ctx.tool.url).get(`/app/teacher/badges/${edited.id}`).query({ s: teacher });
    assert.equal(learners.status, 200);
    assert.match(pageText(learners.text), /Sam Student Earned 100%/);
    const home = await request(ctx.tool.url).get('/app/teacher').query({ s: teacher });
    assert.match(home.text, /aria-label="1 earned, 0 in progress, 0 not started"/);
  });

  it('a deep-linking launch with badge_id records nothing', async () => {
    await launchAs(ctx.tool, ctx.sim, 'deepLinking', { [CUSTOM]: { badge_id: badge.id } });
    assert.equal(await col('decisions').countDocuments(), 0);
  });
});

describe('sync: with a web-service connection the launch does not use the weaker mode', () => {
  const ctx = useRegisteredTool();
  let fake: FakeMoodleWs;
  let platformId: string;
  let badge: Badge;

  before(async () => {
    fake = await startFakeMoodleWs();
    platformId = await connectFakeMoodle(ctx.tool, fake);
    // learner 5 has NOT completed the course: only the rules could say so, a launch must not
    badge = await createBadge(ctx.tool, platformId, GATED_RULE, 'Finished the course');
  });
  after(async () => {
    await fake?.close();
  });

  it('a student launch with badge_id records no gated-launch decision', async () => {
    const { res, token } = await launchAs(ctx.tool, ctx.sim, 'student', { sub: '5', [CUSTOM]: { badge_id: badge.id } });
    assert.equal(res.status, 303);
    const col = ctx.tool.db.connection.collection('decisions');
    assert.equal(await col.countDocuments({ source: 'gated-launch' }), 0);
    assert.equal(await col.countDocuments({ earned: true }), 0);

    // the student page decides from Moodle instead: learner 5 has not completed the course
    const page = await request(ctx.tool.url).get('/app/student').query({ s: token });
    assert.equal(page.status, 200);
    assert.match(pageText(page.text), /Finished the course (In progress|Not started)/);
    const d = await ctx.tool.sync.decisions.find({ platformId, courseId: COURSE_ID, userId: '5', badgeId: badge.id, badgeVersion: 1 });
    assert.equal(d?.source, 'rules');
    assert.equal(d?.earned, false);
  });

  it('even when Moodle is down at launch time', async () => {
    fake.down();
    try {
      const { res } = await launchAs(ctx.tool, ctx.sim, 'student', { sub: '6', [CUSTOM]: { badge_id: badge.id } });
      assert.equal(res.status, 303);
      assert.equal(await ctx.tool.db.connection.collection('decisions').countDocuments({ source: 'gated-launch' }), 0);
    } finally {
      fake.up();
    }
  });
});
