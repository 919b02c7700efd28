/**
 * fast-check arbitraries for rules and learner snapshots. Rules draw their ids from the same small pools as the
 * snapshots (plus ids that exist nowhere), so generated rules hit real activities, grades and badges often.
 */
import fc from 'fast-check';
import type { ActivityCompletion, CompletionState, CourseActivity, CourseSection, GradeItemResult, LearnerSnapshot } from '../../../src/rules/snapshot';
import type { AcceptedCompletionState, Criterion, Rule, RuleWindow } from '../../../src/rules';

export const ACTIVITY_IDS = ['1', '2', '3', '4', '5', '6'] as const;
export const SECTION_IDS = ['s1', 's2', 's3'] as const;
export const BADGE_IDS = ['b1', 'b2', 'b3'] as const;
const gradeItemOf = (activityId: string) => `g${activityId}`;
const COURSE_TOTAL_ID = 'total';

/** Dates within a year around the fixtures' capture. */
const MIN_TIME = Date.parse('2026-06-01T00:00:00Z');
const MAX_TIME = Date.parse('2027-06-01T00:00:00Z');
export const arbDate = fc.integer({ min: MIN_TIME, max: MAX_TIME }).map((t) => new Date(t));

/** fast-check may otherwise build null-prototype objects, which deep equality tells apart from parsed ones. */
const PLAIN = { noNullPrototype: true } as const;

const ACCEPTED: AcceptedCompletionState[] = ['complete', 'complete-pass', 'complete-fail'];
const STATES: CompletionState[] = ['incomplete', ...ACCEPTED];

// ——— rules ———

const arbId = (known: readonly string[]) =>
  fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: fc.constantFrom('missing', 'x'.repeat(100)) });
const arbStates = fc.shuffledSubarray(ACCEPTED, { minLength: 1 });

const arbLeaf: fc.Arbitrary<Criterion> = fc.oneof(
  fc.constant<Criterion>({ type: 'courseCompleted' }),
  fc.record(
    { type: fc.constant('activityCompleted' as const), activityId: arbId(ACTIVITY_IDS), states: arbStates },
    { requiredKeys: ['type', 'activityId'], noNullPrototype: true },
  ),
  fc.record(
    { type: fc.constant('sectionCompleted' as const), sectionId: arbId(SECTION_IDS), states: arbStates },
    { requiredKeys: ['type', 'sectionId'], noNullPrototype: true },
  ),
  fc.record(
    {
      type: fc.constant('grade' as const),
      target: fc.oneof(
        arbId(ACTIVITY_IDS.map(gradeItemOf)).map((gradeItemId) => ({ gradeItemId })),
        fc.constant({ courseTotal: true as const }),
      ),
      atLeast: fc.oneof(
        fc.double({ min: 0, max: 100, noNaN: true }).map((percent) => ({ percent })),
        fc.oneof(fc.integer({ min: 0, max: 30 }), fc.double({ min: 0, max: 30, noNaN: true })).map((points) => ({ points })),
        fc.constant({ passGrade: true as const }),
      ),
    },
    PLAIN,
  ),
  fc.record({ type: fc.constant('badgeEarned' as const), badgeId: arbId(BADGE_IDS) }, PLAIN),
);

/** Up to 4 levels with at most 3 children: at most 40 parts, well inside the parser's limits. */
export const arbCriterion: fc.Arbitrary<Criterion> = fc.letrec<{ criterion: Criterion; composite: Criterion }>((tie) => ({
  criterion: fc.oneof({ depthSize: 'small', maxDepth: 3, withCrossShrink: true }, arbLeaf, tie('composite')),
  composite: fc.array(tie('criterion'), { minLength: 1, maxLength: 3 }).chain((rules) =>
    fc.oneof(
      fc.constant<Criterion>({ type: 'all', rules }),
      fc.constant<Criterion>({ type: 'any', rules }),
      fc.integer({ min: 1, max: rules.length }).map<Criterion>((count) => ({ type: 'atLeast', count, rules })),
    ),
  ),
})).criterion;

