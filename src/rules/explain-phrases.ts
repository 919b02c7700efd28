/**
 * The sentences a student reads about a Decision, in English and Latvian. Written per language rather than
 * templated, because Latvian agreement (case after "par", singular after numbers ending in 1) changes the words
 * around a number, not only the number. Which form a number takes comes from the locale's CLDR plural rules.
 */
import type { AcceptedCompletionState, DecisionStatus, Explanation, GradeUnit, MissingCriterion } from './types';

export type ExplainLocale = 'en' | 'lv';

/** Locale-aware formatting, supplied by explain.ts. */
export interface Formatter {
  /** A date as it reads after a verb ("on 28 November 2026" / "2026. gada 28. novembrī"), without the preposition. */
  date(date: Date): string;
  /** A compact date for periods. */
  shortDate(date: Date): string;
  number(value: number): string;
  /** The locale's plural category for this number (Latvian: one for 1, 21, 31 …; zero for 0, 10–20 …; else other). */
  plural(value: number): Intl.LDMLPluralRule;
  badgeName(badgeId: string): string;
}

export interface Phrases {
  headline(status: DecisionStatus, percentDone: number, earnedAt: Date | null, until: Date | null, f: Formatter): string;
  explanation(e: Explanation, f: Formatter, total: number): string;
}

type ExplanationOf<K extends Explanation['kind']> = Extract<Explanation, { kind: K }>;
/** One sentence per kind of explanation. */
type Explainers = { [K in Explanation['kind']]: (e: ExplanationOf<K>, f: Formatter, total: number) => string };
type RemainingActivity = ExplanationOf<'section-incomplete'>['remaining'][number];

function byKind(explainers: Explainers): Phrases['explanation'] {
  // the table is keyed by kind, so each writer is only ever given its own kind
  return (e, f, total) => (explainers[e.kind] as (e: Explanation, f: Formatter, total: number) => string)(e, f, total);
}

const MAX_LISTED = 5;

function listNames(names: string[], and: (rest: number) => string): string {
  if (names.length <= MAX_LISTED) return names.join(', ');
  return `${names.slice(0, MAX_LISTED).join(', ')} ${and(names.length - MAX_LISTED)}`;
}

function period(from: Date | null, until: Date | null, f: Formatter, words: { from: string; until: string }): string {
  if (from !== null && until !== null) return `${f.shortDate(from)}–${f.shortDate(until)}`;
  if (from !== null) return `${words.from} ${f.shortDate(from)}`;
  return until === null ? '' : `${words.until} ${f.shortDate(until)}`;
}

function needsPassInstead(state: string, accepted: AcceptedCompletionState[]): boolean {
  return state === 'complete' && accepted.includes('complete-pass') && !accepted.includes('complete');
}

const isOne = (f: Formatter, value: number | undefined) => value !== undefined && f.plural(value) === 'one';
const gradeOf = (f: Formatter, value: number, unit: GradeUnit) => (unit === 'percent' ? `${f.number(value)}%` : f.number(value));
const graded = (f: Formatter, grade: { have: number; max: number } | null | undefined) => (grade ? `${f.number(grade.have)}/${f.number(grade.max)}` : '');

// English

const enNeeded = (f: Formatter, value: number, unit: GradeUnit) =>
  unit === 'percent' ? `${f.number(value)}%` : `${f.number(value)} point${isOne(f, value) ? '' : 's'}`;

function enMissingCriterion(m: MissingCriterion, f: Formatter): string {
  if (m.why === 'not-graded') return `${m.name}: not graded yet`;
  if (m.why === 'failed') return `${m.name}: graded ${graded(f, m.grade)}, below the pass grade — not passed`.replace(' ,', ',');
  return `${m.name}: still needed (${m.requirement || 'not completed'})`;
}

function enCourseNotCompleted(e: ExplanationOf<'course-not-completed'>, f: Formatter): string {
  if (!e.missing?.length) return `${e.courseName}: the course is not completed yet.`;
  const criteria = isOne(f, e.total) ? 'criterion' : 'criteria';
  const missing = e.missing.map((m) => enMissingCriterion(m, f)).join('; ');
  return `${e.courseName}: the course is not completed yet (${e.met} of ${e.total} ${criteria} met). Missing: ${missing}.`;
}

function enActivityStateNotAccepted(e: ExplanationOf<'activity-state-not-accepted'>, f: Formatter): string {
  if (e.grade !== null && e.grade.have < e.grade.need)
    return `${e.activityName}: your grade ${gradeOf(f, e.grade.have, 'percent')} is below the ${enNeeded(f, e.grade.need, 'percent')} needed.`;
  if (e.state === 'complete-fail') return `${e.activityName}: completed, but without a passing grade.`;
  if (needsPassInstead(e.state, e.accepted)) return `${e.activityName}: completed, but a passing grade is needed.`;
  return `${e.activityName}: completed, but not in the way this badge asks for.`;
}

