import assert from 'node:assert/strict';
import { evaluate, type Decision, type Explanation, type Rule } from '../../../src/rules';
import { NOW, TIMES, at, completedStudent, failedStudent, inactiveStudent } from './fixtures';

interface Expectation {
  status: Decision['status'];
  explanation?: Partial<Explanation>;
  progress?: Partial<Decision['progress']>;
}

interface Row {
  name: string;
  rule: Rule;
  student1: Expectation;
  student2: Expectation;
  student3: Expectation;
}

const essayDone: Rule = { type: 'activityCompleted', activityId: '1' };
const projectDone: Rule = { type: 'activityCompleted', activityId: '2' };
const notStarted = (explanation: Partial<Explanation>): Expectation => ({
  status: 'not-started',
  explanation,
  progress: { done: 0, fraction: 0 },
});

const rows: Row[] = [
  {
    name: 'courseCompleted',
    rule: { type: 'courseCompleted' },
    student1: { status: 'earned', explanation: { kind: 'course-completed' }, progress: { done: 1, required: 1, fraction: 1 } },
    student2: { status: 'in-progress', explanation: { kind: 'course-not-completed' }, progress: { done: 0, required: 1 } },
    student3: notStarted({ kind: 'course-not-completed' }),
  },
  {
    name: 'activityCompleted Essay 1 (default states)',
    rule: essayDone,
    student1: { status: 'earned', explanation: { kind: 'activity-completed', state: 'complete-pass' } },
    student2: {
      status: 'in-progress',
      explanation: {
        kind: 'activity-state-not-accepted',
        state: 'complete-fail',
        accepted: ['complete', 'complete-pass'],
        grade: { have: 40, need: 50, unit: 'percent' },
      },
      progress: { done: 0, required: 1, fraction: 0 },
    },
    student3: notStarted({ kind: 'activity-incomplete', activityName: 'Essay 1' }),
  },
  {
    name: 'activityCompleted Essay 1, only complete-pass',
    rule: { type: 'activityCompleted', activityId: '1', states: ['complete-pass'] },
    student1: { status: 'earned' },
    student2: { status: 'in-progress', explanation: { kind: 'activity-state-not-accepted', state: 'complete-fail' } },
    student3: notStarted({ kind: 'activity-incomplete' }),
  },
  {
    name: 'activityCompleted Essay 1, any completion incl. a failed one ("attempted")',
    rule: { type: 'activityCompleted', activityId: '1', states: ['complete', 'complete-pass', 'complete-fail'] },
    student1: { status: 'earned' },
    student2: { status: 'earned', explanation: { kind: 'activity-completed', state: 'complete-fail' } },
    student3: notStarted({ kind: 'activity-incomplete' }),
  },
  {
    name: 'activityCompleted Final Project (viewing alone leaves it incomplete)',
    rule: projectDone,
    student1: { status: 'earned' },
    student2: notStarted({ kind: 'activity-incomplete', activityName: 'Final Project' }),
    student3: notStarted({ kind: 'activity-incomplete' }),
  },
  {
    name: 'sectionCompleted section 3 (Final Project; its untracked tool does not count)',
    rule: { type: 'sectionCompleted', sectionId: '3' },
    student1: { status: 'earned', explanation: { kind: 'section-completed', done: 1, required: 1 } },
    student2: notStarted({ kind: 'section-incomplete', done: 0, required: 1 }),
    student3: notStarted({ kind: 'section-incomplete' }),
  },
  {
    name: 'sectionCompleted section 2 (Essay 1 + two badge tool links)',
    rule: { type: 'sectionCompleted', sectionId: '2' },
    student1: {
      status: 'in-progress',
      explanation: {
        kind: 'section-incomplete',
        done: 2,
        required: 3,
        remaining: [{ activityId: '5', activityName: 'Badge tool (cross-site)', state: 'incomplete' }],
      },
      progress: { done: 2, required: 3, fraction: 2 / 3 },
    },
    student2: { status: 'in-progress', explanation: { kind: 'section-incomplete', done: 0, required: 3 }, progress: { done: 0 } },
    student3: notStarted({ kind: 'section-incomplete', done: 0, required: 3 }),
  },
  {
    name: 'grade Essay 1 ≥ 50 %',
    rule: { type: 'grade', target: { gradeItemId: '2' }, atLeast: { percent: 50 } },
    student1: { status: 'earned', explanation: { kind: 'grade-met', have: 85, need: 50, unit: 'percent' } },
    student2: {
      status: 'in-progress',
      explanation: { kind: 'grade-below', itemName: 'Essay 1', have: 40, need: 50, unit: 'percent' },
      progress: { done: 40, required: 50, fraction: 0.8 },
    },
    student3: notStarted({ kind: 'grade-missing', itemName: 'Essay 1', need: 50, unit: 'percent' }),
  },
  {
    name: 'grade Essay 1 ≥ its pass grade',
    rule: { type: 'grade', target: { gradeItemId: '2' }, atLeast: { passGrade: true } },
    student1: { status: 'earned', explanation: { kind: 'grade-met', have: 85, need: 50 } },
    student2: { status: 'in-progress', explanation: { kind: 'grade-below', have: 40, need: 50, unit: 'percent' } },
    student3: notStarted({ kind: 'grade-missing', need: 50 }),
  },
  {
    name: 'grade Final Project ≥ 15 points',
    rule: { type: 'grade', target: { gradeItemId: '3' }, atLeast: { points: 15 } },
    student1: { status: 'earned', explanation: { kind: 'grade-met', have: 18, need: 15, unit: 'points' } },
    student2: notStarted({ kind: 'grade-missing', itemName: 'Final Project', need: 15, unit: 'points' }),
    student3: notStarted({ kind: 'grade-missing' }),
  },
  {
    name: 'grade Final Project ≥ pass grade, which Moodle does not have',
    rule: { type: 'grade', target: { gradeItemId: '3' }, atLeast: { passGrade: true } },
    student1: { status: 'in-progress', explanation: { kind: 'pass-grade-not-set', itemName: 'Final Project' } },
    student2: notStarted({ kind: 'pass-grade-not-set' }),
    student3: notStarted({ kind: 'pass-grade-not-set' }),
  },
  {
    name: 'grade course total ≥ 80 %',
    rule: { type: 'grade', target: { courseTotal: true }, atLeast: { percent: 80 } },
    student1: { status: 'earned', explanation: { kind: 'grade-met', have: 83.91, need: 80 } },
    student2: { status: 'in-progress', explanation: { kind: 'grade-below', have: 40, need: 80 }, progress: { done: 40, required: 80, fraction: 0.5 } },
    student3: notStarted({ kind: 'grade-missing', itemName: 'Course total' }),
  },
  {
    name: 'badgeEarned (none of them holds it)',
    rule: { type: 'badgeEarned', badgeId: 'essay-writer' },
    student1: notStarted({ kind: 'badge-not-earned', badgeId: 'essay-writer' }),
    student2: notStarted({ kind: 'badge-not-earned' }),
    student3: notStarted({ kind: 'badge-not-earned' }),
  },
  {
    name: 'all of Essay 1 and Final Project',
    rule: { type: 'all', rules: [essayDone, projectDone] },
    student1: { status: 'earned', explanation: { kind: 'composite', mode: 'all', metCount: 2, needCount: 2, counted: [0, 1] } },
    student2: { status: 'in-progress', explanation: { kind: 'composite', metCount: 0, needCount: 2 }, progress: { done: 0, required: 2 } },
    student3: notStarted({ kind: 'composite', metCount: 0, needCount: 2, counted: [] }),
  },
  {
    name: 'any of Essay 1 ≥ 50 % or Final Project ≥ 15 points',
    rule: {
      type: 'any',
      rules: [
        { type: 'grade', target: { gradeItemId: '2' }, atLeast: { percent: 50 } },
        { type: 'grade', target: { gradeItemId: '3' }, atLeast: { points: 15 } },
      ],
    },
    student1: { status: 'earned', explanation: { kind: 'composite', mode: 'any', metCount: 2, needCount: 1, counted: [0] } },
    student2: { status: 'in-progress', progress: { done: 0, required: 1, fraction: 0.8 } },
    student3: notStarted({ kind: 'composite', mode: 'any' }),
  },
  {
    name: 'atLeast 2 of Badge tool, Essay 1, Final Project',
    rule: { type: 'atLeast', count: 2, rules: [{ type: 'activityCompleted', activityId: '3' }, essayDone, projectDone] },
    student1: { status: 'earned', explanation: { kind: 'composite', mode: 'atLeast', metCount: 3, needCount: 2, counted: [1, 2] } },
    student2: { status: 'in-progress', progress: { done: 0, required: 2, fraction: 0 } },
    student3: notStarted({ kind: 'composite', mode: 'atLeast', metCount: 0 }),
  },
];