/** Either end open; date-only or date-time, in UTC or with an offset. */
export const arbWindow: fc.Arbitrary<RuleWindow> = fc
  .tuple(arbDate, arbDate, fc.constantFrom('from', 'until', 'both'), fc.constantFrom('date', 'utc', 'offset'))
  .map(([a, b, ends, style]) => {
    const [from, until] = a <= b ? [a, b] : [b, a];
    const write = (d: Date) => {
      if (style === 'date') return d.toISOString().slice(0, 10);
      if (style === 'utc') return d.toISOString();
      // The same instant (to the second) written in a +03:00 zone.
      const local = new Date(Math.floor(d.getTime() / 1000) * 1000 + 3 * 3600_000);
      return `${local.toISOString().slice(0, 19)}+03:00`;
    };
    // A date-only `from` starts its day and `until` ends it, so order holds for any two dates a ≤ b.
    const window: RuleWindow = {};
    if (ends !== 'until') window.from = write(from);
    if (ends !== 'from') window.until = write(until);
    return window;
  });

export const arbRule: fc.Arbitrary<Rule> = fc
  .tuple(arbCriterion, fc.option(arbWindow, { freq: 3 }))
  .map(([criterion, window]) => (window === null ? criterion : { ...criterion, window }));

export const arbRuleWithoutWindow: fc.Arbitrary<Rule> = arbCriterion;

// ——— snapshots ———

interface ActivityPlan {
  id: string;
  sectionId: string;
  tracked: boolean;
  graded: boolean;
  state: CompletionState;
  completedAt: Date | null;
  gradeMax: number;
  /** 0..1 of the range, null = not graded. */
  gradeShare: number | null;
  passShare: number | null;
  gradedAt: Date | null;
}

const arbActivityPlan = (id: string): fc.Arbitrary<ActivityPlan> =>
  fc.record(
    {
      id: fc.constant(id),
      sectionId: fc.constantFrom(...SECTION_IDS),
      tracked: fc.boolean(),
      graded: fc.boolean(),
      state: fc.constantFrom(...STATES),
      completedAt: fc.option(arbDate, { freq: 8 }),
      gradeMax: fc.constantFrom(10, 20, 100),
      gradeShare: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { freq: 2 }),
      passShare: fc.option(fc.constantFrom(0.4, 0.5, 0.75), { freq: 2 }),
      gradedAt: fc.option(arbDate, { freq: 8 }),
    },
    PLAIN,
  );

export const arbSnapshot: fc.Arbitrary<LearnerSnapshot> = fc
  .record(
    {
      // Some pool ids are left out of the course: rules naming them meet "missing" things.
      presentIds: fc.subarray<string>([...ACTIVITY_IDS], { minLength: 1 }),
      plans: fc.tuple(...ACTIVITY_IDS.map(arbActivityPlan)),
      sectionsPresent: fc.subarray<string>([...SECTION_IDS], { minLength: 1 }),
      courseCompletion: fc.oneof(
        fc.constant(null),
        fc.constant({ completed: false, completedAt: null }),
        fc.option(arbDate, { freq: 8 }).map((completedAt) => ({ completed: true, completedAt })),
      ),
      totalShare: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { freq: 2 }),
      totalPassShare: fc.option(fc.constant(0.5)),
      totalDate: fc.option(arbDate, { freq: 8 }),
      hasTotal: fc.boolean(),
      badges: fc.subarray([...BADGE_IDS]),
      readAt: arbDate,
    },
    PLAIN,
  )
  .map(({ presentIds, plans, sectionsPresent, courseCompletion, totalShare, totalPassShare, totalDate, hasTotal, badges, readAt }) => {
    const present = plans.filter((p) => presentIds.includes(p.id) && sectionsPresent.includes(p.sectionId));
    const activities: CourseActivity[] = present.map((p) => ({
      id: p.id,
      name: `Activity ${p.id}`,
      modname: p.graded ? 'assign' : 'page',
      sectionId: p.sectionId,
      completionTracked: p.tracked,
      gradeItemId: p.graded ? gradeItemOf(p.id) : null,
    }));
    const sections: CourseSection[] = sectionsPresent.map((id, number) => ({
      id,
      number,
      name: `Section ${id}`,
      activityIds: present.filter((p) => p.sectionId === id).map((p) => p.id),
    }));
    const completions: ActivityCompletion[] = present
      .filter((p) => p.tracked)
      .map((p) => ({ activityId: p.id, state: p.state, completedAt: p.state === 'incomplete' ? null : p.completedAt }));
    const grades: GradeItemResult[] = present
      .filter((p) => p.graded)
      .map((p) => gradeItem(gradeItemOf(p.id), p.id, `Activity ${p.id}`, p.gradeMax, p.gradeShare, p.passShare, p.gradedAt));
    if (hasTotal) grades.push({ ...gradeItem(COURSE_TOTAL_ID, null, 'Course total', 100, totalShare, totalPassShare, totalDate), isCourseTotal: true });
    return {
      platformId: 'https://moodle.example',
      courseId: '2',
      userId: '4',
      structure: { courseId: '2', name: 'Generated course', sections, activities },
      activities: completions,
      courseCompletion,
      grades,
      earnedBadgeIds: badges,
      readAt,
    };
  });