function enSectionIncomplete(e: ExplanationOf<'section-incomplete'>, f: Formatter): string {
  const remaining = (r: RemainingActivity) =>
    r.state === 'complete-fail' ? `${r.activityName} (${r.grade ? `graded ${graded(f, r.grade)}, ` : ''}not passed)` : r.activityName;
  const names = listNames(e.remaining.map(remaining), (rest) => `and ${rest} more`);
  const activities = isOne(f, e.required) ? 'activity' : 'activities';
  return `${e.sectionName}: ${e.done} of ${e.required} ${activities} completed; still to do: ${names}.`;
}

function enOutsideWindow(e: ExplanationOf<'outside-window'>, f: Formatter): string {
  const when = period(e.from, e.until, f, { from: 'from', until: 'until' });
  return e.date === null
    ? `${e.name}: has no date, so it cannot be counted in the period (${when}).`
    : `${e.name}: done on ${f.date(e.date)}, outside the period that counts (${when}).`;
}

function enComposite(e: ExplanationOf<'composite'>, _f: Formatter, total: number): string {
  if (e.mode === 'all') return `All of the following (${e.metCount} of ${total} done):`;
  if (e.mode === 'any') return 'One of the following:';
  return `At least ${e.needCount} of the following (${e.metCount} done):`;
}

const enExplainers: Explainers = {
  'course-completed': (e, f) => (e.date === null ? `${e.courseName}: course completed.` : `${e.courseName}: course completed on ${f.date(e.date)}.`),
  'course-not-completed': enCourseNotCompleted,
  'course-completion-unknown': (e) => `${e.courseName}: Moodle does not track completion of this course, so it cannot be checked.`,
  'activity-completed': (e, f) => {
    const verb = e.state === 'complete-pass' ? 'passed' : 'completed';
    return e.date === null ? `${e.activityName}: ${verb}.` : `${e.activityName}: ${verb} on ${f.date(e.date)}.`;
  },
  'activity-incomplete': (e) => `${e.activityName}: not completed yet.`,
  'activity-state-not-accepted': enActivityStateNotAccepted,
  'activity-missing': (e) => `An activity this badge needs (id ${e.activityId}) is no longer in the course.`,
  'activity-not-tracked': (e) => `${e.activityName}: Moodle does not track completion of this activity, so it cannot count.`,
  'section-completed': (e) => `${e.sectionName}: all activities completed.`,
  'section-incomplete': enSectionIncomplete,
  'section-missing': (e) => `A section this badge needs (id ${e.sectionId}) is no longer in the course.`,
  'section-has-no-tracked-activities': (e) => `${e.sectionName}: no activity in this section has completion tracking, so it cannot be completed.`,
  'grade-met': (e, f) => `${e.itemName}: your grade ${gradeOf(f, e.have, e.unit)} meets the ${enNeeded(f, e.need, e.unit)} needed.`,
  'grade-below': (e, f) => `${e.itemName}: your grade ${gradeOf(f, e.have, e.unit)} is below the ${enNeeded(f, e.need, e.unit)} needed.`,
  'grade-missing': (e, f) => `${e.itemName}: not graded yet; ${enNeeded(f, e.need, e.unit)} ${e.unit === 'points' && !isOne(f, e.need) ? 'are' : 'is'} needed.`,
  'grade-item-missing': (e) => `A grade this badge needs (grade item ${e.gradeItemId}) is no longer in the course.`,
  'course-total-missing': () => 'The course total grade is not available.',
  'pass-grade-not-set': (e) => `${e.itemName}: no passing grade is set in Moodle, so this cannot be checked.`,
  'badge-earned': (e, f) => `Badge “${f.badgeName(e.badgeId)}”: earned.`,
  'badge-not-earned': (e, f) => `Badge “${f.badgeName(e.badgeId)}”: not earned yet.`,
  'outside-window': enOutsideWindow,
  composite: enComposite,
};

export const en: Phrases = {
  headline(status, percentDone, earnedAt, until, f) {
    switch (status) {
      case 'earned':
        return earnedAt === null ? 'You have earned this badge.' : `You have earned this badge: the requirements were met on ${f.date(earnedAt)}.`;
      case 'in-progress':
        return `In progress: ${percentDone}% done.`;
      case 'not-started':
        return 'Not started yet.';
      case 'closed':
        return until === null ? 'This badge can no longer be earned.' : `This badge can no longer be earned: the period ended on ${f.date(until)}.`;
    }
  },
  explanation: byKind(enExplainers),
};