const learners = [
  ['student1', completedStudent],
  ['student2', failedStudent],
  ['student3', inactiveStudent],
] as const;

describe('rules/evaluate on the three captured learners', () => {
  for (const row of rows)
    describe(row.name, () => {
      for (const [who, build] of learners)
        it(`${who} → ${row[who].status}`, () => {
          const expected = row[who];
          const decision = evaluate(row.rule, build(), NOW);
          assert.equal(decision.status, expected.status);
          assert.equal(decision.earned, expected.status === 'earned');
          if (expected.explanation) assert.deepEqual(pick(decision.criteria.explanation, expected.explanation), expected.explanation);
          if (expected.progress) assert.deepEqual(pick(decision.progress, expected.progress), expected.progress);
          if (decision.earned) assert.equal(decision.progress.fraction, 1);
          else assert.deepEqual(decision.evidence, []);
        });
    });
});

describe('rules/evaluate evidence and dates', () => {
  it('course completion: the evidence is the completion, dated by the cron run', () => {
    const decision = evaluate({ type: 'courseCompleted' }, completedStudent(), NOW);
    assert.deepEqual(decision.evidence, [{ kind: 'course-completion', courseId: '2', name: 'Open Badges Demo Course', date: at(TIMES.courseCompleted) }]);
    assert.deepEqual(decision.earnedAt, at(TIMES.courseCompleted));
  });

  it('all: earnedAt is the latest evidence date; each completion is embedded with its state and date', () => {
    const decision = evaluate({ type: 'all', rules: [essayDone, { type: 'activityCompleted', activityId: '3' }] }, completedStudent(), NOW);
    assert.deepEqual(decision.evidence, [
      { kind: 'activity-completion', activityId: '1', name: 'Essay 1', state: 'complete-pass', date: at(TIMES.graded) },
      { kind: 'activity-completion', activityId: '3', name: 'Badge tool', state: 'complete', date: at(TIMES.badgeToolViewed) },
    ]);
    assert.deepEqual(decision.earnedAt, at(TIMES.badgeToolViewed));
  });

  it('grade evidence carries the grade, its range and percentage', () => {
    const decision = evaluate({ type: 'grade', target: { gradeItemId: '3' }, atLeast: { points: 15 } }, completedStudent(), NOW);
    assert.deepEqual(decision.evidence, [
      {
        kind: 'grade',
        gradeItemId: '3',
        activityId: '2',
        name: 'Final Project',
        value: { grade: 18, min: 0, max: 20, percent: 90 },
        date: at(TIMES.graded),
      },
    ]);
  });

  it('atLeast picks the branches satisfied first and embeds only their evidence', () => {
    // Badge tool viewed at 10:08:13, Essay 1 and Final Project completed at 10:06:35.
    const decision = evaluate(
      { type: 'atLeast', count: 2, rules: [{ type: 'activityCompleted', activityId: '3' }, essayDone, projectDone] },
      completedStudent(),
      NOW,
    );
    assert.deepEqual(
      decision.evidence.map((e) => e.kind === 'activity-completion' && e.activityId),
      ['1', '2'],
    );
    assert.deepEqual(decision.earnedAt, at(TIMES.graded));
  });

  it('any: ties on date go to the first listed branch', () => {
    const decision = evaluate({ type: 'any', rules: [projectDone, essayDone] }, completedStudent(), NOW);
    assert.deepEqual(decision.criteria.explanation, { kind: 'composite', mode: 'any', metCount: 2, needCount: 1, counted: [0] });
    assert.equal(decision.evidence.length, 1);
  });

  it('the same activity named twice is embedded once', () => {
    const decision = evaluate({ type: 'all', rules: [essayDone, { type: 'sectionCompleted', sectionId: '3' }, essayDone] }, completedStudent(), NOW);
    assert.deepEqual(
      decision.evidence.map((e) => e.kind === 'activity-completion' && e.activityId),
      ['1', '2'],
    );
  });

  it('evidence dates are copies, not the snapshot’s Date objects', () => {
    const snapshot = completedStudent();
    const decision = evaluate(essayDone, snapshot, NOW);
    const [evidence] = decision.evidence;
    assert.ok(evidence && evidence.date);
    assert.notEqual(evidence.date, snapshot.activities[0]!.completedAt);
  });

  it('not earned: node evidence shows what was found (the failing completion and grade) but the decision embeds none', () => {
    const decision = evaluate(essayDone, failedStudent(), NOW);
    assert.deepEqual(
      decision.criteria.evidence.map((e) => e.kind),
      ['activity-completion', 'grade'],
    );
    assert.deepEqual(decision.evidence, []);
    assert.equal(decision.earnedAt, null);
  });

  it('a completion without a date still earns without a window; earnedAt is then null', () => {
    const snapshot = completedStudent();
    snapshot.activities[0]!.completedAt = null;
    const decision = evaluate(essayDone, snapshot, NOW);
    assert.equal(decision.status, 'earned');
    assert.equal(decision.earnedAt, null);
  });
});

