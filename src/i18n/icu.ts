/**
 * One ICU MessageFormat engine for every table of texts (the pages' in src/http/messages, the wallet's in
 * src/wallet/strings.ts): compiled once per locale and text, counts in the locale's plural forms, numbers and dates
 * formatted by Intl for the locale, times in UTC like the rest of the app.
 */
import { IntlMessageFormat, type Formats } from 'intl-messageformat';
import { argumentsOf, fits, withUnfitArgumentsAsText, type ArgumentKind, type MessageValue } from './arguments';

export type { ArgumentKind, MessageValue } from './arguments';
export type MessageParams = Readonly<Record<string, MessageValue>>;

/** The named formats messages may use, e.g. `{when, date, utcMinute}`. */
export const MESSAGE_FORMATS: Partial<Formats> = {
  date: {
    utcMinute: { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23', timeZone: 'UTC' },
    utcDay: { dateStyle: 'medium', timeZone: 'UTC' },
  },
  time: { utcMinute: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' } },
};

export interface CompiledMessage {
  format: IntlMessageFormat;
  arguments: Map<string, ArgumentKind>;
}

const compiled = new Map<string, CompiledMessage>();

/** The parsed text, compiled once per locale and text. Throws when the text is not valid ICU. */
export function compileMessage(locale: string, text: string): CompiledMessage {
  const id = `${locale}\u0000${text}`;
  let message = compiled.get(id);
  if (message === undefined) {
    // ignoreTag: texts are plain, and `<` in them is text, not rich-text markup
    const format = new IntlMessageFormat(text, locale, MESSAGE_FORMATS, { ignoreTag: true });
    message = { format, arguments: argumentsOf(format.getAst()) };
    compiled.set(id, message);
  }
  return message;
}

/**
 * The text with its arguments filled in. A missing argument (or one of the wrong type, e.g. text for a count) never
 * throws: it shows as `{name}`, or as the text given.
 */
export function formatMessage(locale: string, text: string, params: MessageParams = {}): string {
  const { format, arguments: args } = compileMessage(locale, text);
  const allFit = [...args].every(([name, kind]) => fits(kind, params[name]));
  const formatter = allFit ? format : new IntlMessageFormat(withUnfitArgumentsAsText(format.getAst(), params), locale, MESSAGE_FORMATS);
  const out = formatter.format<string>(params as Record<string, string | number | Date>);
  return Array.isArray(out) ? out.join('') : String(out);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A date outside a message (a table cell), as the messages write it: `utcDay` ("Dec 1, 2026") or `utcMinute`. */
export function formatDate(locale: string, date: Date, style: 'utcDay' | 'utcMinute'): string {
  const id = `${locale}\u0000${style}`;
  let format = dateFormats.get(id);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, MESSAGE_FORMATS.date![style]);
    dateFormats.set(id, format);
  }
  return format.format(date);
}