// Latvian

const LV_MONTHS_LOCATIVE = ['janvārī', 'februārī', 'martā', 'aprīlī', 'maijā', 'jūnijā', 'jūlijā', 'augustā', 'septembrī', 'oktobrī', 'novembrī', 'decembrī'];

/** "2026. gada 28. novembrī": the locative reads naturally after "pabeigts", "beidzās". */
export function latvianDate(year: number, monthIndex: number, day: number): string {
  return `${year}. gada ${day}. ${LV_MONTHS_LOCATIVE[monthIndex]}`;
}

/** A needed amount with the adjective before it, in the case the words around it ask for; one: after 1, 21, 31 … */
function lvNeeded(f: Formatter, need: number, unit: GradeUnit, words: { one: [string, string]; many: [string, string] }): string {
  const [adjective, points] = isOne(f, need) ? words.one : words.many;
  return `${adjective} ${unit === 'percent' ? `${f.number(need)}%` : `${f.number(need)} ${points}`}`;
}

// "par" takes the accusative in the singular and the dative in the plural.
const lvBelowThe = (f: Formatter, need: number, unit: GradeUnit) =>
  lvNeeded(f, need, unit, { one: ['nepieciešamo', 'punktu'], many: ['nepieciešamajiem', 'punktiem'] });
const lvReachesThe = (f: Formatter, need: number, unit: GradeUnit) =>
  lvNeeded(f, need, unit, { one: ['nepieciešamo', 'punktu'], many: ['nepieciešamos', 'punktus'] });
const lvIsNeeded = (f: Formatter, need: number, unit: GradeUnit) =>
  lvNeeded(f, need, unit, { one: ['nepieciešams', 'punkts'], many: ['nepieciešami', 'punkti'] });

function lvMissingCriterion(m: MissingCriterion, f: Formatter): string {
  if (m.why === 'not-graded') return `${m.name}: vēl nav novērtēts`;
  if (m.why === 'failed') return `${m.name}: novērtēts ${graded(f, m.grade)}, zem sekmīga vērtējuma — nav nokārtots`.replace(' ,', ',');
  return `${m.name}: vēl nepieciešams (${m.requirement || 'nav pabeigts'})`;
}

function lvCourseNotCompleted(e: ExplanationOf<'course-not-completed'>, f: Formatter): string {
  if (!e.missing?.length) return `${e.courseName}: kurss vēl nav pabeigts.`;
  const met = isOne(f, e.met) ? 'izpildīts' : 'izpildīti';
  const of = isOne(f, e.total) ? 'kritērija' : 'kritērijiem';
  const missing = e.missing.map((m) => lvMissingCriterion(m, f)).join('; ');
  return `${e.courseName}: kurss vēl nav pabeigts (${met} ${e.met} no ${e.total} ${of}). Trūkst: ${missing}.`;
}

function lvActivityStateNotAccepted(e: ExplanationOf<'activity-state-not-accepted'>, f: Formatter): string {
  if (e.grade !== null && e.grade.have < e.grade.need)
    return `${e.activityName}: jūsu vērtējums ${gradeOf(f, e.grade.have, 'percent')} ir zemāks par ${lvBelowThe(f, e.grade.need, 'percent')}.`;
  if (e.state === 'complete-fail') return `${e.activityName}: pabeigts, bet bez sekmīga vērtējuma.`;
  if (needsPassInstead(e.state, e.accepted)) return `${e.activityName}: pabeigts, bet nepieciešams sekmīgs vērtējums.`;
  return `${e.activityName}: izpildes statuss neatbilst šīs nozīmītes prasībām.`;
}

function lvSectionIncomplete(e: ExplanationOf<'section-incomplete'>, f: Formatter): string {
  const remaining = (r: RemainingActivity) =>
    r.state === 'complete-fail' ? `${r.activityName} (${r.grade ? `novērtēts ${graded(f, r.grade)}, ` : ''}nav nokārtots)` : r.activityName;
  const names = listNames(e.remaining.map(remaining), (rest) => `un vēl ${rest}`);
  const done = isOne(f, e.done) ? 'pabeigta' : 'pabeigtas';
  const of = isOne(f, e.required) ? 'aktivitātes' : 'aktivitātēm';
  return `${e.sectionName}: ${done} ${e.done} no ${e.required} ${of}; vēl jāpabeidz: ${names}.`;
}

