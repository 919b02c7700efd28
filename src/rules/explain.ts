/**
 * Decision → plain-language lines for the student's progress page: a headline, then one line per criterion,
 * nested criteria indented by two spaces per level. Dates are shown in UTC unless a time zone is given.
 */
import { en, latvianDate, lv, type ExplainLocale, type Formatter, type Phrases } from './explain-phrases';
import type { CriterionResult, Decision } from './types';

export type { ExplainLocale };

export interface ExplainOptions {
  /** IANA zone for dates, e.g. "Europe/Riga". Default UTC. */
  timeZone?: string;
  /** Display names for stacked badges; the id is shown otherwise. */
  badgeNames?: Readonly<Record<string, string>>;
}

const PHRASES: Record<ExplainLocale, Phrases> = { en, lv };
const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function explainDecision(decision: Decision, locale: ExplainLocale, options: ExplainOptions = {}): string[] {
  const phrases = PHRASES[locale];
  const f = explainFormatter(locale, options);
  // Floor, so a learner at 99.6 % is not told "100 % done" while the badge is still out of reach.
  const percentDone = Math.floor(decision.progress.fraction * 100);
  const lines = [phrases.headline(decision.status, percentDone, decision.earnedAt, decision.window?.until ?? null, f)];
  addCriterionLines(decision.criteria, 0, phrases, f, lines);
  return lines;
}

function addCriterionLines(node: CriterionResult, depth: number, phrases: Phrases, f: Formatter, lines: string[]): void {
  lines.push(`${'  '.repeat(depth)}${phrases.explanation(node.explanation, f, node.children.length)}`);
  for (const child of node.children) addCriterionLines(child, depth + 1, phrases, f, lines);
}

/** Dates, numbers and plural forms for the phrases of one locale. */
export function explainFormatter(locale: ExplainLocale, options: ExplainOptions = {}): Formatter {
  const numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const plurals = new Intl.PluralRules(locale);
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: options.timeZone ?? 'UTC',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  });
  const ymd = (date: Date) => {
    const get = (type: string) => Number(parts.formatToParts(date).find((p) => p.type === type)?.value);
    return { year: get('year'), month: get('month'), day: get('day') };
  };
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    date(date) {
      const { year, month, day } = ymd(date);
      return locale === 'lv' ? latvianDate(year, month - 1, day) : `${day} ${EN_MONTHS[month - 1]} ${year}`;
    },
    shortDate(date) {
      const { year, month, day } = ymd(date);
      return locale === 'lv' ? `${pad(day)}.${pad(month)}.${year}.` : `${day} ${EN_MONTHS[month - 1]} ${year}`;
    },
    number: (value) => numbers.format(value),
    plural: (value) => plurals.select(value),
    badgeName: (badgeId) => {
      const names = options.badgeNames;
      return names !== undefined && Object.prototype.hasOwnProperty.call(names, badgeId) ? (names[badgeId] ?? badgeId) : badgeId;
    },
  };
}
