import assert from 'node:assert/strict';
import { ProgressBar } from '../../../src/export/progress';

function sink(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, writes, write: (t: string) => writes.push(t) };
}

describe('export progress bar', () => {
  it('on a TTY redraws one line with \\r: bar, count/total, percent, rate', () => {
    let t = 0;
    const s = sink(true);
    const bar = new ProgressBar({ label: 'Exporting csv', total: 3000, sink: s, now: () => t });
    t = 1000;
    bar.update(1000);
    t = 1050;
    bar.update(1100); // within 100 ms: not drawn
    t = 2000;
    bar.update(2000);
    bar.done();
    assert.equal(s.writes.length, 3);
    assert.ok(s.writes.every((w) => w.startsWith('\r')));
    assert.match(s.writes[0]!, /Exporting csv \[#{8}-{16}\] 1,000\/3,000 {2}33% 1,000\/s ETA 2s/);
    assert.ok(s.writes[2]!.endsWith('\n'), 'the final draw ends the line');
    assert.ok(!s.writes[1]!.endsWith('\n'));
  });

  it('elsewhere prints a plain line at most every few seconds, and a final one', () => {
    let t = 0;
    const s = sink(false);
    const bar = new ProgressBar({ label: 'Exporting zip', total: 10, sink: s, now: () => t, lineIntervalMs: 5000 });
    for (let i = 1; i <= 10; i++) {
      t = i * 1000;
      bar.update(i);
    }
    bar.done();
    assert.deepEqual(s.writes, ['Exporting zip 5/10  50% 1/s ETA 5s\n', 'Exporting zip 10/10 100% 1/s\n', 'Exporting zip 10/10 100% 1/s\n']);
    assert.ok(s.writes.every((w) => !w.includes('\r')));
  });

  it('an empty export reports 0/0 at 100 %; a count above the total raises the total', () => {
    const s = sink(false);
    new ProgressBar({ label: 'x', total: 0, sink: s, now: () => 1 }).done();
    assert.match(s.writes[0]!, /0\/0 100%/);
    const bar = new ProgressBar({ label: 'x', total: 1, sink: s, now: () => 1 });
    bar.update(2);
    assert.match(bar.line(), /2\/2 100%/);
  });
});