describe('rules/evaluate missing things', () => {
  it('an activity removed from the course is unmet, with activity-missing, even if an old completion lingers', () => {
    const snapshot = completedStudent();
    snapshot.structure.activities = snapshot.structure.activities.filter((a) => a.id !== '1');
    const decision = evaluate(essayDone, snapshot, NOW);
    assert.equal(decision.earned, false);
    assert.deepEqual(decision.criteria.explanation, { kind: 'activity-missing', activityId: '1' });
    assert.equal(decision.status, 'not-started');
  });

  it('an activity without completion tracking cannot count', () => {
    const decision = evaluate({ type: 'activityCompleted', activityId: '4' }, completedStudent(), NOW);
    assert.deepEqual(decision.criteria.explanation, { kind: 'activity-not-tracked', activityName: 'Badge tool (dynamic)' });
  });

  it('a missing section, grade item, course total', () => {
    const s = completedStudent();
    assert.deepEqual(evaluate({ type: 'sectionCompleted', sectionId: '9' }, s, NOW).criteria.explanation, { kind: 'section-missing', sectionId: '9' });
    assert.deepEqual(evaluate({ type: 'grade', target: { gradeItemId: '99' }, atLeast: { percent: 1 } }, s, NOW).criteria.explanation, {
      kind: 'grade-item-missing',
      gradeItemId: '99',
    });
    s.grades = s.grades.filter((g) => !g.isCourseTotal);
    assert.deepEqual(evaluate({ type: 'grade', target: { courseTotal: true }, atLeast: { percent: 1 } }, s, NOW).criteria.explanation, {
      kind: 'course-total-missing',
    });
  });

  it('a section with no tracked activity never hands out a badge', () => {
    const decision = evaluate({ type: 'sectionCompleted', sectionId: '1' }, completedStudent(), NOW);
    assert.equal(decision.earned, false);
    assert.deepEqual(decision.criteria.explanation, { kind: 'section-has-no-tracked-activities', sectionName: 'General' });
  });

  it('course completion unknown (tracking off in Moodle)', () => {
    const snapshot = completedStudent();
    snapshot.courseCompletion = null;
    const decision = evaluate({ type: 'courseCompleted' }, snapshot, NOW);
    assert.deepEqual(decision.criteria.explanation, { kind: 'course-completion-unknown', courseName: 'Open Badges Demo Course' });
    assert.equal(decision.status, 'in-progress');
  });

  it('misuse throws: an invalid `now`, a window date that never went through parseRule', () => {
    assert.throws(() => evaluate(essayDone, completedStudent(), new Date(Number.NaN)), RangeError);
    assert.throws(() => evaluate({ ...essayDone, window: { until: '31/03/2027' } }, completedStudent(), NOW), RangeError);
  });
});

