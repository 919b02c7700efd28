import assert from 'node:assert/strict';
import { parseBadgeDefinition } from '../../../src/badges/definition';
import { definitionInputFromForm, excludedFromForm, formFromDefinition } from '../../../src/badges/definition-form';
import { badgeDefinitionInput } from '../../support/builders';

describe('badges: which grade items the credential states (teacher’s ticks)', () => {
  it('every item shown and ticked: nothing excluded (the default)', () => {
    assert.deepEqual(excludedFromForm({ assessShown: ['1', '2', '3'], assessItem: ['1', '2', '3'] }), []);
  });

  it('an unticked item is excluded; one item ticked arrives as a plain string', () => {
    assert.deepEqual(excludedFromForm({ assessShown: ['1', '2', '3'], assessItem: '2' }), ['1', '3']);
    assert.deepEqual(excludedFromForm({ assessShown: ['1', '2'] }), ['1', '2']);
  });

  it('a form drawn without Moodle’s item list keeps the earlier choice', () => {
    assert.deepEqual(excludedFromForm({ excludedGradeItems: '3,5' }), ['3', '5']);
  });

  it('is stored in the definition and comes back to the form', () => {
    const parsed = parseBadgeDefinition(
      definitionInputFromForm(
        {
          ...formFromDefinition(null),
          nameEn: 'N',
          descriptionEn: 'D',
          criteriaEn: 'C',
          assessmentEn: 'A',
          qaEn: 'Q',
          assessShown: ['2', '3'],
          assessItem: ['2'],
        },
        { type: 'courseCompleted' },
      ),
    );
    assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.problems));
    assert.deepEqual(parsed.definition.excludedGradeItems, ['3']);
    assert.equal(formFromDefinition(parsed.definition).excludedGradeItems, '3');
  });

  it('a malformed list is a named problem', () => {
    const parsed = parseBadgeDefinition({ ...badgeDefinitionInput(), excludedGradeItems: ['ok', { $gt: '' }] });
    assert.equal(parsed.ok, false);
    assert.ok(!parsed.ok && parsed.problems.some((p) => p.field === 'excludedGradeItems'));
  });
});
