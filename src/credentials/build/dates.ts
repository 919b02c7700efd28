/** XSD dateTime in UTC at second precision (OB `DateTimeZ`); milliseconds would only add noise to signed data. */
export function isoDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Calendar months later, in UTC; the day is clamped to the target month's last day
 * (31 January + 1 month = 28/29 February, not 2/3 March as Date overflow would give).
 */
export function addMonthsUtc(date: Date, months: number): Date {
  const target = new Date(date.getTime());
  const day = target.getUTCDate();
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target;
}

export const isValidDate = (value: unknown): value is Date => value instanceof Date && !Number.isNaN(value.getTime());
