import assert from 'node:assert/strict';
import { buildAchievementCredential } from '../../../src/credentials/build/build-credential';
import { assertValidCredential } from '../../../src/credentials/schema/validate';
import { assessmentLine, assessmentResults } from '../../../src/issuance/assessment-results';
import type { AssessedGrade } from '../../../src/rules';
import { BASE_URL, latvianIssuer, minimalAward, minimalBadgeDefinition } from '../credentials/build/fixtures';

const grade = (over: Partial<AssessedGrade>): AssessedGrade => ({
  gradeItemId: '2',
  activityId: '1',
  name: 'Essay 1',
  isCourseTotal: false,
  grade: 85,
  min: 0,
  max: 100,
  pass: null,
  percent: 85,
  display: 'points',
  text: null,
  date: null,
  ...over,
});

/** Built into a whole credential, so every mapping is also checked against the official OB 3.0 schema. */
function credentialOf(assessment: AssessedGrade[]) {
  const { items, results } = assessmentResults(assessment);
  const credential = buildAchievementCredential({
    issuer: latvianIssuer(),
    achievement: { ...minimalBadgeDefinition(), assessedItems: items },
    award: { ...minimalAward(), results },
    baseUrl: BASE_URL,
  });
  assertValidCredential(credential);
  const subject = credential.credentialSubject as Record<string, any>;
  return { descriptions: subject.achievement.resultDescription as Array<Record<string, any>>, results: (subject.result ?? []) as Array<Record<string, any>> };
}

describe('issuance/assessment-results: Moodle grades → OB 3.0 ResultDescription and Result', () => {
  it('points: RawScore with the range; Moodle’s pass grade becomes requiredValue and decides Completed / Failed', () => {
    const { descriptions, results } = credentialOf([
      grade({ pass: 50 }),
      grade({ gradeItemId: '3', name: 'Final Project', grade: 8, max: 20, pass: 10, percent: 40 }),
    ]);
    assert.deepEqual(
      descriptions.map((d) => [d.name, d.resultType, d.valueMin, d.valueMax, d.requiredValue]),
      [
        ['Essay 1', 'RawScore', '0', '100', '50'],
        ['Final Project', 'RawScore', '0', '20', '10'],
      ],
    );
    assert.deepEqual(
      results.map((r) => [r.value, r.status]),
      [
        ['85', 'Completed'],
        ['8', 'Failed'],
      ],
    );
    assert.equal(results[0]!.resultDescription, descriptions[0]!.id);
  });

  it('no pass grade in Moodle: no requiredValue, a graded item is Completed, and the narrative says the pass grade is missing', () => {
    const { descriptions, results } = credentialOf([grade({})]);
    assert.equal(descriptions[0]!.requiredValue, undefined);
    assert.equal(results[0]!.status, 'Completed');
    assert.equal(assessmentLine(grade({})), 'Essay 1: 85 / 100 (no pass grade reported by Moodle)');
    assert.equal(assessmentLine(grade({ pass: 50 })), 'Essay 1: 85 / 100 (pass grade 50)');
  });

  it('percent: Percent 0–100, the pass grade converted to percent', () => {
    const { descriptions, results } = credentialOf([grade({ display: 'percent', grade: 15, max: 20, pass: 12, percent: 75 })]);
    assert.deepEqual([descriptions[0]!.resultType, descriptions[0]!.valueMax, descriptions[0]!.requiredValue], ['Percent', '100', '60']);
    assert.equal(results[0]!.value, '75');
  });

  it('scale: PerformanceLevel with the scale’s items as allowedValue (lowest first) and the pass item as requiredValue', () => {
    const scaleItems = ['Not yet competent', 'Competent', 'Excellent'];
    const { descriptions, results } = credentialOf([grade({ display: 'scale', grade: 2, min: 1, max: 3, pass: 2, text: 'Competent', scaleItems })]);
    assert.deepEqual(
      [descriptions[0]!.resultType, descriptions[0]!.allowedValue, descriptions[0]!.requiredValue],
      ['PerformanceLevel', scaleItems, 'Competent'],
    );
    assert.deepEqual([results[0]!.value, results[0]!.status], ['Competent', 'Completed']);
  });

  it('scale without its items known: the value Moodle shows, no allowedValue invented', () => {
    const { descriptions, results } = credentialOf([grade({ display: 'scale', grade: 2, min: 1, max: 3, text: 'Competent' })]);
    assert.equal(descriptions[0]!.allowedValue, undefined);
    assert.equal(results[0]!.value, 'Competent');
  });

  it('letter: LetterGrade with the letter Moodle shows', () => {
    const { descriptions, results } = credentialOf([grade({ display: 'letter', text: 'B+' })]);
    assert.equal(descriptions[0]!.resultType, 'LetterGrade');
    assert.equal(results[0]!.value, 'B+');
  });

  it('an ungraded item is described without a result; an excluded item is neither', () => {
    const { items, results } = assessmentResults([grade({ grade: null, percent: null }), grade({ gradeItemId: '3', name: 'Final Project' })], ['3']);
    assert.deepEqual(
      items.map((i) => i.name),
      ['Essay 1'],
    );
    assert.deepEqual(results, []);
  });
});
