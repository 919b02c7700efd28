import assert from 'node:assert/strict';
import request from 'supertest';
import { assertValidCredential } from '../../src/credentials/schema/validate';
import { csvObjects } from '../unit/export/csv-parse';
import { csvWriter } from '../../src/export/csv';
import { issueCredential } from '../../src/issuance/pipeline';
import { parseRule } from '../../src/rules';
import type { IssuedCredential } from '../../src/store/issued-credentials';
import { evaluateLearner, storedRuleDecision } from '../../src/sync/evaluate-learner';
import { defineBadge, INSTITUTION } from '../support/award';
import { fixtureSnapshot } from '../support/fixture-snapshot';
import { verifyDataIntegrityIndependently as verifyIndependently } from '../support/independent-verifier';
import { useRegisteredTool } from '../support/registered-tool';

type Json = Record<string, any>;
const NOW = new Date('2026-11-28T12:00:00Z');

/**
 * Per-item results and stacked credentials, end to end: a decision evaluated from real Moodle answers (learner 4 of
 * course OBD101), issued by the tool, downloaded as bytes and verified by Digital Bazaar's verifier directly.
 */
describe('credentials state the assessment and the credentials they stack on', () => {
  const ctx = useRegisteredTool();
  let platformId: string;

  before(async () => {
    platformId = (await ctx.tool.registry.list())[0]!.id;
    await ctx.tool.issuance.deps.institutions.save(platformId, INSTITUTION, 'test');
  });

  async function badge(name: string, rule: unknown, overrides: Record<string, unknown> = {}) {
    const { badge: b, version } = await defineBadge(ctx.tool, platformId, '2', { name: { en: name }, rule, ...overrides });
    const parsed = parseRule(rule);
    assert.ok(parsed.ok);
    return { badgeId: b.id, version: version.version, rule: parsed.rule, name };
  }

  /** Evaluates the badges for learner 4 from the fixture snapshot and records the decisions, as a sync does. */
  async function decide(badges: Array<Awaited<ReturnType<typeof badge>>>, userId: '4' | '5' = '4') {
    for (const d of evaluateLearner(badges, fixtureSnapshot(platformId, Number(userId) as 4 | 5), NOW)) {
      await ctx.tool.issuance.deps.decisions.record(
        storedRuleDecision({ platformId, courseId: '2', userId }, d, NOW, { name: 'Sam Student', email: 'student1@example.com' }),
      );
    }
  }

  const issue = (badgeId: string, userId = '4') =>
    issueCredential(ctx.tool.issuance.deps, {
      platformId,
      platformIssuer: ctx.sim.issuer,
      deploymentId: ctx.sim.deploymentId,
      courseId: '2',
      courseTitle: 'Open Badges Demo Course',
      userId,
      badgeId,
      learner: { showName: false },
    });

  /** The credential's bytes as a holder downloads them. */
  async function downloaded(record: IssuedCredential): Promise<Json> {
    const res = await request(ctx.tool.url).get(`/credentials/${record.id}/credential.json`);
    assert.equal(res.status, 200);
    return JSON.parse(res.text);
  }

  const resultsByName = (c: Json) => {
    const descriptions = new Map<string, Json>((c.credentialSubject.achievement.resultDescription as Json[]).map((d) => [d.id, d]));
    return Object.fromEntries(
      (c.credentialSubject.result as Json[]).map((r) => [
        descriptions.get(r.resultDescription)?.name,
        { ...r, description: descriptions.get(r.resultDescription) },
      ]),
    );
  };

  describe('a course badge ("the course is completed")', () => {
    let credential: Json;
    let record: IssuedCredential;

    before(async () => {
      const course = await badge('Course finisher', { type: 'courseCompleted' });
      await decide([course]);
      record = await issue(course.badgeId);
      credential = await downloaded(record);
    });

    it('verifies with Digital Bazaar’s verifier and validates against the official OB 3.0 schema', async () => {
      const result = await verifyIndependently(credential, ctx.tool.url);
      assert.equal(result.verified, true, JSON.stringify(result.error));
      const { proof: _proof, ...unsigned } = credential;
      assert.doesNotThrow(() => assertValidCredential(unsigned));
    });

    it('a changed grade no longer verifies', async () => {
      const tampered = structuredClone(credential);
      (tampered.credentialSubject.result as Json[]).find((r) => r.value === '85')!.value = '100';
      assert.equal((await verifyIndependently(tampered, ctx.tool.url)).verified, false);
    });

    it('every graded item of the course and the course total, with the learner’s grade and status', () => {
      const r = resultsByName(credential);
      assert.deepEqual(
        {
          value: r['Essay 1'].value,
          status: r['Essay 1'].status,
          type: r['Essay 1'].description.resultType,
          min: r['Essay 1'].description.valueMin,
          max: r['Essay 1'].description.valueMax,
        },
        { value: '85', status: 'Completed', type: 'RawScore', min: '0', max: '100' },
      );
      assert.deepEqual([r['Final Project'].value, r['Final Project'].description.valueMax], ['18', '20']);
      assert.deepEqual([r['Course total'].value, r['Course total'].description.valueMax], ['193', '230']);
      // the fact that made the rule true is still there
      assert.equal(r['Open Badges Demo Course'].value, 'complete');
    });

    it('no pass grade is invented where Moodle reports none', () => {
      for (const d of credential.credentialSubject.achievement.resultDescription as Json[]) assert.equal(d.requiredValue, undefined, d.name);
    });

    it('each result names a result description of the achievement by id; ungraded items are described without a result', () => {
      const ids = new Set((credential.credentialSubject.achievement.resultDescription as Json[]).map((d) => d.id));
      for (const r of credential.credentialSubject.result as Json[]) assert.ok(ids.has(r.resultDescription), r.resultDescription);
      const names = (credential.credentialSubject.achievement.resultDescription as Json[]).map((d) => d.name);
      assert.ok(names.includes('Badge tool (dynamic)'));
      assert.equal(resultsByName(credential)['Badge tool (dynamic)'], undefined);
    });

    it('the verification page and the CSV export show the same results', async () => {
      const html = await request(ctx.tool.url).get(`/credentials/${record.id}`).set('Accept', 'text/html');
      assert.match(html.text, /<th scope="row">Essay 1<\/th><td>85 \/ 100<\/td><td>not reported by Moodle<\/td><td>completed<\/td>/);
      assert.match(html.text, /<th scope="row">Final Project<\/th><td>18 \/ 20<\/td>/);
      const lv = await request(ctx.tool.url).get(`/credentials/${record.id}`).query({ lang: 'lv' }).set('Accept', 'text/html');
      assert.match(lv.text, /Essay 1<\/th><td>85 \/ 100<\/td><td>Moodle to nenorāda<\/td><td>pabeigts<\/td>/);
      let csv = '';
      const one = async function* () {
        yield { ...record, json: credential };
      };
      for await (const chunk of csvWriter({ publicUrl: ctx.tool.url, lang: 'en' })(one())) csv += chunk;
      const [row] = csvObjects(csv);
      assert.match(row!.results!, /Essay 1: 85 \/ 100 \(no pass grade reported by Moodle, Completed\)/);
      assert.match(row!.results!, /Final Project: 18 \/ 20/);
      assert.match(row!.results!, /Course total: 193 \/ 230/);
    });
  });

  it('items the teacher unticked are left out; the rest stay', async () => {
    const b = await badge('Course finisher without the project', { type: 'courseCompleted' }, { excludedGradeItems: ['3'] });
    await decide([b]);
    const credential = await downloaded(await issue(b.badgeId));
    const names = (credential.credentialSubject.achievement.resultDescription as Json[]).map((d) => d.name);
    assert.ok(names.includes('Essay 1'));
    assert.ok(!names.includes('Final Project'));
    assert.equal((await verifyIndependently(credential, ctx.tool.url)).verified, true);
  });

  it('an activity rule states that activity’s grade and the course total only', async () => {
    const b = await badge('Essay writer', { type: 'activityCompleted', activityId: '1' });
    await decide([b]);
    const credential = await downloaded(await issue(b.badgeId));
    const graded = (credential.credentialSubject.achievement.resultDescription as Json[]).filter((d) => d.resultType !== 'Status');
    assert.deepEqual(graded.map((d) => d.name).sort(), ['Course total', 'Essay 1']);
  });

  describe('stacked: a badge earned by another badge', () => {
    it('points at the smaller achievement and names the learner’s credential for it as evidence', async () => {
      const small = await badge('Essay 1 passed', { type: 'grade', target: { gradeItemId: '2' }, atLeast: { percent: 50 } });
      const large = await badge('Writing programme', { type: 'all', rules: [{ type: 'badgeEarned', badgeId: small.badgeId }, { type: 'courseCompleted' }] });
      await decide([small, large]);
      const smallRecord = await issue(small.badgeId);
      const smallCredential = await downloaded(smallRecord);
      const credential = await downloaded(await issue(large.badgeId));
      assert.equal((await verifyIndependently(credential, ctx.tool.url)).verified, true);
      const { proof: _proof, ...unsigned } = credential;
      assert.doesNotThrow(() => assertValidCredential(unsigned));
      const alignment = (credential.credentialSubject.achievement.alignment as Json[]).find((a) => a.targetType === 'ceterms:Credential');
      assert.deepEqual(
        { name: alignment?.targetName, url: alignment?.targetUrl },
        { name: 'Essay 1 passed', url: smallCredential.credentialSubject.achievement.id },
      );
      const evidence = (credential.evidence as Json[]).filter((e) => e.genre === 'Credential');
      assert.deepEqual(
        evidence.map((e) => e.id),
        [smallCredential.id],
      );
      assert.equal(resultsByName(credential)['Essay 1 passed'].value, 'earned');
      const html = await request(ctx.tool.url).get(new URL(credential.id).pathname).set('Accept', 'text/html');
      assert.match(html.text, /Builds on/);
      assert.ok(html.text.includes(smallCredential.id));
    });

    it('before the smaller credential is issued, the evidence says so and names no credential', async () => {
      const small = await badge('Final Project done', { type: 'activityCompleted', activityId: '2' });
      const large = await badge('Project track', { type: 'badgeEarned', badgeId: small.badgeId });
      await decide([small, large]);
      const credential = await downloaded(await issue(large.badgeId));
      const evidence = (credential.evidence as Json[]).filter((e) => e.genre === 'Credential');
      assert.equal(evidence.length, 1);
      assert.equal(evidence[0]!.id, undefined);
      assert.match(evidence[0]!.description, /no credential for it had been issued yet/);
      assert.equal((await verifyIndependently(credential, ctx.tool.url)).verified, true);
    });
  });
});
