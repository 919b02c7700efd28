import assert from 'node:assert/strict';
import { compiledMessage, formatDate, localeFromHeader, messages, translate, type MessageKey } from '../../../src/http/i18n';
import type { ArgumentKind } from '../../../src/i18n/arguments';

const keys = Object.keys(messages.en) as MessageKey[];

/** A count may be a plain number in one language and a plural in another; otherwise the kinds must agree. */
const comparable = (kind: ArgumentKind) => (kind === 'plural' ? 'number' : kind);

describe('i18n', () => {
  it('English and Latvian have the same keys, none empty', () => {
    assert.deepEqual(Object.keys(messages.lv).sort(), Object.keys(messages.en).sort());
    for (const table of [messages.en, messages.lv]) for (const v of Object.values(table)) assert.ok(v.trim().length > 0);
  });

  it('every message parses as ICU and uses the same arguments, of the same kind, in both locales', () => {
    for (const key of keys) {
      const [en, lv] = (['en', 'lv'] as const).map((locale) => {
        const args = compiledMessage(locale, key).arguments;
        return new Map([...args].map(([name, kind]) => [name, comparable(kind)]));
      });
      assert.deepEqual([...lv!].sort(), [...en!].sort(), key);
    }
  });

  it('fills parameters', () => {
    assert.equal(translate('lv', 'student.heading', { course: 'OBD101' }), 'Manas nozīmītes kursā OBD101');
    assert.equal(translate('en', 'teacher.heading', { course: 'X' }), 'Badges of X');
  });

  it('quoted ICU syntax renders as the literal text', () => {
    const json = '{"type":"all","rules":[{"type":"activityCompleted","activityId":"1"}]}';
    assert.equal(translate('en', 'rule.advancedHelp'), `For example ${json}`);
    assert.equal(translate('lv', 'rule.advancedHelp'), `Piemēram, ${json}`);
    assert.equal(translate('en', 'error.ISSUER_PROFILE_MISSING'), "The institution's profile is not set up yet: ask your registrar to complete it.");
    assert.equal(translate('en', 'reg.select', { name: 'Essay', user: 7 }), 'Select “Essay” of learner #7');
  });

  describe('plural forms', () => {
    const counts = [0, 1, 2, 5, 10, 11, 12, 19, 20, 21, 22, 101, 111, 1.5];
    // CLDR, written out by hand: English one is 1 only; Latvian one ends in 1 but not 11, zero ends in 0 or 11–19
    type Form = 'zero' | 'one' | 'other';
    const latvian: Record<number, Form> = {
      1: 'one',
      21: 'one',
      101: 'one',
      0: 'zero',
      10: 'zero',
      11: 'zero',
      12: 'zero',
      19: 'zero',
      20: 'zero',
      111: 'zero',
    };
    const category: Record<'en' | 'lv', (n: number) => Form> = {
      en: (n) => (n === 1 ? 'one' : 'other'),
      lv: (n) => latvian[n] ?? 'other',
    };
    const shown = { en: (n: number) => String(n), lv: (n: number) => String(n).replace('.', ',') };
    const expected: Record<string, Record<'en' | 'lv', (n: string, form: Form) => string>> = {
      'sync.learnersFailed': {
        en: (n, form) =>
          form === 'one' ? `${n} learner could not be read and keeps their previous state.` : `${n} learners could not be read and keep their previous state.`,
        lv: (n, form) =>
          form === 'one'
            ? `${n} izglītojamā datus neizdevās nolasīt; viņam saglabājas iepriekšējais stāvoklis.`
            : `${n} izglītojamo datus neizdevās nolasīt; viņiem saglabājas iepriekšējais stāvoklis.`,
      },
      'reg.changed': {
        en: (n, form) => (form === 'one' ? `Credential changed: ${n}.` : `Credentials changed: ${n}.`),
        lv: (n, form) => (form === 'one' ? `Mainīts apliecinājums: ${n}.` : `Mainīti apliecinājumi: ${n}.`),
      },
      'reg.walletCopies': {
        en: (n, form) => (form === 'one' ? `wallet copy: ${n} (revoked with it)` : `wallet copies: ${n} (revoked with it)`),
        lv: (n, form) => (form === 'one' ? `maka kopija: ${n} (atsaucot tiek atsaukta arī tā)` : `maka kopijas: ${n} (atsaucot tiek atsauktas arī tās)`),
      },
    };
    for (const [key, byLocale] of Object.entries(expected)) {
      for (const locale of ['en', 'lv'] as const) {
        it(`${key} in ${locale}`, () => {
          for (const n of counts) {
            const params = { n, count: n };
            assert.equal(translate(locale, key as MessageKey, params), byLocale[locale](shown[locale](n), category[locale](n)), `n = ${n}`);
          }
        });
      }
    }

    it('a sentence with several counts takes each one’s form', () => {
      const when = new Date('2026-12-01T09:30:00Z');
      assert.equal(
        translate('lv', 'sync.status.completed', { when, total: 21, skipped: 1 }),
        'Pēdējā pārbaude 2026. gada 1. dec. 09:30: 21 izglītojamais, 1 no tiem nav nolasīts atkārtoti.',
      );
      assert.equal(translate('lv', 'teacher.chartLabel', { earned: 11, progress: 1, none: 31 }), '11 ieguvuši, 1 procesā, 31 nav sācis');
      assert.equal(translate('en', 'sync.progress', { read: 1, toRead: 1, skipped: 1 }), 'Read 1 of 1 learner from Moodle (1 needs no reading).');
    });
  });

  describe('numbers and dates follow the locale', () => {
    // late in the UTC day: a local time zone would show the next date
    const when = new Date('2026-12-01T23:05:00Z');
    it('English', () => {
      assert.equal(translate('en', 'setup.webServiceTested', { site: 'S', when }), 'connected to S, tested Dec 1, 2026, 23:05 UTC');
      assert.equal(translate('en', 'moodle.failure.timeout', { ms: 15000 }), 'no answer within 15,000 ms');
      assert.equal(translate('en', 'sync.pace', { rate: 12345.5, end: when }), '12,345.5 learners a minute, expected to end at Dec 1, 2026, 23:05 (UTC).');
    });
    it('Latvian', () => {
      assert.equal(translate('lv', 'setup.webServiceTested', { site: 'S', when }), 'savienots ar S, pārbaudīts 2026. gada 1. dec. 23:05 UTC');
      assert.equal(translate('lv', 'moodle.failure.timeout', { ms: 15000 }), 'nav atbildes 15\u00a0000 ms laikā');
      assert.equal(
        translate('lv', 'sync.pace', { rate: 12345.5, end: when }),
        '12\u00a0345,5 izglītojamie minūtē, paredzamās beigas 2026. gada 1. dec. 23:05 (UTC).',
      );
    });
    it('table cells (issued on, audit time) in the same formats, in UTC', () => {
      assert.equal(formatDate('en', when, 'utcDay'), 'Dec 1, 2026');
      assert.equal(formatDate('lv', when, 'utcDay'), '2026. gada 1. dec.');
      assert.equal(formatDate('en', when, 'utcMinute'), 'Dec 1, 2026, 23:05');
      assert.equal(formatDate('lv', when, 'utcMinute'), '2026. gada 1. dec. 23:05');
    });
  });

  describe('a value that is missing or of the wrong type does not throw', () => {
    it('a missing value shows as {name}, in a plural too', () => {
      assert.equal(translate('en', 'signedInAs'), 'Signed in as {name}');
      assert.equal(translate('en', 'sync.learnersFailed', {}), '{n} learners could not be read and keep their previous state.');
      assert.equal(translate('lv', 'sync.pace', { rate: 21 }), '21 izglītojamais minūtē, paredzamās beigas {end} (UTC).');
    });
    it('text given for a date or a count is shown as given', () => {
      assert.equal(translate('en', 'student.unreachable', { when: '—' }), 'Moodle could not be reached just now: this is your progress as of —.');
      assert.equal(translate('en', 'reg.changed', { count: 'some' }), 'Credentials changed: some.');
    });
  });

  it('Accept-Language picks Latvian only when it is first', () => {
    assert.equal(localeFromHeader('lv-LV,lv;q=0.9,en;q=0.8'), 'lv');
    assert.equal(localeFromHeader('en-GB,lv;q=0.5'), 'en');
    assert.equal(localeFromHeader(undefined), 'en');
  });
});
