import assert from 'node:assert/strict';
import { buildGradeResults, gradeDisplay, plainGradeText } from '../../../../src/lms/moodle/snapshot-builder';
import type { GradeReportItem } from '../../../../src/lms/moodle/ws-schemas';
import { fixtureSnapshot } from '../../../support/fixture-snapshot';

const item = (over: Partial<GradeReportItem>): GradeReportItem => ({
  id: 9,
  itemname: 'X',
  itemtype: 'mod',
  grademin: 0,
  grademax: 100,
  graderaw: 85,
  ...over,
});
const report = (items: GradeReportItem[]) => ({ courseid: 2, userid: 4, gradeitems: items }) as Parameters<typeof buildGradeResults>[0];

describe('lms/moodle: how an item is graded, and its pass grade', () => {
  it('Moodle’s pass/fail icon markup is not part of the grade text', () => {
    assert.equal(plainGradeText('<i class="icon fa fa-check" title="Pass"></i>85.00'), '85.00');
  });

  it('points, percent, letter and scale are told apart', () => {
    assert.deepEqual(gradeDisplay(item({ gradeformatted: '<i title="Pass"></i>85.00' }), true), {}, 'points: the default, nothing added');
    assert.deepEqual(gradeDisplay(item({ gradeformatted: '85,00 %' }), true), { gradeType: 'percent' });
    assert.deepEqual(gradeDisplay(item({ gradeformatted: 'B+' }), true), { gradeType: 'letter', gradeText: 'B+' });
    assert.deepEqual(gradeDisplay(item({ scaleid: 3, gradeformatted: 'Competent', grademin: 1, grademax: 3, graderaw: 2 }), true), {
      gradeType: 'scale',
      gradeText: 'Competent',
    });
    assert.deepEqual(gradeDisplay(item({ gradeformatted: '-' }), false), {});
  });

  it('gradepass is read when Moodle sends it (0 means none) and is null otherwise: never invented', () => {
    const [withPass, zero, absent] = buildGradeResults(report([item({ id: 1, gradepass: 50 }), item({ id: 2, gradepass: 0 }), item({ id: 3 })]));
    assert.deepEqual([withPass!.gradePass, zero!.gradePass, absent!.gradePass], [50, null, null]);
  });

  it('the real Moodle 4.x answers: points, no pass grade', () => {
    const essay = fixtureSnapshot('p', 4).grades.find((g) => g.name === 'Essay 1')!;
    assert.deepEqual([essay.gradeType, essay.gradePass, essay.grade], [undefined, null, 85]);
  });
});
