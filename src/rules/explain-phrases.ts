/**
 * The sentences a student reads about a Decision, in English and Latvian. Written per language rather than
 * templated, because Latvian agreement (case after "par", singular after numbers ending in 1) changes the words
 * around a number, not only the number.
 */
import type { AcceptedCompletionState, DecisionStatus, Explanation, GradeUnit } from './types';

export type ExplainLocale = 'en' | 'lv';

/** Locale-aware formatting, supplied by explain.ts. */
export interface Formatter {
  /** A date as it reads after a verb ("on 28 November 2026" / "2026. gada 28. novembrī"), without the preposition. */
  date(date: Date): string;
  /** A compact date for periods. */
  shortDate(date: Date): string;
  number(value: number): string;
  /** Whether Latvian treats this number as singular (1, 21, 31 …). */
  isSingular(value: number): boolean;
  badgeName(badgeId: string): string;
}

export interface Phrases {
  headline(status: DecisionStatus, percentDone: number, earnedAt: Date | null, until: Date | null, f: Formatter): string;
  explanation(e: Explanation, f: Formatter, total: number): string;
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
  explanation(e, f, total) {
    const grade = (value: number, unit: GradeUnit) => (unit === 'percent' ? `${f.number(value)}%` : f.number(value));
    const needed = (value: number, unit: GradeUnit) => (unit === 'percent' ? `${f.number(value)}%` : `${f.number(value)} point${value === 1 ? '' : 's'}`);
    switch (e.kind) {
      case 'course-completed':
        return e.date === null ? `${e.courseName}: course completed.` : `${e.courseName}: course completed on ${f.date(e.date)}.`;
      case 'course-not-completed': {
        if (!e.missing?.length) return `${e.courseName}: the course is not completed yet.`;
        const one = (m: NonNullable<typeof e.missing>[number]) =>
          m.why === 'not-graded'
            ? `${m.name}: not graded yet`
            : m.why === 'failed'
              ? `${m.name}: graded ${m.grade ? `${f.number(m.grade.have)}/${f.number(m.grade.max)}` : ''}, below the pass grade — not passed`.replace(' ,', ',')
              : `${m.name}: still needed (${m.requirement || 'not completed'})`;
        return `${e.courseName}: the course is not completed yet (${e.met} of ${e.total} criteria met). Missing: ${e.missing.map(one).join('; ')}.`;
      }
      case 'course-completion-unknown':
        return `${e.courseName}: Moodle does not track completion of this course, so it cannot be checked.`;
      case 'activity-completed': {
        const verb = e.state === 'complete-pass' ? 'passed' : 'completed';
        return e.date === null ? `${e.activityName}: ${verb}.` : `${e.activityName}: ${verb} on ${f.date(e.date)}.`;
      }
      case 'activity-incomplete':
        return `${e.activityName}: not completed yet.`;
      case 'activity-state-not-accepted':
        if (e.grade !== null && e.grade.have < e.grade.need)
          return `${e.activityName}: your grade ${grade(e.grade.have, 'percent')} is below the ${needed(e.grade.need, 'percent')} needed.`;
        if (e.state === 'complete-fail') return `${e.activityName}: completed, but without a passing grade.`;
        if (needsPassInstead(e.state, e.accepted)) return `${e.activityName}: completed, but a passing grade is needed.`;
        return `${e.activityName}: completed, but not in the way this badge asks for.`;
      case 'activity-missing':
        return `An activity this badge needs (id ${e.activityId}) is no longer in the course.`;
      case 'activity-not-tracked':
        return `${e.activityName}: Moodle does not track completion of this activity, so it cannot count.`;
      case 'section-completed':
        return `${e.sectionName}: all activities completed.`;
      case 'section-incomplete': {
        const names = listNames(
          e.remaining.map((r) =>
            r.state === 'complete-fail'
              ? `${r.activityName} (${r.grade ? `graded ${f.number(r.grade.have)}/${f.number(r.grade.max)}, ` : ''}not passed)`
              : r.activityName,
          ),
          (rest) => `and ${rest} more`,
        );
        return `${e.sectionName}: ${e.done} of ${e.required} activities completed; still to do: ${names}.`;
      }
      case 'section-missing':
        return `A section this badge needs (id ${e.sectionId}) is no longer in the course.`;
      case 'section-has-no-tracked-activities':
        return `${e.sectionName}: no activity in this section has completion tracking, so it cannot be completed.`;
      case 'grade-met':
        return `${e.itemName}: your grade ${grade(e.have, e.unit)} meets the ${needed(e.need, e.unit)} needed.`;
      case 'grade-below':
        return `${e.itemName}: your grade ${grade(e.have, e.unit)} is below the ${needed(e.need, e.unit)} needed.`;
      case 'grade-missing':
        return `${e.itemName}: not graded yet; ${needed(e.need, e.unit)} ${e.unit === 'points' && e.need !== 1 ? 'are' : 'is'} needed.`;
      case 'grade-item-missing':
        return `A grade this badge needs (grade item ${e.gradeItemId}) is no longer in the course.`;
      case 'course-total-missing':
        return 'The course total grade is not available.';
      case 'pass-grade-not-set':
        return `${e.itemName}: no passing grade is set in Moodle, so this cannot be checked.`;
      case 'badge-earned':
        return `Badge “${f.badgeName(e.badgeId)}”: earned.`;
      case 'badge-not-earned':
        return `Badge “${f.badgeName(e.badgeId)}”: not earned yet.`;
      case 'outside-window': {
        const when = period(e.from, e.until, f, { from: 'from', until: 'until' });
        return e.date === null
          ? `${e.name}: has no date, so it cannot be counted in the period (${when}).`
          : `${e.name}: done on ${f.date(e.date)}, outside the period that counts (${when}).`;
      }
      case 'composite':
        if (e.mode === 'all') return `All of the following (${e.metCount} of ${total} done):`;
        if (e.mode === 'any') return 'One of the following:';
        return `At least ${e.needCount} of the following (${e.metCount} done):`;
    }
  },
};

