import assert from 'node:assert/strict';
import request from 'supertest';
import { startFakeMoodleWs, type FakeMoodleWs } from '../../support/fake-moodle-ws';
import { launchAs } from '../../support/launch';
import { useRegisteredTool } from '../../support/registered-tool';
import { badgeFormFields, browserFormFields, connectFakeMoodle, createBadge, fillBrowserForm, FIXTURE, formBody, pageText } from '../../support/sync-helpers';

const essayPassedAndFinalProject = {
  type: 'all',
  rules: [
    { type: 'activityCompleted', activityId: '1', states: ['complete-pass'] },
    { type: 'activityCompleted', activityId: '2' },
  ],
};

describe('sync: a teacher defines badges through the form', () => {
  const ctx = useRegisteredTool();
  let fake: FakeMoodleWs;
  let platformId: string;
  let teacher: string;

  before(async () => {
    fake = await startFakeMoodleWs();
    platformId = await connectFakeMoodle(ctx.tool, fake);
    teacher = (await launchAs(ctx.tool, ctx.sim, 'teacher')).token;
  });
  after(async () => {
    await fake?.close();
  });
  beforeEach(async () => {
    fake.up();
    await ctx.tool.db.connection.collection('badges').deleteMany({});
    await ctx.tool.db.connection.collection('badge_versions').deleteMany({});
  });

  const countBadges = async () => ({
    badges: await ctx.tool.db.connection.collection('badges').countDocuments(),
    versions: await ctx.tool.db.connection.collection('badge_versions').countDocuments(),
  });
  const postForm = (path: string, fields: Record<string, string | string[] | undefined>, token = teacher) =>
    request(ctx.tool.url)
      .post(path)
      .type('form')
      .set('Accept', 'text/html')
      .send(formBody({ s: token, ...fields }));
  const storedVersions = async () =>
    ctx.tool.db.connection
      .collection('badge_versions')
      .find({}, { projection: { _id: 0 } })
      .sort({ version: 1 })
      .toArray();

  describe('the form', () => {
    it("shows the course's real sections, activities and grade items read from Moodle", async () => {
      const res = await request(ctx.tool.url).get('/app/teacher/badges/new').query({ s: teacher });
      assert.equal(res.status, 200);
      const text = pageText(res.text);
      assert.match(text, /Essay 1 \(assign\)/);
      assert.match(text, /Final Project \(assign\)/);
      assert.match(text, /General New section All activities of this module are completed Essay 1 \(assign\)/);
      assert.match(res.text, /name="activities" value="1"/);
      assert.match(res.text, /name="activities" value="2"/);
      assert.match(res.text, /name="sections" value="2"/);
      assert.match(res.text, /name="sections" value="3"/);
      assert.doesNotMatch(res.text, /name="sections" value="1"/, 'the empty General section cannot be chosen');
      assert.ok(fake.count('core_course_get_contents') >= 1);
    });

    it('offers the grade items of the activities (Essay 1 = 2, Final Project = 3) for a minimum grade', async () => {
      // regression: the form used getCourseStructure(), built without a grade report, so every activity had
      // gradeItemId null and no grade item was offered at all
      const res = await request(ctx.tool.url).get('/app/teacher/badges/new').query({ s: teacher });
      assert.equal(res.status, 200);
      assert.match(res.text, /<option value="2">Essay 1<\/option>/, 'Essay 1 grade item (id 2)');
      assert.match(res.text, /<option value="3">Final Project<\/option>/, 'Final Project grade item (id 3)');
    });

    it('a new form holds no literal "undefined", and submitted as a browser would (boxes ticked, fields typed) it creates the badge', async () => {
      // regression: formFromDefinition(null) left most keys out and views/badge-form.eta printed `it.values.x` as is,
      // so the empty form showed "undefined" in every text field, including the advanced-rule textarea, which then
      // failed as "not valid JSON" unless the teacher cleared it
      const form = await request(ctx.tool.url).get('/app/teacher/badges/new').query({ s: teacher });
      assert.equal(form.status, 200);
      const filled = fillBrowserForm(
        form.text,
        {
          nameEn: 'Typed in a browser',
          descriptionEn: 'Writes academic texts.',
          criteriaEn: 'Pass Essay 1.',
          assessmentEn: 'Graded essay',
          qaEn: 'University QA',
        },
        [['activities', '1']],
      );
      const res = await request(ctx.tool.url).post('/app/teacher/badges').type('form').send(filled);
      assert.equal(res.status, 303, pageText(res.text).slice(0, 600));
      assert.deepEqual(
        browserFormFields(form.text)
          .filter(([, v]) => v === 'undefined')
          .map(([k]) => k),
        [],
        'fields pre-filled with the text "undefined"',
      );
    });

    it('an activity without completion tracking is offered but cannot be ticked', async () => {
      const res = await request(ctx.tool.url).get('/app/teacher/badges/new').query({ s: teacher });
      // Badge tool (dynamic), cmid 4, has completion 0 in the capture
      assert.match(res.text, /name="activities" value="4" disabled/);
      assert.doesNotMatch(res.text, /name="activities" value="1" disabled/);
    });

    it('with Moodle down the form still opens (no 500) and says the structure could not be read', async () => {
      fake.down();
      const res = await request(ctx.tool.url).get('/app/teacher/badges/new').query({ s: teacher });
      assert.equal(res.status, 200);
      assert.doesNotMatch(res.text, /name="activities"/);
      assert.match(res.text, /name="advancedRule"/, 'the advanced rule stays available');
      assert.match(pageText(res.text), /Moodle call failed: .*MOODLE_UNREACHABLE/);
      assert.doesNotMatch(res.text, /without the Moodle web service/, 'never "no web service" when there is one');
    });

    it("a Moodle exception names the function, Moodle's exception, errorcode and message, and what to do; logged with the request id", async () => {
      fake.respondWith('core_grades_get_gradeitems', {
        exception: 'required_capability_exception',
        errorcode: 'nopermissions',
        message: 'Sorry, but you do not currently have permissions to do that (View all grades).',
      });
      const res = await request(ctx.tool.url).get('/app/teacher/badges/new').query({ s: teacher }).set('X-Request-Id', 'form-failure-0001');
      fake.respondWith('core_grades_get_gradeitems', null, 0);
      assert.equal(res.status, 200);
      const text = pageText(res.text);
      assert.match(text, /Moodle call failed: core_grades_get_gradeitems \( MOODLE_WS_ACCESS_DENIED \)/);
      assert.match(
        text,
        /Moodle said: required_capability_exception \(nopermissions\): Sorry, but you do not currently have permissions to do that \(View all grades\)\./,
      );
      assert.match(text, /What to do: Moodle refused the call: check the token and the web-service user's capabilities/);
      assert.match(res.text, /data-code="MOODLE_WS_ACCESS_DENIED"/);
      assert.doesNotMatch(res.text, /without the Moodle web service/);
      const logged = ctx.tool.logs.filter((l) => l.includes('form-failure-0001') && l.includes('could not read the course from Moodle'));
      assert.equal(logged.length, 1, 'one log line with the request id');
      assert.match(logged[0]!, /core_grades_get_gradeitems/);
      assert.doesNotMatch(logged[0]!, new RegExp(fake.token), 'never the token');
    });

    it('Moodle failing with HTTP 503 (after the retries) → the form names the function and the status', async () => {
      // every attempt fails (the page may read the grade items more than once), then Moodle is well again
      fake.failNext(1000, 503, 'core_grades_get_gradeitems');
      const res = await request(ctx.tool.url).get('/app/teacher/badges/new').query({ s: teacher });
      fake.clearFailures();
      assert.equal(res.status, 200);
      assert.match(pageText(res.text), /Moodle call failed: core_grades_get_gradeitems: Moodle answered HTTP 503 \( MOODLE_UNREACHABLE \)/);
      assert.match(pageText(res.text), /What to do: Moodle could not be reached or failed \(HTTP 5xx\)/);
    });

    it('in Latvian too', async () => {
      fake.failNext(1000, 503, 'core_grades_get_gradeitems');
      const lv = (
        await launchAs(ctx.tool, ctx.sim, 'teacher', {
          'https://purl.imsglobal.org/spec/lti/claim/launch_presentation': { locale: 'lv', document_target: 'window' },
        })
      ).token;
      const res = await request(ctx.tool.url).get('/app/teacher/badges/new').query({ s: lv });
      fake.clearFailures();
      assert.match(pageText(res.text), /Moodle izsaukums neizdevās: core_grades_get_gradeitems: Moodle atbildēja ar HTTP 503/);
    });
  });

  describe('creating', () => {
    it('activities + "passed only" → 303 to the teacher home, listed there, version 1 stored with the rule', async () => {
      const res = await postForm('/app/teacher/badges', badgeFormFields({ activities: ['1', '2'], passedOnly: '1' }));
      assert.equal(res.status, 303, pageText(res.text));
      const location = new URL(res.headers.location!, ctx.tool.url);
      assert.equal(location.pathname, '/app/teacher');
      assert.equal(location.searchParams.get('s'), teacher);

      const home = await request(ctx.tool.url).get('/app/teacher').query({ s: teacher });
      assert.equal(home.status, 200);
      assert.match(pageText(home.text), /Academic writing · edit/);

      const versions = await storedVersions();
      assert.equal(versions.length, 1);
      assert.equal(versions[0]!.version, 1);
      assert.deepEqual(versions[0]!.definition.rule, {
        type: 'all',
        rules: [
          { type: 'activityCompleted', activityId: '1', states: ['complete-pass'] },
          { type: 'activityCompleted', activityId: '2', states: ['complete-pass'] },
        ],
      });
      assert.equal(versions[0]!.definition.name.lv, 'Akadēmiskā rakstīšana');
      assert.equal(versions[0]!.definition.eqfLevel, 5);
      assert.equal(versions[0]!.createdBy, '3');
      const badge = await ctx.tool.db.connection.collection('badges').findOne({});
      assert.equal(badge!.currentVersion, 1);
      assert.equal(badge!.platformId, platformId);
      assert.equal(badge!.courseId, '2');
    });

    it('the advanced JSON rule takes precedence over the ticked boxes', async () => {
      const res = await postForm('/app/teacher/badges', badgeFormFields({ courseCompleted: '1', advancedRule: JSON.stringify(essayPassedAndFinalProject) }));
      assert.equal(res.status, 303, pageText(res.text));
      assert.deepEqual((await storedVersions())[0]!.definition.rule, essayPassedAndFinalProject);
    });

    it('course completed, a section and "at least N" from the form fields', async () => {
      const res = await postForm('/app/teacher/badges', badgeFormFields({ sections: ['2', '3'], courseCompleted: '1', combine: 'atLeast', atLeastCount: '2' }));
      assert.equal(res.status, 303, pageText(res.text));
      assert.deepEqual((await storedVersions())[0]!.definition.rule, {
        type: 'atLeast',
        count: 2,
        rules: [{ type: 'courseCompleted' }, { type: 'sectionCompleted', sectionId: '2' }, { type: 'sectionCompleted', sectionId: '3' }],
      });
    });

    it('a minimum grade on an activity grade item of the course (Final Project, item 3) is accepted', async () => {
      // regression: validateRuleAgainstCourse() was called without gradeItemIds on a structure whose activities had
      // no gradeItemId, so every grade item was reported as "not in the course"
      const res = await postForm('/app/teacher/badges', badgeFormFields({ gradeItem: FIXTURE.gradeItems.finalProject, gradePercent: '60' }));
      assert.equal(res.status, 303, pageText(res.text).slice(0, 400));
      assert.deepEqual((await storedVersions())[0]!.definition.rule, { type: 'grade', target: { gradeItemId: '3' }, atLeast: { percent: 60 } });
    });

    it('a minimum grade on a manual grade item (not attached to an activity, item 5) is accepted', async () => {
      const res = await postForm(
        '/app/teacher/badges',
        badgeFormFields({ advancedRule: '{"type":"grade","target":{"gradeItemId":"5"},"atLeast":{"points":5}}' }),
      );
      assert.equal(res.status, 303, pageText(res.text).slice(0, 400));
    });

    it('a course-total grade with the pass grade', async () => {
      const res = await postForm('/app/teacher/badges', badgeFormFields({ gradeItem: 'course' }));
      assert.equal(res.status, 303, pageText(res.text));
      assert.deepEqual((await storedVersions())[0]!.definition.rule, { type: 'grade', target: { courseTotal: true }, atLeast: { passGrade: true } });
    });
  });

  describe('malformed definitions → 400 naming each problem, never a 500, nothing stored', () => {
    const cases: Array<{ name: string; fields: Record<string, string | string[]>; expect: RegExp[] }> = [
      { name: 'missing name', fields: badgeFormFields({ nameEn: '', activities: '1' }), expect: [/name\.en\s*: is required/] },
      { name: 'EQF level 9', fields: badgeFormFields({ eqfLevel: '9', activities: '1' }), expect: [/eqfLevel\s*: must be a whole number from 1 to 8/] },
      { name: 'advanced rule that is not JSON', fields: badgeFormFields({ advancedRule: '{"type": "all", "rules": [' }), expect: [/not valid JSON/] },
      {
        name: 'a rule naming an activity that is not in the course',
        fields: badgeFormFields({ advancedRule: JSON.stringify({ type: 'activityCompleted', activityId: '99' }) }),
        expect: [/there is no activity with id 99/],
      },
      {
        name: 'an activity ticked that is not in the course',
        fields: badgeFormFields({ activities: ['1', '99'] }),
        expect: [/rules\[1\]\.activityId\s*: there is no activity with id 99/],
      },
      { name: 'a section that is not in the course', fields: badgeFormFields({ sections: '77' }), expect: [/there is no section with id 77/] },
      {
        name: 'a grade item that is not in the course',
        fields: badgeFormFields({ gradeItem: '55', gradePercent: '50' }),
        expect: [/there is no grade item with id 55/],
      },
      { name: 'an activity without completion tracking', fields: badgeFormFields({ activities: '4' }), expect: [/has no completion tracking/] },
      {
        name: 'at least 0 of the requirements',
        fields: badgeFormFields({ activities: ['1', '2'], combine: 'atLeast', atLeastCount: '0' }),
        expect: [/\$\.count\s*: must be a whole number from 1 to 2/],
      },
      {
        name: 'at least 3 of 2 requirements',
        fields: badgeFormFields({ activities: ['1', '2'], combine: 'atLeast', atLeastCount: '3' }),
        expect: [/\$\.count\s*: must be a whole number from 1 to 2/],
      },
      {
        name: 'a grade percent that is not a number',
        fields: badgeFormFields({ gradeItem: '2', gradePercent: 'lots' }),
        expect: [/atLeast\.percent\s*: must be a number between 0 and 100/],
      },
      { name: 'no requirement at all', fields: badgeFormFields(), expect: [/Choose at least one requirement/] },
      { name: 'an unknown rule type', fields: badgeFormFields({ advancedRule: '{"type":"moonPhase"}' }), expect: [/"moonPhase" is not a kind of rule/] },
      {
        name: 'missing name, EQF 9 and an unknown activity together',
        fields: badgeFormFields({ nameEn: '', eqfLevel: '9', activities: ['1', '99'] }),
        expect: [/name\.en\s*: is required/, /eqfLevel\s*: must be/, /there is no activity with id 99/],
      },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const res = await postForm('/app/teacher/badges', c.fields);
        assert.equal(res.status, 400, `status ${res.status}: ${pageText(res.text).slice(0, 400)}`);
        const text = pageText(res.text);
        assert.match(text, /Please correct the following:/);
        for (const re of c.expect) assert.match(text, re, text);
        assert.deepEqual(await countBadges(), { badges: 0, versions: 0 });
      });
    }

    it("the page keeps the teacher's input so nothing has to be typed again", async () => {
      const res = await postForm('/app/teacher/badges', badgeFormFields({ eqfLevel: '9', activities: '1', descriptionEn: 'Keeps <this> & "that"' }));
      assert.equal(res.status, 400);
      assert.match(res.text, /Keeps &lt;this&gt; &amp; &quot;that&quot;/);
      assert.match(res.text, /value="Akadēmiskā rakstīšana"/);
    });

    it('the re-shown form keeps the ticked activities and the chosen combination, not only the text fields', async () => {
      // regression: views/badge-form.eta never marked a checkbox `checked` or an option `selected` from it.values, so
      // after any problem the teacher had to rebuild the rule, and an "at least N" silently turned back into "all"
      const res = await postForm(
        '/app/teacher/badges',
        badgeFormFields({
          eqfLevel: '9',
          activities: ['1', '2'],
          sections: '3',
          passedOnly: '1',
          combine: 'atLeast',
          atLeastCount: '1',
          gradeItem: '3',
          gradePercent: '70',
        }),
      );
      assert.equal(res.status, 400);
      const sent = browserFormFields(res.text);
      assert.deepEqual(
        sent.filter(([k]) => k === 'sections').map(([, v]) => v),
        ['3'],
      );
      assert.ok(
        sent.some(([k, v]) => k === 'gradeItem' && v === '3'),
        'the grade item stays chosen',
      );
      assert.ok(
        sent.some(([k, v]) => k === 'gradePercent' && v === '70'),
        'the percentage is kept',
      );
      assert.ok(!sent.some(([k]) => k === 'courseCompleted'), 'an unticked box stays unticked');
      assert.deepEqual(
        sent.filter(([k]) => k === 'activities').map(([, v]) => v),
        ['1', '2'],
      );
      assert.ok(
        sent.some(([k, v]) => k === 'passedOnly' && v === '1'),
        'passedOnly stays ticked',
      );
      assert.ok(
        sent.some(([k, v]) => k === 'combine' && v === 'atLeast'),
        'combine stays "at least"',
      );
      assert.ok(
        sent.some(([k, v]) => k === 'atLeastCount' && v === '1'),
        'the count is kept',
      );
    });

    it('odd inputs (JSON scalars, empty lists, repeated fields, huge nesting) never give a 500', async () => {
      let deep: unknown = { type: 'courseCompleted' };
      for (let i = 0; i < 200; i++) deep = { type: 'all', rules: [deep] };
      const odd: Array<Record<string, string | string[]>> = [
        badgeFormFields({ advancedRule: 'null' }),
        badgeFormFields({ advancedRule: '42' }),
        badgeFormFields({ advancedRule: '"courseCompleted"' }),
        badgeFormFields({ advancedRule: '[]' }),
        badgeFormFields({ advancedRule: '{"type":"all","rules":[]}' }),
        badgeFormFields({ advancedRule: '{"type":"grade"}' }),
        badgeFormFields({ advancedRule: '{"__proto__":{"type":"courseCompleted"}}' }),
        badgeFormFields({ advancedRule: JSON.stringify(deep) }),
        badgeFormFields({ advancedRule: '{"type":"badgeEarned","badgeId":"000000000000000000000000"}' }),
        badgeFormFields({ nameEn: ['', ''], activities: '1', achievementType: 'Diploma', participationForm: 'telepathy', inLanguage: '' }),
        badgeFormFields({ activities: '1', imageTemplate: '../../etc/passwd', validForMonths: '-1', ectsCredits: 'NaN' }),
      ];
      for (const fields of odd) {
        const res = await postForm('/app/teacher/badges', fields);
        assert.equal(res.status, 400, `${JSON.stringify(fields.advancedRule ?? fields).slice(0, 200)} → ${res.status}: ${pageText(res.text).slice(0, 300)}`);
      }
      assert.deepEqual(await countBadges(), { badges: 0, versions: 0 });
    });
  });

  it('a form with a missing name, EQF 9 AND a bad JSON rule names all three problems', async () => {
    // regression: src/http/routes/teacher/badge-form.ts readDefinition() used to return as soon as ruleFromForm() failed,
    // so the other fields were not checked
    const res = await postForm('/app/teacher/badges', badgeFormFields({ nameEn: '', eqfLevel: '9', advancedRule: '{oops' }));
    assert.equal(res.status, 400);
    const text = pageText(res.text);
    assert.match(text, /not valid JSON/);
    assert.match(text, /name\.en\s*: is required/);
    assert.match(text, /eqfLevel\s*: must be a whole number from 1 to 8/);
    assert.deepEqual(await countBadges(), { badges: 0, versions: 0 });
  });

  describe('editing', () => {
    it('makes version 2 while version 1 stays stored unchanged', async () => {
      assert.equal((await postForm('/app/teacher/badges', badgeFormFields({ activities: '1' }))).status, 303);
      const badge = await ctx.tool.db.connection.collection('badges').findOne({});
      const id = String(badge!._id);
      const v1 = (await storedVersions())[0]!;

      const form = await request(ctx.tool.url).get(`/app/teacher/badges/${id}/edit`).query({ s: teacher });
      assert.equal(form.status, 200);
      assert.match(form.text, /value="Academic writing"/, 'the form is filled from version 1');
      assert.match(form.text, new RegExp(`action="/app/teacher/badges/${id}"`));

      const res = await postForm(`/app/teacher/badges/${id}`, badgeFormFields({ nameEn: 'Academic writing II', activities: ['1', '2'] }));
      assert.equal(res.status, 303, pageText(res.text));
      const versions = await storedVersions();
      assert.deepEqual(
        versions.map((v) => [v.version, v.definition.name.en]),
        [
          [1, 'Academic writing'],
          [2, 'Academic writing II'],
        ],
      );
      assert.deepEqual(versions[0], v1, 'version 1 is untouched');
      const after = await ctx.tool.db.connection.collection('badges').findOne({ _id: badge!._id });
      assert.equal(after!.currentVersion, 2);
      assert.equal(after!.name, 'Academic writing II');
      assert.equal(await ctx.tool.db.connection.collection('badges').countDocuments(), 1, 'an edit does not create another badge');
      const home = await request(ctx.tool.url).get('/app/teacher').query({ s: teacher });
      assert.match(pageText(home.text), /Academic writing II · edit 2/);
    });

    it('a malformed edit → 400 and the badge stays at version 1', async () => {
      assert.equal((await postForm('/app/teacher/badges', badgeFormFields({ activities: '1' }))).status, 303);
      const badge = await ctx.tool.db.connection.collection('badges').findOne({});
      const res = await postForm(`/app/teacher/badges/${String(badge!._id)}`, badgeFormFields({ eqfLevel: '9', activities: '1' }));
      assert.equal(res.status, 400);
      assert.equal((await storedVersions()).length, 1);
      assert.equal((await ctx.tool.db.connection.collection('badges').findOne({}))!.currentVersion, 1);
    });

    it('a badge of another course is not found (404), and it is not changed', async () => {
      const other = await createBadge(ctx.tool, platformId, { type: 'courseCompleted' }, 'Other course badge', '99');
      const res = await postForm(`/app/teacher/badges/${other.id}`, badgeFormFields({ activities: '1' }));
      assert.equal(res.status, 404);
      const edit = await request(ctx.tool.url).get(`/app/teacher/badges/${other.id}/edit`).query({ s: teacher });
      assert.equal(edit.status, 404);
      const learners = await request(ctx.tool.url).get(`/app/teacher/badges/${other.id}`).query({ s: teacher });
      assert.equal(learners.status, 404, "another course's learners are not shown");
      assert.equal((await storedVersions()).length, 1);
    });
  });

  describe('a student', () => {
    it('cannot open the form nor create or edit a badge (403), and nothing is stored', async () => {
      const { token } = await launchAs(ctx.tool, ctx.sim, 'student');
      const form = await request(ctx.tool.url).get('/app/teacher/badges/new').query({ s: token }).set('Accept', 'application/json');
      assert.equal(form.status, 403);
      const create = await request(ctx.tool.url)
        .post('/app/teacher/badges')
        .type('form')
        .set('Accept', 'application/json')
        .send(formBody({ s: token, ...badgeFormFields({ activities: '1' }) }));
      assert.equal(create.status, 403);
      assert.equal(create.body.error.code, 'ROLE_FORBIDDEN');
      assert.deepEqual(await countBadges(), { badges: 0, versions: 0 });

      const badge = await createBadge(ctx.tool, platformId, { type: 'courseCompleted' });
      const edit = await request(ctx.tool.url)
        .post(`/app/teacher/badges/${badge.id}`)
        .type('form')
        .set('Accept', 'application/json')
        .send(formBody({ s: token, ...badgeFormFields({ nameEn: 'Hijacked', activities: '1' }) }));
      assert.equal(edit.status, 403);
      assert.equal((await storedVersions()).length, 1);
    });
  });
});

describe('sync: the badge form without a web-service connection', () => {
  const ctx = useRegisteredTool();

  it('offers the advanced rule and says the course structure is unknown; a valid rule is still saved', async () => {
    const { token } = await launchAs(ctx.tool, ctx.sim, 'teacher');
    const form = await request(ctx.tool.url).get('/app/teacher/badges/new').query({ s: token });
    assert.equal(form.status, 200);
    assert.doesNotMatch(form.text, /name="activities"/);
    assert.match(form.text, /name="advancedRule"/);
    const res = await request(ctx.tool.url)
      .post('/app/teacher/badges')
      .type('form')
      .send(formBody({ s: token, ...badgeFormFields({ advancedRule: '{"type":"courseCompleted"}' }) }));
    assert.equal(res.status, 303);
    assert.equal(await ctx.tool.db.connection.collection('badge_versions').countDocuments(), 1);
  });
});
