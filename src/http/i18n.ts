/**
 * Every text a page shows, per locale, in ICU MessageFormat (src/http/messages/: one table per locale, and
 * README.md there on adding a message or a locale), formatted by the shared engine in src/i18n.
 */
import { compileMessage, formatMessage, type CompiledMessage, type MessageParams } from '../i18n/icu';
import type { Locale } from '../lti/launch-context';
import { en, type MessageKey } from './messages/en';
import { lv } from './messages/lv';

export { formatDate, type MessageParams } from '../i18n/icu';
export type { MessageKey };

export const messages = { en, lv } as const satisfies Record<Locale, Record<MessageKey, string>>;

const textOf = (locale: Locale, key: MessageKey): string => messages[locale][key] ?? messages.en[key];

/** The parsed message of a key. Throws when the text is not valid ICU. */
export const compiledMessage = (locale: Locale, key: MessageKey): CompiledMessage => compileMessage(locale, textOf(locale, key));

/**
 * The text of a message with its arguments filled in. A missing argument (or one of the wrong type, e.g. text for a
 * count) never throws: it shows as `{name}`, or as the text given.
 */
export const translate = (locale: Locale, key: MessageKey, params: MessageParams = {}): string => formatMessage(locale, textOf(locale, key), params);

/** Locale for pages without a launch (registration, errors before a session): from Accept-Language. */
export function localeFromHeader(acceptLanguage: string | undefined): Locale {
  return acceptLanguage && /^\s*lv\b/i.test(acceptLanguage) ? 'lv' : 'en';
}

/** A translated text for a dynamic key (e.g. a completion state or an error code), or null when there is none. */
export function translateOptional(locale: Locale, key: string, params: MessageParams = {}): string | null {
  return key in messages[locale] ? translate(locale, key as MessageKey, params) : null;
}
