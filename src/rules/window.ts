/**
 * Reading the window dates of a rule. Done by hand rather than with Date.parse, which accepts "2027-02-30"
 * (rolling it over to March) and reads a zone-less date-time in the server's local zone.
 */
import type { RuleWindow } from './types';

export type WindowEdge = 'from' | 'until';

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;
const DAY_MS = 86_400_000;

export type WindowDateResult = { ok: true; ms: number } | { ok: false; reason: 'format' | 'no-zone' | 'calendar' };

/** A date-only value covers its whole UTC day: `from` is its first millisecond, `until` its last. */
export function readWindowDate(text: string, edge: WindowEdge): WindowDateResult {
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return { ok: false, reason: 'format' };
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const dayStart = Date.UTC(year, month - 1, day);
  const check = new Date(dayStart);
  if (month < 1 || month > 12 || check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day)
    return { ok: false, reason: 'calendar' };
  if (h === undefined) return { ok: true, ms: edge === 'from' ? dayStart : dayStart + DAY_MS - 1 };
  if (zone === undefined) return { ok: false, reason: 'no-zone' };
  const hours = Number(h);
  const minutes = Number(mi);
  const seconds = s === undefined ? 0 : Number(s);
  const millis = frac === undefined ? 0 : Number(frac.padEnd(3, '0'));
  if (hours > 23 || minutes > 59 || seconds > 59) return { ok: false, reason: 'calendar' };
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const zoneHours = Number(zone.slice(1, 3));
    const zoneMinutes = Number(zone.slice(4, 6));
    if (zoneHours > 23 || zoneMinutes > 59) return { ok: false, reason: 'calendar' };
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (zoneHours * 60 + zoneMinutes);
  }
  return { ok: true, ms: dayStart + ((hours * 60 + minutes - offsetMinutes) * 60 + seconds) * 1000 + millis };
}

/** Inclusive bounds in epoch milliseconds; ±Infinity for an open end. */
export interface WindowBounds {
  from: number;
  until: number;
}

/** Misuse throws: a stored rule went through parseRule, so a bad date here is a programming error. */
export function windowBounds(window: RuleWindow): WindowBounds {
  const edge = (text: string | undefined, which: WindowEdge): number => {
    if (text === undefined) return which === 'from' ? -Infinity : Infinity;
    const read = readWindowDate(text, which);
    if (!read.ok) throw new RangeError(`rule window ${which} is not a valid ISO 8601 date: ${JSON.stringify(text.slice(0, 40))}`);
    return read.ms;
  };
  return { from: edge(window.from, 'from'), until: edge(window.until, 'until') };
}

/** Evidence without a date cannot be shown to fall inside a window. */
export function isInside(bounds: WindowBounds | null, date: Date | null): boolean {
  if (bounds === null) return true;
  if (date === null) return false;
  const t = date.getTime();
  return t >= bounds.from && t <= bounds.until;
}
