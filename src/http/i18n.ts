/**
 * Every text a page shows, per locale, in ICU MessageFormat (src/http/messages/: one table per locale, and
 * README.md there on adding a message or a locale). Counts take the locale's plural forms; numbers and dates are
 * formatted for the locale, times in UTC like the rest of the app.
 */
import { IntlMessageFormat, type Formats } from 'intl-messageformat';
import type { Locale } from '../lti/launch-context';
import { argumentsOf, fits, withUnfitArgumentsAsText, type ArgumentKind, type MessageValue } from './messages/arguments';
import { en, type MessageKey } from './messages/en';
import { lv } from './messages/lv';

export type { MessageKey };

export const messages = { en, lv } as const satisfies Record<Locale, Record<MessageKey, string>>;

export type MessageParams = Readonly<Record<string, MessageValue>>;

/** The named formats messages may use, e.g. `{when, date, utcMinute}`. */
export const MESSAGE_FORMATS: Partial<Formats> = {
  date: {
    utcMinute: { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23', timeZone: 'UTC' },
    utcDay: { dateStyle: 'medium', timeZone: 'UTC' },
  },
};

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A date outside a message (a table cell), as the messages write it: `utcDay` ("Dec 1, 2026") or `utcMinute`. */
export function formatDate(locale: Locale, date: Date, style: 'utcDay' | 'utcMinute'): string {
  const id = `${locale}\u0000${style}`;
  let format = dateFormats.get(id);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, MESSAGE_FORMATS.date![style]);
    dateFormats.set(id, format);
  }
  return format.format(date);
}

interface Compiled {
  format: IntlMessageFormat;
  arguments: Map<string, ArgumentKind>;
}

const compiledMessages = new Map<string, Compiled>();

/** The parsed message, compiled once per locale and key. Throws when the text is not valid ICU. */
export function compiledMessage(locale: Locale, key: MessageKey): Compiled {
  const id = `${locale}\u0000${key}`;
  let compiled = compiledMessages.get(id);
  if (compiled === undefined) {
    // ignoreTag: texts are plain, and `<` in them is text, not rich-text markup
    const format = new IntlMessageFormat(messages[locale][key] ?? messages.en[key], locale, MESSAGE_FORMATS, { ignoreTag: true });
    compiled = { format, arguments: argumentsOf(format.getAst()) };
    compiledMessages.set(id, compiled);
  }
  return compiled;
}

/**
 * The text of a message with its arguments filled in. A missing argument (or one of the wrong type, e.g. text for a
 * count) never throws: it shows as `{name}`, or as the text given.
 */
export function translate(locale: Locale, key: MessageKey, params: MessageParams = {}): string {
  const { format, arguments: args } = compiledMessage(locale, key);
  const allFit = [...args].every(([name, kind]) => fits(kind, params[name]));
  const formatter = allFit ? format : new IntlMessageFormat(withUnfitArgumentsAsText(format.getAst(), params), locale, MESSAGE_FORMATS);
  const out = formatter.format<string>(params as Record<string, string | number | Date>);
  return Array.isArray(out) ? out.join('') : String(out);
}

/** Locale for pages without a launch (registration, errors before a session): from Accept-Language. */
export function localeFromHeader(acceptLanguage: string | undefined): Locale {
  return acceptLanguage && /^\s*lv\b/i.test(acceptLanguage) ? 'lv' : 'en';
}

/** A translated text for a dynamic key (e.g. a completion state or an error code), or null when there is none. */
export function translateOptional(locale: Locale, key: string, params: MessageParams = {}): string | null {
  return key in messages[locale] ? translate(locale, key as MessageKey, params) : null;
}
