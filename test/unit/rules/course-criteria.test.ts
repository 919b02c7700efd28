/**
 * A learner whose course is not completed is told which of Moodle's own criteria are missing, from
 * core_completion_get_course_completion_status and the activity states and grades behind them (the capture in
 * test/fixtures/moodle-ws: learner 5 failed Essay 1, Final Project not graded; learner 6 did nothing).
 */
import assert from 'node:assert/strict';
import fixture from '../../fixtures/moodle-ws/webservice-rest-completion-grades.json';
import { buildCourseStructure, buildLearnerSnapshot } from '../../../src/lms/moodle/snapshot-builder';
import type { ActivityStatus, CourseCompletionStatus, CourseContents, UserGradeReport } from '../../../src/lms/moodle/ws-schemas';
import { evaluate, explainDecision } from '../../../src/rules';

type Call = { wsfunction: string; params: Record<string, unknown>; response: unknown };
const calls = (fixture as { calls: Call[] }).calls;
const answer = (fn: string, userid?: number) => calls.find((c) => c.wsfunction === fn && c.params['userid'] === userid)!.response;

function snapshotOf(userId: number, change: (s: CourseCompletionStatus) => void = () => undefined) {
  const status = structuredClone(
    (answer('core_completion_get_course_completion_status', userId) as { completionstatus: CourseCompletionStatus }).completionstatus,
  );
  change(status);
  return buildLearnerSnapshot({
    platformId: 'p',
    courseId: '2',
    userId: String(userId),
    structure: buildCourseStructure({
      courseId: '2',
      course: { fullname: 'Open Badges Demo Course' },
      contents: answer('core_course_get_contents') as CourseContents,
    }),
    activityStatuses: (answer('core_completion_get_activities_completion_status', userId) as { statuses: ActivityStatus[] }).statuses,
    courseCompletion: status,
    grades: (answer('gradereport_user_get_grade_items', userId) as { usergrades: UserGradeReport[] }).usergrades[0]!,
    readAt: new Date('2026-12-01T00:00:00Z'),
  });
}

const NOW = new Date('2026-12-01T00:00:00Z');

describe("rules: course completion explained from Moodle's own criteria", () => {
  it('learner 5: Essay 1 graded below the pass grade, Final Project not graded yet (English and Latvian)', () => {
    const decision = evaluate({ type: 'courseCompleted' }, snapshotOf(5), NOW);
    assert.equal(decision.earned, false);
    assert.deepEqual(decision.progress, { done: 0, required: 2, fraction: 0 });
    const en = explainDecision(decision, 'en').join('\n');
    assert.match(
      en,
      /the course is not completed yet \(0 of 2 criteria met\)\. Missing: Essay 1: graded 40\/100, below the pass grade — not passed; Final Project: not graded yet\./,
    );
    const lv = explainDecision(decision, 'lv').join('\n');
    assert.match(
      lv,
      /kurss vēl nav pabeigts \(izpildīti 0 no 2 kritērijiem\)\. Trūkst: Essay 1: novērtēts 40\/100, zem sekmīga vērtējuma — nav nokārtots; Final Project: vēl nav novērtēts\./,
    );
  });

  it('progress counts the criteria met: one of two met → half way, and only the other one is listed', () => {
    const decision = evaluate(
      { type: 'courseCompleted' },
      snapshotOf(5, (s) => Object.assign(s.completions[0]!, { complete: true, timecompleted: 1795860395 })),
      NOW,
    );
    assert.deepEqual(decision.progress, { done: 1, required: 2, fraction: 0.5 });
    const en = explainDecision(decision, 'en').join('\n');
    assert.match(en, /\(1 of 2 criteria met\)\. Missing: Final Project: not graded yet\./);
    assert.doesNotMatch(en, /Essay 1: graded/);
  });

  it('any one criterion is enough (aggregation 2): one is required', () => {
    const decision = evaluate(
      { type: 'courseCompleted' },
      snapshotOf(6, (s) => Object.assign(s, { aggregation: 2 })),
      NOW,
    );
    assert.deepEqual(decision.progress, { done: 0, required: 1, fraction: 0 });
  });

  it('without criteria in the answer the sentence stays the plain one', () => {
    const decision = evaluate(
      { type: 'courseCompleted' },
      snapshotOf(6, (s) => Object.assign(s, { completions: [] })),
      NOW,
    );
    assert.match(explainDecision(decision, 'en').join('\n'), /the course is not completed yet\.$/m);
  });

  it('a module (section) rule names a failed activity with its grade (English and Latvian)', () => {
    // section 2 of the capture holds Essay 1 and the badge tools
    const decision = evaluate({ type: 'sectionCompleted', sectionId: '2' }, snapshotOf(5), NOW);
    assert.equal(decision.earned, false);
    assert.match(explainDecision(decision, 'en').join('\n'), /still to do: Essay 1 \(graded 40\/100, not passed\)/);
    assert.match(explainDecision(decision, 'lv').join('\n'), /vēl jāpabeidz: Essay 1 \(novērtēts 40\/100, nav nokārtots\)/);
  });
});
