import assert from 'node:assert/strict';
import { parseBadgeDefinition } from '../../../src/badges/definition';
import { badgeDefinitionInput as fullDefinition } from '../../support/builders';

describe('parseBadgeDefinition', () => {
  it('accepts a complete Latvian micro-credential definition', () => {
    const r = parseBadgeDefinition(fullDefinition());
    assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
    if (r.ok) {
      assert.equal(r.definition.name.lv, 'Akadēmiskā rakstīšana');
      assert.deepEqual(r.definition.nationalFrameworkLevel, { framework: 'LKI', level: 5 });
      assert.equal(r.definition.ectsCredits, 6);
    }
  });

  it('fills sensible defaults for a minimal badge', () => {
    const r = parseBadgeDefinition({
      name: { en: 'Finisher' },
      description: { en: 'Finished the course' },
      criteriaNarrative: { en: 'Complete the course' },
      assessmentType: { en: 'Completion' },
      qualityAssurance: { en: 'Course team review' },
      rule: { type: 'courseCompleted' },
    });
    assert.ok(r.ok);
    if (r.ok) {
      assert.equal(r.definition.achievementType, 'MicroCredential');
      assert.equal(r.definition.participationForm, 'online');
      assert.deepEqual(r.definition.inLanguage, ['en']);
      assert.equal(r.definition.imageTemplate, 'medal');
    }
  });

  const broken: Array<[string, Record<string, unknown>, string]> = [
    ['no name', { name: { en: '' } }, 'name.en'],
    ['unknown type', { achievementType: 'Diploma' }, 'achievementType'],
    ['EQF 9', { eqfLevel: 9 }, 'eqfLevel'],
    ['EQF 2.5', { eqfLevel: 2.5 }, 'eqfLevel'],
    ['negative ECTS', { ectsCredits: -1 }, 'ectsCredits'],
    ['LKI level text', { nationalFrameworkLevel: { framework: 'LKI', level: 'high' } }, 'nationalFrameworkLevel.level'],
    ['bad participation', { participationForm: 'mail' }, 'participationForm'],
    ['bad language', { inLanguage: ['Latvian'] }, 'inLanguage'],
    ['outcome without text', { learningOutcomes: [{ text: {} }] }, 'learningOutcomes[0].text.en'],
    ['outcome with a bad URL', { learningOutcomes: [{ text: { en: 'x' }, targetUrl: 'javascript:alert(1)' }] }, 'learningOutcomes[0].targetUrl'],
    ['outcomes not a list', { learningOutcomes: 'many' }, 'learningOutcomes'],
    ['template path traversal', { imageTemplate: '../../etc/passwd' }, 'imageTemplate'],
    ['no rule', { rule: undefined }, 'rule'],
  ];
  for (const [what, patch, field] of broken) {
    it(`refuses ${what}, naming ${field}`, () => {
      const r = parseBadgeDefinition({ ...fullDefinition(), ...patch });
      assert.equal(r.ok, false);
      if (!r.ok)
        assert.ok(
          r.problems.some((p) => p.field === field),
          JSON.stringify(r.problems),
        );
    });
  }

  it('reports every problem at once and never throws on junk', () => {
    const r = parseBadgeDefinition({ eqfLevel: 'x', ectsCredits: 'y', name: 5 });
    assert.equal(r.ok, false);
    if (!r.ok) assert.ok(r.problems.length >= 6);
    for (const junk of [null, undefined, 42, 'text', [], [1], { __proto__: { polluted: true } }]) {
      assert.equal(parseBadgeDefinition(junk).ok, false);
    }
  });
});
