import assert from 'node:assert/strict';
import { explainFormatter } from '../../../src/rules/explain';
import { en, lv } from '../../../src/rules/explain-phrases';
import type { Explanation } from '../../../src/rules/types';

const fEn = explainFormatter('en');
const fLv = explainFormatter('lv');
const grade = (kind: 'grade-met' | 'grade-below' | 'grade-missing', need: number): Explanation =>
  kind === 'grade-missing' ? { kind, itemName: 'Eseja', need, unit: 'points' } : { kind, itemName: 'Eseja', have: 0, need, unit: 'points' };
const section = (done: number, required: number): Explanation => ({
  kind: 'section-incomplete',
  sectionName: 'Modulis',
  done,
  required,
  remaining: [{ activityId: '1', activityName: 'Tests', state: 'incomplete' }],
});

describe('rules/explain-phrases: plural forms', () => {
  it('the formatter gives the locale’s CLDR plural category', () => {
    assert.deepEqual(
      [0, 1, 2, 11, 21, 111, 1.5].map((n) => fLv.plural(n)),
      ['zero', 'one', 'other', 'zero', 'one', 'zero', 'other'],
    );
    assert.deepEqual(
      [0, 1, 21].map((n) => fEn.plural(n)),
      ['other', 'one', 'other'],
    );
  });

  // Latvian: after 1, 21, 101 the singular (in the case the words around it ask for); after 0, 11, 22, 1.5 the plural
  const latvian: Array<[number, string, string, string]> = [
    [1, 'nepieciešamo 1 punktu', 'nepieciešamo 1 punktu', 'nepieciešams 1 punkts'],
    [11, 'nepieciešamajiem 11 punktiem', 'nepieciešamos 11 punktus', 'nepieciešami 11 punkti'],
    [21, 'nepieciešamo 21 punktu', 'nepieciešamo 21 punktu', 'nepieciešams 21 punkts'],
    [22, 'nepieciešamajiem 22 punktiem', 'nepieciešamos 22 punktus', 'nepieciešami 22 punkti'],
    [101, 'nepieciešamo 101 punktu', 'nepieciešamo 101 punktu', 'nepieciešams 101 punkts'],
    [111, 'nepieciešamajiem 111 punktiem', 'nepieciešamos 111 punktus', 'nepieciešami 111 punkti'],
    [1.5, 'nepieciešamajiem 1,5 punktiem', 'nepieciešamos 1,5 punktus', 'nepieciešami 1,5 punkti'],
  ];
  for (const [need, below, reaches, needed] of latvian) {
    it(`Latvian points: ${need}`, () => {
      assert.equal(lv.explanation(grade('grade-below', need), fLv, 0), `Eseja: jūsu vērtējums 0 ir zemāks par ${below}.`);
      assert.equal(lv.explanation(grade('grade-met', need), fLv, 0), `Eseja: jūsu vērtējums 0 sasniedz ${reaches}.`);
      assert.equal(lv.explanation(grade('grade-missing', need), fLv, 0), `Eseja: vēl nav novērtēts; ${needed}.`);
    });
  }

  it('English points: one point, otherwise points', () => {
    assert.equal(en.explanation(grade('grade-missing', 1), fEn, 0), 'Eseja: not graded yet; 1 point is needed.');
    assert.equal(en.explanation(grade('grade-missing', 21), fEn, 0), 'Eseja: not graded yet; 21 points are needed.');
    assert.equal(en.explanation(grade('grade-below', 1.5), fEn, 0), 'Eseja: your grade 0 is below the 1.5 points needed.');
  });

  it('a section: the participle agrees with the activities done, the noun with those required', () => {
    assert.equal(lv.explanation(section(1, 21), fLv, 0), 'Modulis: pabeigta 1 no 21 aktivitātes; vēl jāpabeidz: Tests.');
    assert.equal(lv.explanation(section(11, 12), fLv, 0), 'Modulis: pabeigtas 11 no 12 aktivitātēm; vēl jāpabeidz: Tests.');
    assert.equal(en.explanation(section(0, 1), fEn, 0), 'Modulis: 0 of 1 activity completed; still to do: Tests.');
    assert.equal(en.explanation(section(1, 2), fEn, 0), 'Modulis: 1 of 2 activities completed; still to do: Tests.');
  });

  it('Moodle’s course criteria and a composite count agree too', () => {
    const course = (met: number, total: number): Explanation => ({
      kind: 'course-not-completed',
      courseName: 'Kurss',
      met,
      total,
      missing: [{ name: 'Tests', why: 'not-graded', grade: null, requirement: '' }],
    });
    assert.equal(lv.explanation(course(1, 2), fLv, 0), 'Kurss: kurss vēl nav pabeigts (izpildīts 1 no 2 kritērijiem). Trūkst: Tests: vēl nav novērtēts.');
    assert.equal(lv.explanation(course(0, 1), fLv, 0), 'Kurss: kurss vēl nav pabeigts (izpildīti 0 no 1 kritērija). Trūkst: Tests: vēl nav novērtēts.');
    assert.equal(en.explanation(course(0, 1), fEn, 0), 'Kurss: the course is not completed yet (0 of 1 criterion met). Missing: Tests: not graded yet.');
    const all = (metCount: number): Explanation => ({ kind: 'composite', mode: 'all', metCount, needCount: 2, counted: [] });
    assert.equal(lv.explanation(all(1), fLv, 2), 'Jāizpilda visas šīs prasības (izpildīta 1 no 2):');
    assert.equal(lv.explanation(all(2), fLv, 2), 'Jāizpilda visas šīs prasības (izpildītas 2 no 2):');
  });
});
