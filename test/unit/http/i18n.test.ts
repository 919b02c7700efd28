import assert from 'node:assert/strict';
import { localeFromHeader, messages, translate } from '../../../src/http/i18n';

describe('i18n', () => {
  it('English and Latvian have the same keys, none empty', () => {
    assert.deepEqual(Object.keys(messages.lv).sort(), Object.keys(messages.en).sort());
    for (const table of [messages.en, messages.lv]) for (const v of Object.values(table)) assert.ok(v.trim().length > 0);
  });
  it('fills parameters', () => {
    assert.equal(translate('lv', 'student.heading', { course: 'OBD101' }), 'Manas nozīmītes kursā OBD101');
    assert.equal(translate('en', 'teacher.heading', { course: 'X' }), 'Badges of X');
  });
  it('Accept-Language picks Latvian only when it is first', () => {
    assert.equal(localeFromHeader('lv-LV,lv;q=0.9,en;q=0.8'), 'lv');
    assert.equal(localeFromHeader('en-GB,lv;q=0.5'), 'en');
    assert.equal(localeFromHeader(undefined), 'en');
  });
});
