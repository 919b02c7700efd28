import assert from 'node:assert/strict';
import request from 'supertest';
import { setupChecklist } from '../../src/issuers/setup-checklist';
import { INSTITUTION, defineBadge, recordEarnedDecision } from '../support/award';
import { launchAs } from '../support/launch';
import { useRegisteredTool } from '../support/registered-tool';

const LP = 'https://purl.imsglobal.org/spec/lti/claim/launch_presentation';

describe('set-up checklist: a claim is offered only once the institution can fulfil it', () => {
  const ctx = useRegisteredTool();
  let badgeId: string;
  let platformId: string;
  const page = async (kind: 'student' | 'teacher' | 'admin', path: string, locale = 'en') => {
    const { token } = await launchAs(ctx.tool, ctx.sim, kind, { [LP]: { locale, document_target: 'iframe' } });
    return { token, res: await request(ctx.tool.url).get(path).query({ s: token }) };
  };

  before(async () => {
    platformId = (await ctx.tool.registry.list())[0]!.id;
    ({
      badge: { id: badgeId },
    } = await defineBadge(ctx.tool, platformId));
    await recordEarnedDecision(ctx.tool, {
      platformId,
      courseId: '2',
      userId: '4',
      badgeId,
      badgeVersion: 1,
      learner: { name: 'Sam Student', email: 'student1@example.com' },
    });
  });

  it('the pure checklist: claims open with the profile; the registrar’s to-do leaves the teacher’s own step out', () => {
    const none = setupChecklist({ profileSaved: false, webService: null, badgeDefined: false });
    assert.deepEqual([none.claimsOpen, none.registrarTodo, none.complete], [false, ['profile', 'webService'], false]);
    const all = setupChecklist({ profileSaved: true, webService: { siteName: 'X', checkedAt: new Date() }, badgeDefined: true });
    assert.deepEqual([all.claimsOpen, all.registrarTodo, all.complete], [true, [], true]);
  });

  it('before the profile: the student is told up front and offered no claim (English and Latvian)', async () => {
    const { res } = await page('student', '/app/student');
    assert.equal(res.status, 200);
    assert.match(res.text, /Claiming opens once your institution has finished setting up the tool/);
    assert.doesNotMatch(res.text, /Claim this badge/);
    assert.match(res.text, /Earned|earned/);
    const lv = await page('student', '/app/student', 'lv');
    assert.match(lv.res.text, /Nozīmītes varēs pieprasīt, kad jūsu iestāde būs pabeigusi rīka iestatīšanu/);
    assert.doesNotMatch(lv.res.text, /Saņemt šo nozīmīti/);
  });

  it('before the profile: a claim sent anyway is refused with the same words and nothing is issued', async () => {
    const { token } = await launchAs(ctx.tool, ctx.sim, 'student');
    const preview = await request(ctx.tool.url).get(`/app/student/badges/${badgeId}/claim`).query({ s: token }).set('Accept', 'application/json');
    assert.equal(preview.status, 409);
    assert.equal(preview.body.error.code, 'CLAIM_NOT_OPEN');
    const claim = await request(ctx.tool.url)
      .post(`/app/student/badges/${badgeId}/claim`)
      .type('form')
      .send({ s: token, showName: '1' })
      .set('Accept', 'text/html');
    assert.equal(claim.status, 409);
    assert.match(claim.text, /Claiming opens once your institution has finished setting up the tool/);
    assert.equal(await ctx.tool.db.connection.collection('credentials').countDocuments(), 0);
    assert.equal(await ctx.tool.db.connection.collection('decisions').countDocuments({ userId: '4', earned: true }), 1, 'the badge stays earned');
  });

  it('the teacher is told what the registrar still has to do', async () => {
    const { res } = await page('teacher', '/app/teacher');
    assert.match(res.text, /Students cannot claim badges until the registrar has finished setting up the tool/);
    assert.match(res.text, /save the institution profile/);
    assert.match(res.text, /connect Moodle’s web service/);
    const lv = await page('teacher', '/app/teacher', 'lv');
    assert.match(lv.res.text, /jāsaglabā iestādes profils/);
  });

  it('the registrar’s landing page shows the checklist with the state of each step', async () => {
    const { res } = await page('admin', '/app/registrar');
    assert.equal(res.status, 200);
    const items = [...res.text.matchAll(/<li data-done="(true|false)">([\s\S]*?)<\/li>/g)].map((m) => [m[1], m[2]!.replace(/<[^>]+>/g, '').trim()]);
    assert.equal(items.length, 3);
    assert.deepEqual(
      items.map((i) => i[0]),
      ['false', 'false', 'true'],
    );
    assert.match(items[0]![1]!, /Institution profile.*not done yet/);
    assert.match(items[1]![1]!, /Moodle web service.*not done yet/);
    assert.match(items[2]![1]!, /A first badge.*done/);
    const lv = await page('admin', '/app/registrar', 'lv');
    assert.match(lv.res.text, /Rīka iestatīšana/);
  });

  it('after the profile and a tested web service: the checklist is done, the teacher notice is gone and the student claims', async () => {
    await ctx.tool.issuance.deps.institutions.save(platformId, INSTITUTION, 'registrar');
    await ctx.tool.wsConnections.save({
      platformId,
      siteUrl: ctx.sim.issuer,
      token: 'a-token',
      checkedAt: new Date('2026-12-01T09:30:00Z'),
      siteName: 'Simulated Moodle',
    });
    const registrar = await page('admin', '/app/registrar');
    assert.match(registrar.res.text, /Everything is set up/);
    assert.match(registrar.res.text, /connected to Simulated Moodle, tested Dec 1, 2026, 09:30 UTC/);
    const teacher = await page('teacher', '/app/teacher');
    assert.doesNotMatch(teacher.res.text, /setup-todo/);
    await ctx.tool.wsConnections.remove(platformId); // the student page would read Moodle otherwise
    const student = await page('student', '/app/student');
    assert.match(student.res.text, /Claim this badge/);
    assert.doesNotMatch(student.res.text, /Claiming opens once/);
    const claim = await request(ctx.tool.url).post(`/app/student/badges/${badgeId}/claim`).type('form').send({ s: student.token, showName: '1' });
    assert.equal(claim.status, 303, claim.text);
  });
});
