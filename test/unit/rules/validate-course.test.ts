import assert from 'node:assert/strict';
import { validateRuleAgainstCourse, type Rule } from '../../../src/rules';
import { courseStructure } from './fixtures';

describe('rules/validateRuleAgainstCourse (course 2)', () => {
  it('a rule naming real, tracked things has no problems', () => {
    const rule: Rule = {
      type: 'all',
      rules: [
        { type: 'activityCompleted', activityId: '1' },
        { type: 'sectionCompleted', sectionId: '3' },
        { type: 'grade', target: { gradeItemId: '3' }, atLeast: { points: 10 } },
        { type: 'grade', target: { courseTotal: true }, atLeast: { percent: 50 } },
        { type: 'courseCompleted' },
        { type: 'badgeEarned', badgeId: 'anything' },
      ],
    };
    assert.deepEqual(validateRuleAgainstCourse(rule, courseStructure()), []);
  });

  it('reports ids that do not exist, and things that can never be completed, with their paths', () => {
    const rule: Rule = {
      type: 'any',
      rules: [
        { type: 'activityCompleted', activityId: '42' },
        { type: 'activityCompleted', activityId: '4' },
        {
          type: 'atLeast',
          count: 1,
          rules: [
            { type: 'sectionCompleted', sectionId: '9' },
            { type: 'sectionCompleted', sectionId: '1' },
          ],
        },
        { type: 'grade', target: { gradeItemId: '5' }, atLeast: { points: 1 } },
        { type: 'badgeEarned', badgeId: 'ghost' },
      ],
    };
    const problems = validateRuleAgainstCourse(rule, courseStructure(), { badgeIds: ['essay-writer'] });
    assert.deepEqual(
      problems.map((p) => `${p.path} ${p.code}`),
      [
        '$.rules[0].activityId not-in-course',
        '$.rules[1].activityId not-tracked',
        '$.rules[2].rules[0].sectionId not-in-course',
        '$.rules[2].rules[1].sectionId not-tracked',
        '$.rules[3].target.gradeItemId not-in-course',
        '$.rules[4].badgeId not-in-course',
      ],
    );
    assert.equal(problems[0]!.message, 'there is no activity with id 42 in Open Badges Demo Course');
    assert.equal(problems[1]!.message, 'Badge tool (dynamic) has no completion tracking, so nobody can complete it: turn on completion in its Moodle settings');
  });

  it('a manual grade item (not attached to an activity) is known once the full list of grade items is given', () => {
    const rule: Rule = { type: 'grade', target: { gradeItemId: '5' }, atLeast: { points: 1 } };
    assert.equal(validateRuleAgainstCourse(rule, courseStructure()).length, 1);
    assert.deepEqual(validateRuleAgainstCourse(rule, courseStructure(), { gradeItemIds: ['1', '2', '3', '4', '5', '6', '7'] }), []);
  });
});
