/**
 * The learner's grades at decision time → OB 3.0 ResultDescriptions (achievement) and Results (subject).
 * resultType follows how Moodle grades the item: points → RawScore, percent → Percent, letter → LetterGrade,
 * scale → PerformanceLevel with the scale's items as allowedValue. requiredValue is Moodle's pass grade and only
 * that: where Moodle has none (or does not report it) the description has none and the page says so. Pure.
 */
import type { AssessedItem, AwardInput, ResultStatus } from '../credentials/build/types';
import type { AssessedGrade } from '../rules';

type Result = AwardInput['results'][number];

/** Up to two decimals, no trailing zeros: "85", "17.5", "66.67". */
export const num = (n: number) => String(Math.round(n * 100) / 100);

export const gradeItemKey = (gradeItemId: string) => `grade-${gradeItemId}`;

function percentOf(g: AssessedGrade, points: number): number | null {
  return g.max > g.min ? ((points - g.min) / (g.max - g.min)) * 100 : null;
}

function description(g: AssessedGrade): AssessedItem {
  const base = { id: gradeItemKey(g.gradeItemId), name: g.name };
  switch (g.display) {
    case 'percent': {
      const required = g.pass === null ? null : percentOf(g, g.pass);
      return { ...base, resultType: 'Percent', valueMin: '0', valueMax: '100', ...(required === null ? {} : { requiredValue: num(required) }) };
    }
    case 'letter':
      // Moodle's letter boundaries are not readable over web services: no allowedValue, no letter pass mark
      return { ...base, resultType: 'LetterGrade' };
    case 'scale': {
      const required = g.pass === null ? undefined : g.scaleItems?.[Math.round(g.pass) - 1];
      return {
        ...base,
        resultType: 'PerformanceLevel',
        ...(g.scaleItems?.length ? { allowedValue: g.scaleItems } : {}),
        ...(required ? { requiredValue: required } : {}),
      };
    }
    default:
      return { ...base, resultType: 'RawScore', valueMin: num(g.min), valueMax: num(g.max), ...(g.pass === null ? {} : { requiredValue: num(g.pass) }) };
  }
}

function value(g: AssessedGrade & { grade: number }): string {
  switch (g.display) {
    case 'percent': {
      const p = g.percent ?? percentOf(g, g.grade);
      return p === null ? num(g.grade) : num(p);
    }
    case 'letter':
      return g.text ?? num(g.grade);
    case 'scale':
      return g.text ?? g.scaleItems?.[Math.round(g.grade) - 1] ?? num(g.grade);
    default:
      return num(g.grade);
  }
}

/** Below Moodle's pass grade is Failed; otherwise the graded item is Completed (OB has no "Passed"). */
export const gradeStatus = (g: AssessedGrade & { grade: number }): ResultStatus => (g.pass !== null && g.grade < g.pass ? 'Failed' : 'Completed');

/** One description per item, one result per graded item; `excluded` are the items the teacher unticked. */
export function assessmentResults(assessment: readonly AssessedGrade[], excluded: readonly string[] = []): { items: AssessedItem[]; results: Result[] } {
  const skip = new Set(excluded);
  const items: AssessedItem[] = [];
  const results: Result[] = [];
  for (const g of assessment) {
    if (skip.has(g.gradeItemId)) continue;
    items.push(description(g));
    if (g.grade !== null) {
      const graded = g as AssessedGrade & { grade: number };
      results.push({ assessedItemId: gradeItemKey(g.gradeItemId), value: value(graded), status: gradeStatus(graded) });
    }
  }
  return { items, results };
}

/** One line of the evidence narrative: "Essay 1: 85 / 100 (pass grade 50)". */
export function assessmentLine(g: AssessedGrade): string {
  const shown =
    g.grade === null
      ? 'not graded'
      : g.display === 'letter' || g.display === 'scale'
        ? value(g as AssessedGrade & { grade: number })
        : `${num(g.grade)} / ${num(g.max)}`;
  const pass = g.pass === null ? 'no pass grade reported by Moodle' : `pass grade ${num(g.pass)}`;
  return `${g.name}: ${shown} (${pass})`;
}