function gradeItem(
  gradeItemId: string,
  activityId: string | null,
  name: string,
  gradeMax: number,
  share: number | null,
  passShare: number | null,
  gradedAt: Date | null,
): GradeItemResult {
  const grade = share === null ? null : share * gradeMax;
  return {
    gradeItemId,
    activityId,
    name,
    isCourseTotal: false,
    grade,
    gradeMin: 0,
    gradeMax,
    gradePass: passShare === null ? null : passShare * gradeMax,
    percentage: grade === null ? null : (grade / gradeMax) * 100,
    gradedAt: grade === null ? null : gradedAt,
  };
}

// ——— "doing more": monotone changes to a snapshot ———

export interface Improvement {
  /** Per activity position: complete it (if incomplete) with this state and date. */
  complete: Array<{ state: AcceptedCompletionState; date: Date } | null>;
  /** Per grade position: raise the grade by this share of what is left to the maximum. */
  raise: Array<number | null>;
  completeCourse: Date | null;
  addBadges: string[];
}

export const arbImprovement: fc.Arbitrary<Improvement> = fc.record(
  {
    complete: fc.array(fc.option(fc.record({ state: fc.constantFrom(...ACCEPTED), date: arbDate }, PLAIN)), { minLength: 8, maxLength: 8 }),
    raise: fc.array(fc.option(fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 8, maxLength: 8 }),
    completeCourse: fc.option(arbDate),
    addBadges: fc.subarray([...BADGE_IDS]),
  },
  PLAIN,
);

/**
 * The learner does more: incomplete activities get completed, grades go up (ungraded ones get a grade), the course
 * gets completed, badges are added. Nothing already achieved is taken away. Returns a new snapshot.
 */
export function improve(snapshot: LearnerSnapshot, change: Improvement): LearnerSnapshot {
  const activities = snapshot.activities.map((c, i) => {
    const step = change.complete[i % change.complete.length];
    return c.state === 'incomplete' && step ? { activityId: c.activityId, state: step.state, completedAt: step.date } : { ...c };
  });
  const grades = snapshot.grades.map((g, i) => {
    const share = change.raise[i % change.raise.length];
    if (share === null || share === undefined) return { ...g };
    const from = g.grade ?? g.gradeMin;
    const grade = from + (g.gradeMax - from) * share;
    const span = g.gradeMax - g.gradeMin;
    return { ...g, grade, percentage: span > 0 ? ((grade - g.gradeMin) / span) * 100 : g.percentage, gradedAt: g.gradedAt ?? snapshot.readAt };
  });
  const courseCompletion =
    change.completeCourse !== null && snapshot.courseCompletion?.completed !== true
      ? { completed: true, completedAt: change.completeCourse }
      : snapshot.courseCompletion;
  const earnedBadgeIds = [...snapshot.earnedBadgeIds, ...change.addBadges.filter((b) => !snapshot.earnedBadgeIds.includes(b))];
  return { ...snapshot, activities, grades, courseCompletion, earnedBadgeIds };
}
