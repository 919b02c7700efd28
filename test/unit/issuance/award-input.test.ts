import assert from 'node:assert/strict';
import { parseBadgeDefinition } from '../../../src/badges/definition';
import { buildAchievementCredential } from '../../../src/credentials/build/build-credential';
import { assertValidCredential } from '../../../src/credentials/schema/validate';
import { buildAwardInputs, type AwardFacts } from '../../../src/issuance/award-input';
import { earnedDecisionRecord } from '../../support/award';
import { badgeDefinitionInput } from '../../support/builders';
import { BASE_URL, latvianIssuer } from '../credentials/build/fixtures';

function facts(over: Partial<AwardFacts> = {}): AwardFacts {
  const parsed = parseBadgeDefinition(badgeDefinitionInput());
  assert.ok(parsed.ok);
  return {
    badgeId: 'b1',
    badgeVersion: 1,
    definition: parsed.definition,
    decision: earnedDecisionRecord({
      platformId: 'p',
      courseId: '2',
      userId: '4',
      badgeId: 'b1',
      badgeVersion: 1,
      learner: { name: 'Sam', email: 's@example.com' },
    }),
    issuer: latvianIssuer(),
    imageUrl: `${BASE_URL}/i.png`,
    platformIssuer: 'https://moodle.example.lv',
    courseTitle: null,
    learner: { userId: '4', showName: false },
    credentialUrl: `${BASE_URL}/credentials/x`,
    issuedAt: new Date('2026-11-28T12:00:00Z'),
    status: null,
    ...over,
  };
}

const built = (f: AwardFacts) => {
  const { achievement, award } = buildAwardInputs(f);
  const credential = buildAchievementCredential({ issuer: f.issuer, achievement, award, baseUrl: BASE_URL });
  assertValidCredential(credential);
  return credential as Record<string, any>;
};

describe('issuance/award-input: decisions → what the credential states', () => {
  it('a decision stored before assessments were recorded still issues, stating the grades it used', () => {
    const c = built(facts());
    assert.equal(c.credentialSubject.achievement.resultDescription[0].name, 'Essay 1');
    assert.equal(c.credentialSubject.result[0].value, '85');
  });

  it('stacked: an alignment to the smaller achievement, and an evidence entry per credential for it', () => {
    const f = facts();
    f.decision.decision.evidence.push({ kind: 'badge', badgeId: 'small', date: null });
    const c = built({
      ...f,
      stackedOn: [
        {
          badgeId: 'small',
          name: 'Essay 1 passed',
          achievementUrl: `${BASE_URL}/achievements/small/v2`,
          credentialIds: [`${BASE_URL}/credentials/a`, `${BASE_URL}/credentials/b`],
        },
      ],
    });
    const alignment = c.credentialSubject.achievement.alignment.find((a: any) => a.targetType === 'ceterms:Credential');
    assert.deepEqual([alignment.targetName, alignment.targetUrl], ['Essay 1 passed', `${BASE_URL}/achievements/small/v2`]);
    assert.deepEqual(
      c.evidence.filter((e: any) => e.genre === 'Credential').map((e: any) => e.id),
      [`${BASE_URL}/credentials/a`, `${BASE_URL}/credentials/b`],
    );
    const badgeItem = c.credentialSubject.achievement.resultDescription.find((d: any) => d.name === 'Essay 1 passed');
    assert.equal(badgeItem.resultType, 'Status');
  });

  it('a stacked achievement without a usable URL is refused before anything is built', () => {
    assert.throws(() => built({ ...facts(), stackedOn: [{ badgeId: 's', name: 'S', achievementUrl: 'not a url', credentialIds: [] }] }), {
      code: 'CREDENTIAL_INPUT_INVALID',
    });
  });
});
