import assert from 'node:assert/strict';
import { AppError } from '../../../src/errors';
import { isNarrowed, paramsFromQuery, parseExportParams, parseFrom, parseUntil, toQuery } from '../../../src/export/filter';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AppError, String(err));
    assert.equal(err.status, 400);
    return err.code;
  }
  assert.fail('did not throw');
};

describe('export parameters', () => {
  it('defaults: csv, English, no filter, no CLR proof', () => {
    assert.deepEqual(parseExportParams({}), { format: 'csv', filter: {}, lang: 'en', clrProof: 'none' });
    assert.equal(parseExportParams({ format: 'clr' }).clrProof, 'vc-jwt', 'a CLR is signed unless asked otherwise');
    assert.equal(parseExportParams({ format: 'clr', clrProof: 'none' }).clrProof, 'none');
  });

  it('accepts each format and a full filter', () => {
    for (const format of ['csv', 'jsonl', 'zip', 'clr']) assert.equal(parseExportParams({ format }).format, format);
    const o = parseExportParams({
      format: 'clr',
      courseId: '2',
      badgeId: 'a'.repeat(24),
      from: '2026-01-01',
      until: '2026-01-31',
      status: 'revoked',
      lang: 'lv',
      clrProof: 'vc-jwt',
    });
    assert.deepEqual(o.filter, {
      courseId: '2',
      badgeId: 'a'.repeat(24),
      from: new Date('2026-01-01T00:00:00Z'),
      until: new Date('2026-02-01T00:00:00Z'),
      status: 'revoked',
    });
    assert.equal(o.lang, 'lv');
    assert.equal(o.clrProof, 'vc-jwt');
  });

  it('an unknown format is refused', () => {
    assert.equal(
      code(() => parseExportParams({ format: 'xlsx' })),
      'EXPORT_FORMAT_INVALID',
    );
    assert.equal(
      code(() => parseExportParams({ format: '' })),
      'EXPORT_FORMAT_INVALID',
    );
  });

  for (const bad of ['yesterday', '2026-13-01', '2026-02-30', '2026-1-5', '2026-01-05T10:00', '1700000000', '2026-01-05 10:00:00Z']) {
    it(`a bad date is refused with EXPORT_DATE_INVALID: ${JSON.stringify(bad)}`, () => {
      assert.equal(
        code(() => parseExportParams({ from: bad })),
        'EXPORT_DATE_INVALID',
      );
      assert.equal(
        code(() => parseExportParams({ until: bad })),
        'EXPORT_DATE_INVALID',
      );
    });
  }

  it('dates: from a day starts at midnight UTC; until a day includes that day; date-times are exact and inclusive', () => {
    assert.equal(parseFrom('2026-03-01').toISOString(), '2026-03-01T00:00:00.000Z');
    assert.equal(parseUntil('2026-03-01').toISOString(), '2026-03-02T00:00:00.000Z');
    assert.equal(parseFrom('2026-03-01T12:30:00+02:00').toISOString(), '2026-03-01T10:30:00.000Z');
    assert.equal(parseUntil('2026-03-01T10:30:00Z').toISOString(), '2026-03-01T10:30:00.001Z');
    assert.equal(parseUntil('2024-02-29').toISOString(), '2024-03-01T00:00:00.000Z');
  });

  it('from after until is refused; the same day for both is one whole day', () => {
    assert.equal(
      code(() => parseExportParams({ from: '2026-02-01', until: '2026-01-01' })),
      'EXPORT_DATE_RANGE_INVALID',
    );
    assert.equal(
      code(() => parseExportParams({ from: '2026-01-02T00:00:00Z', until: '2026-01-01T23:59:59Z' })),
      'EXPORT_DATE_RANGE_INVALID',
    );
    const { filter } = parseExportParams({ from: '2026-01-01', until: '2026-01-01' });
    assert.equal(filter.until!.getTime() - filter.from!.getTime(), 86_400_000);
  });

  it('status, ids, lang and clrProof are checked', () => {
    assert.equal(
      code(() => parseExportParams({ status: 'issuing' })),
      'EXPORT_STATUS_INVALID',
    );
    assert.equal(
      code(() => parseExportParams({ courseId: '{"$ne":1}' })),
      'EXPORT_PARAM_INVALID',
    );
    assert.equal(
      code(() => parseExportParams({ badgeId: 'x'.repeat(101) })),
      'EXPORT_PARAM_INVALID',
    );
    assert.equal(
      code(() => parseExportParams({ lang: 'de' })),
      'EXPORT_PARAM_INVALID',
    );
    assert.equal(
      code(() => parseExportParams({ format: 'clr', clrProof: 'ldp' })),
      'EXPORT_PARAM_INVALID',
    );
    assert.equal(
      code(() => parseExportParams({ format: 'csv', clrProof: 'vc-jwt' })),
      'EXPORT_PARAM_INVALID',
    );
  });

  it('query strings: unknown and repeated parameters are refused (a typo must not widen an export)', () => {
    assert.deepEqual(paramsFromQuery({ format: 'zip', courseId: '2', s: 'session' }, ['s']), { format: 'zip', courseId: '2' });
    assert.equal(
      code(() => paramsFromQuery({ course: '2' })),
      'EXPORT_PARAM_UNKNOWN',
    );
    assert.equal(
      code(() => paramsFromQuery({ platformId: 'b'.repeat(24) })),
      'EXPORT_PARAM_UNKNOWN',
    );
    assert.equal(
      code(() => paramsFromQuery({ s: 'x' })),
      'EXPORT_PARAM_UNKNOWN',
    );
    assert.equal(
      code(() => paramsFromQuery({ courseId: ['2', '3'] })),
      'EXPORT_PARAM_INVALID',
    );
    assert.equal(
      code(() => paramsFromQuery({ courseId: { $ne: '1' } })),
      'EXPORT_PARAM_INVALID',
    );
  });

  it('the database query is always scoped to the platform and to completed credentials', () => {
    assert.deepEqual(toQuery({ platformId: 'p' }), { platformId: 'p', state: 'issued' });
    const from = new Date('2026-01-01T00:00:00Z');
    const until = new Date('2026-02-01T00:00:00Z');
    assert.deepEqual(toQuery({ platformId: 'p', courseId: '2', badgeId: 'b', status: 'active', from, until }), {
      platformId: 'p',
      state: 'issued',
      courseId: '2',
      badgeId: 'b',
      status: 'active',
      issuedAt: { $gte: from, $lt: until },
    });
    assert.throws(() => toQuery({ platformId: '' }), /platform/);
  });

  it('isNarrowed: any of course, badge, dates or status', () => {
    assert.equal(isNarrowed({}), false);
    assert.equal(isNarrowed({ courseId: '2' }), true);
    assert.equal(isNarrowed({ from: new Date() }), true);
  });
});