const LV_MONTHS_LOCATIVE = ['janvārī', 'februārī', 'martā', 'aprīlī', 'maijā', 'jūnijā', 'jūlijā', 'augustā', 'septembrī', 'oktobrī', 'novembrī', 'decembrī'];

/** "2026. gada 28. novembrī": the locative reads naturally after "pabeigts", "beidzās". */
export function latvianDate(year: number, monthIndex: number, day: number): string {
  return `${year}. gada ${day}. ${LV_MONTHS_LOCATIVE[monthIndex]}`;
}

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
  explanation(e, f, total) {
    const amount = (value: number, unit: GradeUnit) => (unit === 'percent' ? `${f.number(value)}%` : f.number(value));
    // "par" takes the accusative in the singular and the dative in the plural.
    const belowThe = (need: number, unit: GradeUnit) => {
      const one = f.isSingular(need);
      const n = unit === 'percent' ? `${f.number(need)}%` : `${f.number(need)} ${one ? 'punktu' : 'punktiem'}`;
      return `${one ? 'nepieciešamo' : 'nepieciešamajiem'} ${n}`;
    };
    const reachesThe = (need: number, unit: GradeUnit) => {
      const one = f.isSingular(need);
      const n = unit === 'percent' ? `${f.number(need)}%` : `${f.number(need)} ${one ? 'punktu' : 'punktus'}`;
      return `${one ? 'nepieciešamo' : 'nepieciešamos'} ${n}`;
    };
    const isNeeded = (need: number, unit: GradeUnit) => {
      const one = f.isSingular(need);
      const n = unit === 'percent' ? `${f.number(need)}%` : `${f.number(need)} ${one ? 'punkts' : 'punkti'}`;
      return `${one ? 'nepieciešams' : 'nepieciešami'} ${n}`;
    };
    switch (e.kind) {
      case 'course-completed':
        return e.date === null ? `${e.courseName}: kurss pabeigts.` : `${e.courseName}: kurss pabeigts ${f.date(e.date)}.`;
      case 'course-not-completed': {
        if (!e.missing?.length) return `${e.courseName}: kurss vēl nav pabeigts.`;
        const one = (m: NonNullable<typeof e.missing>[number]) =>
          m.why === 'not-graded'
            ? `${m.name}: vēl nav novērtēts`
            : m.why === 'failed'
              ? `${m.name}: novērtēts ${m.grade ? `${f.number(m.grade.have)}/${f.number(m.grade.max)}` : ''}, zem sekmīga vērtējuma — nav nokārtots`.replace(
                  ' ,',
                  ',',
                )
              : `${m.name}: vēl nepieciešams (${m.requirement || 'nav pabeigts'})`;
        return `${e.courseName}: kurss vēl nav pabeigts (izpildīti ${e.met} no ${e.total} kritērijiem). Trūkst: ${e.missing.map(one).join('; ')}.`;
      }
      case 'course-completion-unknown':
        return `${e.courseName}: Moodle neuzskaita šī kursa pabeigšanu, tāpēc to nevar pārbaudīt.`;
      case 'activity-completed': {
        const verb = e.state === 'complete-pass' ? 'nokārtots' : 'pabeigts';
        return e.date === null ? `${e.activityName}: ${verb}.` : `${e.activityName}: ${verb} ${f.date(e.date)}.`;
      }
      case 'activity-incomplete':
        return `${e.activityName}: vēl nav pabeigts.`;
      case 'activity-state-not-accepted':
        if (e.grade !== null && e.grade.have < e.grade.need)
          return `${e.activityName}: jūsu vērtējums ${amount(e.grade.have, 'percent')} ir zemāks par ${belowThe(e.grade.need, 'percent')}.`;
        if (e.state === 'complete-fail') return `${e.activityName}: pabeigts, bet bez sekmīga vērtējuma.`;
        if (needsPassInstead(e.state, e.accepted)) return `${e.activityName}: pabeigts, bet nepieciešams sekmīgs vērtējums.`;
        return `${e.activityName}: izpildes statuss neatbilst šīs nozīmītes prasībām.`;
      case 'activity-missing':
        return `Šai nozīmītei nepieciešamā aktivitāte (id ${e.activityId}) vairs nav kursā.`;
      case 'activity-not-tracked':
        return `${e.activityName}: Moodle neuzskaita šīs aktivitātes izpildi, tāpēc to nevar ieskaitīt.`;
      case 'section-completed':
        return `${e.sectionName}: visas aktivitātes pabeigtas.`;
      case 'section-incomplete': {
        const names = listNames(
          e.remaining.map((r) =>
            r.state === 'complete-fail'
              ? `${r.activityName} (${r.grade ? `novērtēts ${f.number(r.grade.have)}/${f.number(r.grade.max)}, ` : ''}nav nokārtots)`
              : r.activityName,
          ),
          (rest) => `un vēl ${rest}`,
        );
        const done = f.isSingular(e.done) ? 'pabeigta' : 'pabeigtas';
        const of = f.isSingular(e.required) ? 'aktivitātes' : 'aktivitātēm';
        return `${e.sectionName}: ${done} ${e.done} no ${e.required} ${of}; vēl jāpabeidz: ${names}.`;
      }
      case 'section-missing':
        return `Šai nozīmītei nepieciešamā sadaļa (id ${e.sectionId}) vairs nav kursā.`;
      case 'section-has-no-tracked-activities':
        return `${e.sectionName}: nevienai šīs sadaļas aktivitātei Moodle neuzskaita izpildi, tāpēc sadaļu nevar pabeigt.`;
      case 'grade-met':
        return `${e.itemName}: jūsu vērtējums ${amount(e.have, e.unit)} sasniedz ${reachesThe(e.need, e.unit)}.`;
      case 'grade-below':
        return `${e.itemName}: jūsu vērtējums ${amount(e.have, e.unit)} ir zemāks par ${belowThe(e.need, e.unit)}.`;
      case 'grade-missing':
        return `${e.itemName}: vēl nav novērtēts; ${isNeeded(e.need, e.unit)}.`;
      case 'grade-item-missing':
        return `Šai nozīmītei nepieciešamā vērtējuma vienība (id ${e.gradeItemId}) vairs nav kursā.`;
      case 'course-total-missing':
        return 'Kursa kopējais vērtējums nav pieejams.';
      case 'pass-grade-not-set':
        return `${e.itemName}: Moodle nav iestatīts sekmīga vērtējuma slieksnis, tāpēc šo prasību nevar pārbaudīt.`;
      case 'badge-earned':
        return `Nozīmīte “${f.badgeName(e.badgeId)}”: iegūta.`;
      case 'badge-not-earned':
        return `Nozīmīte “${f.badgeName(e.badgeId)}”: vēl nav iegūta.`;
      case 'outside-window': {
        const when = period(e.from, e.until, f, { from: 'sākot ar', until: 'līdz' });
        return e.date === null
          ? `${e.name}: nav datuma, tāpēc to nevar ieskaitīt noteiktajā laika posmā (${when}).`
          : `${e.name}: izpildīts ${f.date(e.date)}, ārpus laika posma, kurā to ieskaita (${when}).`;
      }
      case 'composite':
        if (e.mode === 'all') return `Jāizpilda visas šīs prasības (izpildītas ${e.metCount} no ${total}):`;
        if (e.mode === 'any') return 'Jāizpilda vismaz viena no šīm prasībām:';
        return `Jāizpilda vismaz ${e.needCount} no šīm prasībām (izpildītas: ${e.metCount}):`;
    }
  },
};
