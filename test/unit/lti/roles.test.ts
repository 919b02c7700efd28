import assert from 'node:assert/strict';
import { mapRoles, primaryRole } from '../../../src/lti/roles';

const LIS = 'http://purl.imsglobal.org/vocab/lis/v2/';

describe('mapRoles', () => {
  const table: Array<[string[], boolean, string[]]> = [
    [[`${LIS}membership#Instructor`], false, ['teacher']],
    [[`${LIS}membership#ContentDeveloper`], false, ['teacher']],
    [[`${LIS}membership/Instructor#TeachingAssistant`], false, ['teacher']],
    [[`${LIS}membership#Administrator`], false, ['teacher']],
    [[`${LIS}membership#Learner`], false, ['student']],
    [['Learner'], false, ['student']],
    [[`${LIS}institution/person#Administrator`], false, ['registrar']],
    [[`${LIS}system/person#Administrator`, `${LIS}membership#Instructor`], false, ['registrar', 'teacher']],
    [[`${LIS}membership#Learner`], true, ['registrar', 'student']],
    [[`${LIS}membership#Mentor`], false, []],
    [[`${LIS}institution/person#Instructor`], false, []],
    [[], false, []],
  ];
  for (const [lis, configured, expected] of table) {
    it(`${lis.map((r) => r.replace(LIS, '')).join(', ') || '(none)'}${configured ? ' + configured registrar' : ''} → ${expected.join(', ') || '(none)'}`, () => {
      assert.deepEqual(mapRoles(lis, configured), expected);
    });
  }
  it('primaryRole lands teachers on the course page before the registrar page', () => {
    assert.equal(primaryRole(['registrar', 'teacher']), 'teacher');
    assert.equal(primaryRole(['registrar']), 'registrar');
    assert.equal(primaryRole([]), null);
  });
});
