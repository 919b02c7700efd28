import assert from 'node:assert/strict';
import request from 'supertest';
import { runCourseSync } from '../../../src/sync/course-sync';
import { COURSE_ID, createBadge, fillBrowserForm, pageText, useConnectedTeacher } from '../../support/sync-helpers';

describe('sync: the teacher chooses which grade items the credential states', () => {
  const s = useConnectedTeacher();

  const typed = {
    nameEn: 'Course finisher',
    descriptionEn: 'Finished the course.',
    criteriaEn: 'Complete the course.',
    assessmentEn: 'Graded essays',
    qaEn: 'University QA',
  };
  const newForm = async () => (await request(s.ctx.tool.url).get('/app/teacher/badges/new').query({ s: s.teacher })).text;
  const lastVersion = async () =>
    (await s.ctx.tool.db.connection.collection('badge_versions').find({}).sort({ createdAt: -1, _id: -1 }).limit(1).toArray())[0]!;

  it('every grade item Moodle lists for the course is offered and ticked by default', async () => {
    const html = await newForm();
    for (const id of ['2', '3']) assert.match(html, new RegExp(`name="assessItem" value="${id}"[^>]*checked`));
    assert.match(pageText(html), /Results stated in the credential/);
  });

  it('unticking Final Project stores it as left out; the edit form shows it unticked', async () => {
    const body = new URLSearchParams(fillBrowserForm(await newForm(), typed, [['courseCompleted', '1']]));
    const ticked = body.getAll('assessItem').filter((id) => id !== '3');
    body.delete('assessItem');
    for (const id of ticked) body.append('assessItem', id);
    const res = await request(s.ctx.tool.url).post('/app/teacher/badges').type('form').send(body.toString());
    assert.equal(res.status, 303, pageText(res.text).slice(0, 600));
    const version = await lastVersion();
    assert.deepEqual(version.definition.excludedGradeItems, ['3']);
    const edit = await request(s.ctx.tool.url).get(`/app/teacher/badges/${version.badgeId}/edit`).query({ s: s.teacher });
    assert.match(edit.text, /name="assessItem" value="2"[^>]*checked/);
    assert.doesNotMatch(edit.text, /name="assessItem" value="3"[^>]*checked/);
  });

  it('all ticked: nothing is left out', async () => {
    const res = await request(s.ctx.tool.url)
      .post('/app/teacher/badges')
      .type('form')
      .send(fillBrowserForm(await newForm(), { ...typed, nameEn: 'All items' }, [['courseCompleted', '1']]));
    assert.equal(res.status, 303);
    assert.equal((await lastVersion()).definition.excludedGradeItems, undefined);
  });

  it('a sync that reads grades records, with the earned decision, the learner’s grades for the items in scope', async () => {
    // alone: with a course-completion badge beside it, the read plan skips grades of learners who completed the course
    for (const name of ['badges', 'badge_versions']) await s.ctx.tool.db.connection.collection(name).deleteMany({});
    const badge = await createBadge(
      s.ctx.tool,
      s.platformId,
      { type: 'grade', target: { gradeItemId: '3' }, atLeast: { percent: 60 } },
      'Final Project 60 % (sync)',
    );
    const outcome = await runCourseSync(s.ctx.tool.sync, s.platformId, COURSE_ID, 'teacher');
    assert.ok(outcome.started && outcome.run.status === 'completed', JSON.stringify(outcome));
    const earned = await s.ctx.tool.sync.decisions.find({
      platformId: s.platformId,
      courseId: COURSE_ID,
      userId: '4',
      badgeId: badge.id,
      badgeVersion: badge.currentVersion,
    });
    assert.equal(earned?.earned, true, JSON.stringify(earned?.decision.criteria.explanation));
    const byName = Object.fromEntries((earned!.decision.assessment ?? []).map((g) => [g.name, [g.grade, g.max, g.pass]]));
    assert.deepEqual(byName, { 'Final Project': [18, 20, null], 'Course total': [193, 230, null] });
    const notEarned = await s.ctx.tool.sync.decisions.find({
      platformId: s.platformId,
      courseId: COURSE_ID,
      userId: '5',
      badgeId: badge.id,
      badgeVersion: badge.currentVersion,
    });
    assert.equal(notEarned?.decision.assessment, undefined);
  });
});
