import assert from 'node:assert/strict';
import request from 'supertest';
import { runCourseSync } from '../../../src/sync/course-sync';
import type { Badge } from '../../../src/store/badges';
import { startFakeMoodleWs, type FakeMoodleWs } from '../../support/fake-moodle-ws';
import { launchAs } from '../../support/launch';
import { useRegisteredTool } from '../../support/registered-tool';
import { connectFakeMoodle, COURSE_ID, createBadge, ESSAY_PASSED_AND_FINAL_PROJECT, pageText, TestClock } from '../../support/sync-helpers';

const LP = 'https://purl.imsglobal.org/spec/lti/claim/launch_presentation';
const COMPLETION_FNS = ['core_completion_get_activities_completion_status', 'core_completion_get_course_completion_status'];

describe('sync: a student sees their progress in plain language', () => {
  const clock = new TestClock();
  const ctx = useRegisteredTool({ now: clock.now });
  let fake: FakeMoodleWs;
  let platformId: string;
  let badge: Badge;

  const col = (name: string) => ctx.tool.db.connection.collection(name);
  const studentPage = async (sub: string, locale = 'en') => {
    const { token } = await launchAs(ctx.tool, ctx.sim, 'student', { sub, [LP]: { locale, document_target: 'iframe' } });
    const res = await request(ctx.tool.url).get('/app/student').query({ s: token });
    return { res, text: pageText(res.text) };
  };

  before(async () => {
    ctx.sim.now = clock.now;
    fake = await startFakeMoodleWs();
    platformId = await connectFakeMoodle(ctx.tool, fake);
    badge = await createBadge(ctx.tool, platformId, ESSAY_PASSED_AND_FINAL_PROJECT, 'Essay and project', COURSE_ID, 'Eseja un projekts');
  });
  after(async () => {
    await fake?.close();
  });
  beforeEach(async () => {
    clock.reset();
    fake.up();
    await col('decisions').deleteMany({});
    await col('learner_states').deleteMany({});
    fake.resetStats();
  });

  it('learner 5 sees the badge In progress with the reasons, read from Moodle when they open the page', async () => {
    const { res, text } = await studentPage('5');
    assert.equal(res.status, 200);
    assert.match(text, /My badges in Open Badges Demo Course/);
    assert.match(text, /Essay and project In progress · 0%/);
    assert.match(text, /Essay 1: (your grade 40% is below the 50% needed|completed, but without a passing grade)\./);
    assert.match(text, /Final Project: not completed yet\./);
    assert.doesNotMatch(text, /could not be reached/);
    assert.ok(fake.count('core_completion_get_activities_completion_status') >= 1, 'Moodle was read for the learner');
    const stored = await ctx.tool.sync.decisions.find({ platformId, courseId: COURSE_ID, userId: '5', badgeId: badge.id, badgeVersion: 1 });
    assert.equal(stored?.status, 'in-progress', 'the fresh decision is stored');
    assert.deepEqual(
      fake.log.filter((c) => COMPLETION_FNS.includes(c.wsfunction)).map((c) => c.params['userid']),
      ['5', '5'],
      'only their own data is read',
    );
  });

  it('learner 4 sees Earned and nothing missing', async () => {
    const { res, text } = await studentPage('4');
    assert.equal(res.status, 200);
    assert.match(text, /Essay and project Earned · 100%/);
    assert.doesNotMatch(text, /not completed yet|below the/);
  });

  it('learner 6 sees Not started', async () => {
    const { text } = await studentPage('6');
    assert.match(text, /Essay and project Not started · 0%/);
    assert.match(text, /Not started yet\./);
  });

  it('in Latvian the status, the badge name and the reasons are in Latvian', async () => {
    const { res, text } = await studentPage('5', 'lv');
    assert.equal(res.status, 200);
    assert.match(res.text, /<html lang="lv"/);
    assert.match(text, /Manas nozīmītes kursā Open Badges Demo Course/);
    assert.match(text, /Eseja un projekts Procesā · 0%/);
    assert.match(text, /Jūsu virzība: 0%\./);
    assert.match(text, /Essay 1: (jūsu vērtējums 40% ir zemāks par nepieciešamo 50%|pabeigts, bet bez sekmīga vērtējuma)\./);
    assert.match(text, /Final Project: vēl nav pabeigts\./);
    assert.doesNotMatch(text, /not completed yet|In progress/);
  });

  it('a decision younger than a minute is shown without asking Moodle again', async () => {
    await studentPage('5');
    fake.resetStats();
    clock.advance(30_000);
    const { text } = await studentPage('5');
    assert.match(text, /Essay and project In progress/);
    assert.equal(fake.count(), 0);
  });

  it('with Moodle down the page still renders the stored decision and says it could not reach Moodle', async () => {
    await runCourseSync(ctx.tool.sync, platformId, COURSE_ID, 'schedule');
    const stored = await ctx.tool.sync.decisions.find({ platformId, courseId: COURSE_ID, userId: '5', badgeId: badge.id, badgeVersion: 1 });
    assert.ok(stored);
    clock.advance(5 * 60_000); // the stored decision is no longer fresh
    fake.down();
    const { res, text } = await studentPage('5');
    assert.equal(res.status, 200);
    assert.match(text, /Moodle could not be reached just now: this is your progress as of [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{2}:\d{2}\./);
    const storedAt = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23', timeZone: 'UTC' }).format(stored.evaluatedAt);
    assert.ok(text.includes(storedAt), 'the notice gives the time of the stored decision');
    assert.match(text, /Essay and project In progress/);
    assert.match(text, /Final Project: not completed yet\./);
    const after = await ctx.tool.sync.decisions.find({ platformId, courseId: COURSE_ID, userId: '5', badgeId: badge.id, badgeVersion: 1 });
    assert.deepEqual(after, stored, 'the stored decision is untouched');
  });

  it('with Moodle down in Latvian the notice is in Latvian', async () => {
    await runCourseSync(ctx.tool.sync, platformId, COURSE_ID, 'schedule');
    clock.advance(5 * 60_000);
    fake.down();
    const { res, text } = await studentPage('5', 'lv');
    assert.equal(res.status, 200);
    assert.match(text, /Moodle šobrīd nav sasniedzams: šī ir jūsu virzība uz \d{4}\. gada \d{1,2}\. \S+ \d{2}:\d{2}\./);
    assert.doesNotMatch(text, /Moodle could not be reached/);
    assert.match(text, /Eseja un projekts Procesā/);
    assert.match(text, /Final Project: vēl nav pabeigts\./);
  });

  it('with Moodle down and nothing stored yet the page still renders (not started) with the notice', async () => {
    fake.down();
    const { res, text } = await studentPage('5');
    assert.equal(res.status, 200);
    assert.match(text, /Moodle could not be reached just now/);
    assert.match(text, /Essay and project Not started · 0%/);
  });

  it("a learner never sees another learner's decision", async () => {
    await runCourseSync(ctx.tool.sync, platformId, COURSE_ID, 'schedule');
    fake.down(); // only what is stored counts
    clock.advance(5 * 60_000);
    const { text } = await studentPage('6');
    assert.match(text, /Essay and project Not started/);
    assert.doesNotMatch(text, /Earned|In progress/);
  });

  it('a teacher cannot open the student page (403)', async () => {
    const { token } = await launchAs(ctx.tool, ctx.sim, 'teacher');
    const res = await request(ctx.tool.url).get('/app/student').query({ s: token }).set('Accept', 'application/json');
    assert.equal(res.status, 403);
  });
});