describe('rules/evaluate stacking (badgeEarned)', () => {
  const stacked: Rule = {
    type: 'all',
    rules: [{ type: 'badgeEarned', badgeId: 'essay-writer' }, { type: 'badgeEarned', badgeId: 'project-maker' }, { type: 'courseCompleted' }],
  };

  it('earned when the learner holds both micro-credentials and completed the course', () => {
    const snapshot = completedStudent();
    snapshot.earnedBadgeIds = ['project-maker', 'essay-writer'];
    const decision = evaluate(stacked, snapshot, NOW);
    assert.equal(decision.status, 'earned');
    assert.deepEqual(decision.evidence, [
      { kind: 'badge', badgeId: 'essay-writer', date: null },
      { kind: 'badge', badgeId: 'project-maker', date: null },
      { kind: 'course-completion', courseId: '2', name: 'Open Badges Demo Course', date: at(TIMES.courseCompleted) },
    ]);
    // Badges are undated in the snapshot, so the dated evidence decides.
    assert.deepEqual(decision.earnedAt, at(TIMES.courseCompleted));
  });

  it('one badge short: in progress, 2 of 3', () => {
    const snapshot = completedStudent();
    snapshot.earnedBadgeIds = ['essay-writer'];
    const decision = evaluate(stacked, snapshot, NOW);
    assert.equal(decision.status, 'in-progress');
    assert.deepEqual(decision.progress, { done: 2, required: 3, fraction: 2 / 3 });
  });

  it('a badge-only rule earns with earnedAt null (no dates to go by)', () => {
    const snapshot = inactiveStudent();
    snapshot.earnedBadgeIds = ['essay-writer'];
    const decision = evaluate({ type: 'badgeEarned', badgeId: 'essay-writer' }, snapshot, NOW);
    assert.equal(decision.status, 'earned');
    assert.equal(decision.earnedAt, null);
  });
});

