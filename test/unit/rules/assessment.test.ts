import assert from 'node:assert/strict';
import { assessmentOf } from '../../../src/rules/assessment';
import { evaluate } from '../../../src/rules';
import { fixtureSnapshot } from '../../support/fixture-snapshot';

const snapshot = () => fixtureSnapshot('p', 4);
const ids = (rule: Parameters<typeof assessmentOf>[0]) =>
  assessmentOf(rule, snapshot())
    .map((g) => g.gradeItemId)
    .sort();

describe('rules/assessment: the grade items in a badge’s scope (real Moodle answers, learner 4)', () => {
  it('course rule: every grade item of the course and the course total', () => {
    assert.deepEqual(ids({ type: 'courseCompleted' }), ['1', '2', '3', '4', '5', '6', '7']);
  });

  it('section rule: the items of the section’s activities, and the course total', () => {
    const snap = snapshot();
    const section = snap.structure.sections.find((s) => s.activityIds.includes('2'))!;
    const expected = snap.grades
      .filter((g) => g.isCourseTotal || (g.activityId !== null && section.activityIds.includes(g.activityId)))
      .map((g) => g.gradeItemId)
      .sort();
    assert.deepEqual(ids({ type: 'sectionCompleted', sectionId: section.id }), expected);
    assert.ok(expected.includes('3'));
  });

  it('activity and grade rules: the named item; composites: the union; badge rules: the course total only', () => {
    assert.deepEqual(ids({ type: 'activityCompleted', activityId: '2' }), ['1', '3']);
    assert.deepEqual(ids({ type: 'grade', target: { gradeItemId: '2' }, atLeast: { percent: 50 } }), ['1', '2']);
    assert.deepEqual(
      ids({
        type: 'any',
        rules: [
          { type: 'activityCompleted', activityId: '1' },
          { type: 'activityCompleted', activityId: '2' },
        ],
      }),
      ['1', '2', '3'],
    );
    assert.deepEqual(ids({ type: 'badgeEarned', badgeId: 'b' }), ['1']);
  });

  it('carries the learner’s grade, range and pass grade (none reported by Moodle 4.x)', () => {
    const essay = assessmentOf({ type: 'courseCompleted' }, snapshot()).find((g) => g.gradeItemId === '2')!;
    assert.deepEqual(
      { grade: essay.grade, min: essay.min, max: essay.max, pass: essay.pass, display: essay.display },
      { grade: 85, min: 0, max: 100, pass: null, display: 'points' },
    );
  });

  it('evaluate() records it only on an earned decision', () => {
    assert.equal(evaluate({ type: 'courseCompleted' }, snapshot(), new Date('2026-12-01T00:00:00Z')).assessment?.length, 7);
    const notEarned = evaluate({ type: 'courseCompleted' }, fixtureSnapshot('p', 5), new Date('2026-12-01T00:00:00Z'));
    assert.equal(notEarned.earned, false);
    assert.equal(notEarned.assessment, undefined);
  });
});
