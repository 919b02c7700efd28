import assert from 'node:assert/strict';
import { evaluate, explainDecision, type Rule } from '../../../src/rules';
import { NOW, completedStudent, failedStudent, inactiveStudent } from './fixtures';

const essayPass: Rule = { type: 'grade', target: { gradeItemId: '2' }, atLeast: { passGrade: true } };

describe('rules/explainDecision', () => {
  it('student2, Essay 1 below the pass grade, in English and Latvian', () => {
    const decision = evaluate(essayPass, failedStudent(), NOW);
    assert.deepEqual(explainDecision(decision, 'en'), ['In progress: 80% done.', 'Essay 1: your grade 40% is below the 50% needed.']);
    assert.deepEqual(explainDecision(decision, 'lv'), ['Jūsu virzība: 80%.', 'Essay 1: jūsu vērtējums 40% ir zemāks par nepieciešamajiem 50%.']);
  });

  it('names come from Moodle as they are: a Latvian course reads naturally', () => {
    const snapshot = failedStudent();
    snapshot.grades[0]!.name = 'Eseja 1';
    const [, line] = explainDecision(evaluate(essayPass, snapshot, NOW), 'lv');
    assert.equal(line, 'Eseja 1: jūsu vērtējums 40% ir zemāks par nepieciešamajiem 50%.');
  });

  it('complete-fail on an activity rule explains the grade behind it', () => {
    const decision = evaluate({ type: 'activityCompleted', activityId: '1' }, failedStudent(), NOW);
    assert.deepEqual(explainDecision(decision, 'en').slice(1), ['Essay 1: your grade 40% is below the 50% needed.']);
  });

  it('earned: the date the requirements were met, in each language', () => {
    const decision = evaluate({ type: 'all', rules: [{ type: 'courseCompleted' }, essayPass] }, completedStudent(), NOW);
    assert.deepEqual(explainDecision(decision, 'en'), [
      'You have earned this badge: the requirements were met on 28 November 2026.',
      'All of the following (2 of 2 done):',
      '  Open Badges Demo Course: course completed on 28 November 2026.',
      '  Essay 1: your grade 85% meets the 50% needed.',
    ]);
    assert.deepEqual(explainDecision(decision, 'lv'), [
      'Šī nozīmīte ir iegūta: prasības izpildītas 2026. gada 28. novembrī.',
      'Jāizpilda visas šīs prasības (izpildītas 2 no 2):',
      '  Open Badges Demo Course: kurss pabeigts 2026. gada 28. novembrī.',
      '  Essay 1: jūsu vērtējums 85% sasniedz nepieciešamos 50%.',
    ]);
  });

  it('dates follow the given time zone', () => {
    const snapshot = completedStudent();
    snapshot.courseCompletion = { completed: true, completedAt: new Date('2026-11-30T22:30:00Z') };
    const decision = evaluate({ type: 'courseCompleted' }, snapshot, NOW);
    assert.match(explainDecision(decision, 'en')[0]!, /30 November 2026/);
    assert.match(explainDecision(decision, 'en', { timeZone: 'Europe/Riga' })[0]!, /1 December 2026/);
    assert.match(explainDecision(decision, 'lv', { timeZone: 'Europe/Riga' })[0]!, /2026\. gada 1\. decembrī/);
  });

  it('not started', () => {
    const decision = evaluate({ type: 'courseCompleted' }, inactiveStudent(), NOW);
    assert.deepEqual(explainDecision(decision, 'en'), ['Not started yet.', 'Open Badges Demo Course: the course is not completed yet.']);
    assert.deepEqual(explainDecision(decision, 'lv'), ['Darbs pie šīs nozīmītes vēl nav sākts.', 'Open Badges Demo Course: kurss vēl nav pabeigts.']);
  });

  it('closed: says until when it could have been earned', () => {
    const decision = evaluate({ type: 'courseCompleted', window: { until: '2026-11-30' } }, failedStudent(), NOW);
    assert.equal(explainDecision(decision, 'en')[0], 'This badge can no longer be earned: the period ended on 30 November 2026.');
    assert.equal(explainDecision(decision, 'lv')[0], 'Šo nozīmīti vairs nevar iegūt: laika posms beidzās 2026. gada 30. novembrī.');
  });

  it('a section lists what is still to do', () => {
    const decision = evaluate({ type: 'sectionCompleted', sectionId: '2' }, completedStudent(), NOW);
    assert.deepEqual(explainDecision(decision, 'en').slice(1), ['New section: 2 of 3 activities completed; still to do: Badge tool (cross-site).']);
    assert.deepEqual(explainDecision(decision, 'lv').slice(1), ['New section: pabeigtas 2 no 3 aktivitātēm; vēl jāpabeidz: Badge tool (cross-site).']);
  });

  it('evidence outside the window says when it was done and which period counts', () => {
    const decision = evaluate({ type: 'activityCompleted', activityId: '1', window: { from: '2026-11-29', until: '2026-12-31' } }, completedStudent(), NOW);
    assert.equal(explainDecision(decision, 'en')[1], 'Essay 1: done on 28 November 2026, outside the period that counts (29 November 2026–31 December 2026).');
    assert.equal(
      explainDecision(decision, 'lv')[1],
      'Essay 1: izpildīts 2026. gada 28. novembrī, ārpus laika posma, kurā to ieskaita (29.11.2026.–31.12.2026.).',
    );
  });

  it('stacked badges use their display names when given', () => {
    const decision = evaluate({ type: 'badgeEarned', badgeId: 'essay-writer' }, inactiveStudent(), NOW);
    assert.equal(explainDecision(decision, 'en', { badgeNames: { 'essay-writer': 'Essay Writer' } })[1], 'Badge “Essay Writer”: not earned yet.');
    assert.equal(explainDecision(decision, 'lv', { badgeNames: { constructor: 'x' } })[1], 'Nozīmīte “essay-writer”: vēl nav iegūta.');
  });

  it('Latvian agreement: a singular after numbers ending in 1', () => {
    const snapshot = failedStudent();
    const points = (need: number) =>
      explainDecision(evaluate({ type: 'grade', target: { gradeItemId: '2' }, atLeast: { points: need } }, snapshot, NOW), 'lv')[1];
    assert.equal(points(41), 'Essay 1: jūsu vērtējums 40 ir zemāks par nepieciešamo 41 punktu.');
    assert.equal(points(45), 'Essay 1: jūsu vērtējums 40 ir zemāks par nepieciešamajiem 45 punktiem.');
    assert.equal(points(30), 'Essay 1: jūsu vērtējums 40 sasniedz nepieciešamos 30 punktus.');
  });

  it('every kind of explanation has a sentence in both languages', () => {
    const s1 = completedStudent();
    s1.courseCompletion = null;
    const rule: Rule = {
      type: 'all',
      rules: [
        { type: 'courseCompleted' },
        { type: 'activityCompleted', activityId: '99' },
        { type: 'activityCompleted', activityId: '4' },
        { type: 'activityCompleted', activityId: '1', states: ['complete-fail'] },
        { type: 'sectionCompleted', sectionId: '99' },
        { type: 'sectionCompleted', sectionId: '1' },
        { type: 'grade', target: { gradeItemId: '99' }, atLeast: { points: 1 } },
        { type: 'grade', target: { gradeItemId: '7' }, atLeast: { points: 1 } },
        { type: 'grade', target: { gradeItemId: '3' }, atLeast: { passGrade: true } },
        { type: 'any', rules: [{ type: 'badgeEarned', badgeId: 'b' }] },
      ],
    };
    const lines = explainDecision(evaluate(rule, s1, NOW), 'en');
    assert.deepEqual(lines, [
      'In progress: 0% done.',
      'All of the following (0 of 10 done):',
      '  Open Badges Demo Course: Moodle does not track completion of this course, so it cannot be checked.',
      '  An activity this badge needs (id 99) is no longer in the course.',
      '  Badge tool (dynamic): Moodle does not track completion of this activity, so it cannot count.',
      '  Essay 1: completed, but not in the way this badge asks for.',
      '  A section this badge needs (id 99) is no longer in the course.',
      '  General: no activity in this section has completion tracking, so it cannot be completed.',
      '  A grade this badge needs (grade item 99) is no longer in the course.',
      '  Badge tool (cross-site): not graded yet; 1 point is needed.',
      '  Final Project: no passing grade is set in Moodle, so this cannot be checked.',
      '  One of the following:',
      '    Badge “b”: not earned yet.',
    ]);
    const lv = explainDecision(evaluate(rule, s1, NOW), 'lv');
    assert.equal(lv.length, lines.length);
    assert.equal(lv[9], '  Badge tool (cross-site): vēl nav novērtēts; nepieciešams 1 punkts.');
  });
});