describe('rules/evaluate windows', () => {
  const courseDone = (window: Rule['window']): Rule => ({ type: 'courseCompleted', window });

  it('evidence inside the window earns, also when evaluated after the window closed', () => {
    const decision = evaluate(courseDone({ from: '2026-11-28', until: '2026-11-30' }), completedStudent(), NOW);
    assert.equal(decision.status, 'earned');
    assert.deepEqual(decision.window, { from: new Date('2026-11-28T00:00:00.000Z'), until: new Date('2026-11-30T23:59:59.999Z') });
  });

  it('a date-only `until` covers that whole day (UTC)', () => {
    assert.equal(evaluate(courseDone({ until: '2026-11-28' }), completedStudent(), NOW).status, 'earned');
  });

  it('a date-time `until` with an offset is exact: 12:00 in Riga is 10:00 UTC, before the 10:07 completion', () => {
    const decision = evaluate(courseDone({ until: '2026-11-28T12:00:00+02:00' }), completedStudent(), NOW);
    assert.equal(decision.status, 'closed');
    assert.equal(decision.earned, false);
    assert.deepEqual(decision.criteria.explanation, {
      kind: 'outside-window',
      name: 'Open Badges Demo Course',
      date: at(TIMES.courseCompleted),
      from: null,
      until: new Date('2026-11-28T10:00:00.000Z'),
    });
  });

  it('window passed with criteria unmet → closed, for the failed and the inactive student alike', () => {
    const rule: Rule = { type: 'all', rules: [essayDone, projectDone], window: { until: '2026-11-30' } };
    assert.equal(evaluate(rule, failedStudent(), NOW).status, 'closed');
    assert.equal(evaluate(rule, inactiveStudent(), NOW).status, 'closed');
    assert.equal(evaluate(rule, completedStudent(), NOW).status, 'earned');
  });

  it('before `until` the same learners are still in progress / not started', () => {
    const rule: Rule = { type: 'all', rules: [essayDone, projectDone], window: { until: '2026-12-31' } };
    assert.equal(evaluate(rule, failedStudent(), NOW).status, 'in-progress');
    assert.equal(evaluate(rule, inactiveStudent(), NOW).status, 'not-started');
  });

  it('evidence before `from` does not count and does not count as a start either', () => {
    const rule: Rule = { type: 'all', rules: [essayDone, projectDone], window: { from: '2026-11-29' } };
    const decision = evaluate(rule, completedStudent(), NOW);
    assert.equal(decision.status, 'not-started');
    assert.equal(decision.criteria.children[0]!.explanation.kind, 'outside-window');
  });

  it('only the evidence inside the window counts towards a section', () => {
    const snapshot = completedStudent();
    snapshot.activities[2] = { activityId: '5', state: 'complete', completedAt: new Date('2026-11-28T11:00:00Z') };
    // Essay 1 (10:06:35) falls before the window; Badge tool (10:08:13) and the cross-site tool (11:00) inside it.
    const rule: Rule = { type: 'sectionCompleted', sectionId: '2', window: { from: '2026-11-28T10:07:00Z' } };
    const decision = evaluate(rule, snapshot, NOW);
    assert.equal(decision.status, 'in-progress');
    assert.deepEqual(decision.progress, { done: 2, required: 3, fraction: 2 / 3 });
    assert.deepEqual(decision.criteria.explanation.kind === 'section-incomplete' && decision.criteria.explanation.remaining, [
      { activityId: '1', activityName: 'Essay 1', state: 'complete-pass' },
    ]);
  });

  it('grades must be dated inside the window too', () => {
    const rule: Rule = { type: 'grade', target: { gradeItemId: '2' }, atLeast: { percent: 50 }, window: { from: '2026-11-28T10:10:00Z' } };
    const decision = evaluate(rule, completedStudent(), NOW);
    assert.equal(decision.earned, false);
    assert.equal(decision.criteria.explanation.kind, 'outside-window');
  });

  it('undated completions cannot be shown to fall inside a window', () => {
    const snapshot = completedStudent();
    snapshot.activities[0]!.completedAt = null;
    const decision = evaluate({ ...essayDone, window: { from: '2026-01-01' } }, snapshot, NOW);
    assert.equal(decision.earned, false);
    assert.deepEqual(decision.criteria.explanation, {
      kind: 'outside-window',
      name: 'Essay 1',
      date: null,
      from: new Date('2026-01-01T00:00:00.000Z'),
      until: null,
    });
  });

  it('earned badges are not checked against the window (the snapshot has no dates for them)', () => {
    const snapshot = inactiveStudent();
    snapshot.earnedBadgeIds = ['essay-writer'];
    const decision = evaluate({ type: 'badgeEarned', badgeId: 'essay-writer', window: { until: '2026-11-30' } }, snapshot, NOW);
    assert.equal(decision.status, 'earned');
  });
});

/** The subset of `actual` named by `expected`'s keys, for partial deep comparison. */
function pick<T extends object>(actual: T, expected: Partial<T>): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(expected) as Array<keyof T>) out[key] = actual[key];
  return out;
}
