import assert from 'node:assert/strict';
import { ensureIndexes } from '../../../src/store/indexes';
import { LeaseRepository } from '../../../src/store/leases';
import { freshDatabase } from '../../support/db';

describe('LeaseRepository (one job per key across instances)', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let clock = 1_800_000_000_000;
  let leases: LeaseRepository;
  before(async () => {
    db = await freshDatabase();
    await ensureIndexes(db.connection, LeaseRepository.indexes());
    leases = new LeaseRepository(db.connection, () => clock);
  });
  after(() => db.drop());

  it('of twenty instances racing for a free lease exactly one wins', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => leases.acquire('course:1', `instance-${i}`, 30_000)));
    assert.equal(results.filter(Boolean).length, 1);
  });

  it('a held lease is refused to others, renewed by its owner, and taken over once expired', async () => {
    assert.ok(await leases.acquire('course:2', 'a', 30_000));
    assert.equal(await leases.acquire('course:2', 'b', 30_000), null);
    clock += 20_000;
    assert.ok(await leases.renew('course:2', 'a', 30_000));
    clock += 20_000;
    assert.equal(await leases.acquire('course:2', 'b', 30_000), null, 'renewed lease still held');
    clock += 31_000;
    assert.ok(await leases.acquire('course:2', 'b', 30_000), 'expired lease taken over');
    assert.equal(await leases.renew('course:2', 'a', 30_000), false, 'the old owner learns it lost the lease');
  });

  it('release frees the lease at once', async () => {
    await leases.acquire('course:3', 'a', 30_000);
    await leases.release('course:3', 'a');
    assert.ok(await leases.acquire('course:3', 'b', 30_000));
  });
});