function lvOutsideWindow(e: ExplanationOf<'outside-window'>, f: Formatter): string {
  const when = period(e.from, e.until, f, { from: 'sākot ar', until: 'līdz' });
  return e.date === null
    ? `${e.name}: nav datuma, tāpēc to nevar ieskaitīt noteiktajā laika posmā (${when}).`
    : `${e.name}: izpildīts ${f.date(e.date)}, ārpus laika posma, kurā to ieskaita (${when}).`;
}

function lvComposite(e: ExplanationOf<'composite'>, f: Formatter, total: number): string {
  if (e.mode === 'all') return `Jāizpilda visas šīs prasības (${isOne(f, e.metCount) ? 'izpildīta' : 'izpildītas'} ${e.metCount} no ${total}):`;
  if (e.mode === 'any') return 'Jāizpilda vismaz viena no šīm prasībām:';
  return `Jāizpilda vismaz ${e.needCount} no šīm prasībām (izpildītas: ${e.metCount}):`;
}

const lvExplainers: Explainers = {
  'course-completed': (e, f) => (e.date === null ? `${e.courseName}: kurss pabeigts.` : `${e.courseName}: kurss pabeigts ${f.date(e.date)}.`),
  'course-not-completed': lvCourseNotCompleted,
  'course-completion-unknown': (e) => `${e.courseName}: Moodle neuzskaita šī kursa pabeigšanu, tāpēc to nevar pārbaudīt.`,
  'activity-completed': (e, f) => {
    const verb = e.state === 'complete-pass' ? 'nokārtots' : 'pabeigts';
    return e.date === null ? `${e.activityName}: ${verb}.` : `${e.activityName}: ${verb} ${f.date(e.date)}.`;
  },
  'activity-incomplete': (e) => `${e.activityName}: vēl nav pabeigts.`,
  'activity-state-not-accepted': lvActivityStateNotAccepted,
  'activity-missing': (e) => `Šai nozīmītei nepieciešamā aktivitāte (id ${e.activityId}) vairs nav kursā.`,
  'activity-not-tracked': (e) => `${e.activityName}: Moodle neuzskaita šīs aktivitātes izpildi, tāpēc to nevar ieskaitīt.`,
  'section-completed': (e) => `${e.sectionName}: visas aktivitātes pabeigtas.`,
  'section-incomplete': lvSectionIncomplete,
  'section-missing': (e) => `Šai nozīmītei nepieciešamā sadaļa (id ${e.sectionId}) vairs nav kursā.`,
  'section-has-no-tracked-activities': (e) => `${e.sectionName}: nevienai šīs sadaļas aktivitātei Moodle neuzskaita izpildi, tāpēc sadaļu nevar pabeigt.`,
  'grade-met': (e, f) => `${e.itemName}: jūsu vērtējums ${gradeOf(f, e.have, e.unit)} sasniedz ${lvReachesThe(f, e.need, e.unit)}.`,
  'grade-below': (e, f) => `${e.itemName}: jūsu vērtējums ${gradeOf(f, e.have, e.unit)} ir zemāks par ${lvBelowThe(f, e.need, e.unit)}.`,
  'grade-missing': (e, f) => `${e.itemName}: vēl nav novērtēts; ${lvIsNeeded(f, e.need, e.unit)}.`,
  'grade-item-missing': (e) => `Šai nozīmītei nepieciešamā vērtējuma vienība (id ${e.gradeItemId}) vairs nav kursā.`,
  'course-total-missing': () => 'Kursa kopējais vērtējums nav pieejams.',
  'pass-grade-not-set': (e) => `${e.itemName}: Moodle nav iestatīts sekmīga vērtējuma slieksnis, tāpēc šo prasību nevar pārbaudīt.`,
  'badge-earned': (e, f) => `Nozīmīte “${f.badgeName(e.badgeId)}”: iegūta.`,
  'badge-not-earned': (e, f) => `Nozīmīte “${f.badgeName(e.badgeId)}”: vēl nav iegūta.`,
  'outside-window': lvOutsideWindow,
  composite: lvComposite,
};

export const lv: Phrases = {
  headline(status, percentDone, earnedAt, until, f) {
    switch (status) {
      case 'earned':
        return earnedAt === null ? 'Šī nozīmīte ir iegūta.' : `Šī nozīmīte ir iegūta: prasības izpildītas ${f.date(earnedAt)}.`;
      case 'in-progress':
        return `Jūsu virzība: ${percentDone}%.`;
      case 'not-started':
        return 'Darbs pie šīs nozīmītes vēl nav sākts.';
      case 'closed':
        return until === null ? 'Šo nozīmīti vairs nevar iegūt.' : `Šo nozīmīti vairs nevar iegūt: laika posms beidzās ${f.date(until)}.`;
    }
  },
  explanation: byKind(lvExplainers),
};
