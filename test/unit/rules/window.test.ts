import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isInside, readWindowDate, windowBounds } from '../../../src/rules/window';

const ms = (iso: string) => Date.parse(iso);

describe('rules/window dates', () => {
  const cases: Array<[string, 'from' | 'until', number | string]> = [
    ['2027-03-31', 'from', ms('2027-03-31T00:00:00.000Z')],
    ['2027-03-31', 'until', ms('2027-03-31T23:59:59.999Z')],
    ['2027-03-31T23:59:00+03:00', 'until', ms('2027-03-31T20:59:00.000Z')],
    ['2027-03-31T10:00Z', 'from', ms('2027-03-31T10:00:00.000Z')],
    ['2027-03-31T10:00:05.5-02:30', 'from', ms('2027-03-31T12:30:05.500Z')],
    ['2028-02-29', 'from', ms('2028-02-29T00:00:00.000Z')],
    ['2027-02-29', 'from', 'calendar'],
    ['2027-13-01', 'from', 'calendar'],
    ['2027-04-31', 'until', 'calendar'],
    ['2027-03-31T24:00:00Z', 'until', 'calendar'],
    ['2027-03-31T10:00:00+24:00', 'until', 'calendar'],
    ['2027-03-31T10:00:00', 'until', 'no-zone'],
    ['31.03.2027', 'until', 'format'],
    ['2027-3-31', 'until', 'format'],
    [' 2027-03-31', 'until', 'format'],
    ['', 'until', 'format'],
  ];
  for (const [text, edge, expected] of cases)
    it(`${JSON.stringify(text)} as ${edge} → ${typeof expected === 'number' ? new Date(expected).toISOString() : expected}`, () => {
      const read = readWindowDate(text, edge);
      assert.deepEqual(read, typeof expected === 'number' ? { ok: true, ms: expected } : { ok: false, reason: expected });
    });

  it('agrees with Date for every valid UTC instant written by toISOString', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }), (date) => {
        assert.deepEqual(readWindowDate(date.toISOString(), 'from'), { ok: true, ms: date.getTime() });
      }),
    );
  });

  it('bounds are inclusive; open ends are infinite; undated evidence is outside any window', () => {
    const bounds = windowBounds({ from: '2027-01-01', until: '2027-01-31' });
    assert.equal(isInside(bounds, new Date('2027-01-01T00:00:00.000Z')), true);
    assert.equal(isInside(bounds, new Date('2027-01-31T23:59:59.999Z')), true);
    assert.equal(isInside(bounds, new Date('2027-02-01T00:00:00.000Z')), false);
    assert.equal(isInside(bounds, null), false);
    assert.equal(isInside(null, null), true);
    assert.deepEqual(windowBounds({}), { from: -Infinity, until: Infinity });
  });
});
