import assert from 'node:assert/strict';
import { RecentReads } from '../../../src/store/recent-reads';

describe('RecentReads (short reuse of hot reads)', () => {
  const counting = <V>(value: V | null) => {
    const load = async () => {
      load.calls++;
      return value;
    };
    load.calls = 0;
    return load;
  };

  it('reuses a read within its time, reads again after it and after forget()', async () => {
    const reads = new RecentReads<string>(40);
    const load = counting('profile');
    assert.equal(await reads.get('a', load), 'profile');
    assert.equal(await reads.get('a', load), 'profile');
    assert.equal(load.calls, 1);
    reads.forget('a');
    await reads.get('a', load);
    assert.equal(load.calls, 2);
    await new Promise((r) => setTimeout(r, 60));
    await reads.get('a', load);
    assert.equal(load.calls, 3);
  });

  it('a read that was running when the record changed answers but keeps nothing', async () => {
    const reads = new RecentReads<string>(60_000);
    let release!: () => void;
    const slow = reads.get('p', () => new Promise<string>((resolve) => (release = () => resolve('before the change'))));
    reads.forget('p'); // the change lands while the read is on its way
    release();
    assert.equal(await slow, 'before the change');
    const load = counting('after the change');
    assert.equal(await reads.get('p', load), 'after the change');
    assert.equal(load.calls, 1, 'the stale answer was not kept');
  });

  it('never keeps an absent record: it is asked for again every time', async () => {
    const reads = new RecentReads<string>(60_000);
    const load = counting<string>(null);
    assert.equal(await reads.get('forged-issuer', load), null);
    assert.equal(await reads.get('forged-issuer', load), null);
    assert.equal(load.calls, 2);
  });

  it('stays within its bound', async () => {
    const reads = new RecentReads<number>(60_000, 3);
    for (let i = 0; i < 10; i++) await reads.get(String(i), async () => i);
    const load = counting(0);
    await reads.get('0', load);
    assert.equal(load.calls, 1, 'the oldest entries were dropped');
  });
});
