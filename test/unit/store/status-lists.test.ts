import assert from 'node:assert/strict';
import { ensureIndexes } from '../../../src/store/indexes';
import { LIST_SIZE, StatusListRepository } from '../../../src/store/status-lists';
import { freshDatabase } from '../../support/db';

describe('StatusListRepository (bitstring status list slots)', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  before(async () => {
    db = await freshDatabase();
    await ensureIndexes(db.connection, StatusListRepository.indexes());
  });
  after(() => db.drop());

  it('lists hold at least 131,072 entries', () => {
    assert.ok(LIST_SIZE >= 131_072);
    assert.equal(new StatusListRepository(db.connection).listSize, 131_072);
  });

  it('fifty concurrent allocations get fifty distinct slots, not in issue order', async () => {
    const repo = new StatusListRepository(db.connection);
    const slots = await Promise.all(Array.from({ length: 50 }, (_, i) => repo.allocate('issuer-a', `urn:c:${i}`)));
    const keys = new Set(slots.map((s) => `${s.listId}/${s.index}`));
    assert.equal(keys.size, 50);
    const indexes = slots.map((s) => s.index);
    assert.notDeepEqual(indexes, [...indexes].sort((a, b) => a - b), 'indexes are not sequential');
    assert.ok(indexes.every((i) => i >= 0 && i < LIST_SIZE));
  });

  it('a full list rolls over to a new one; issuers never share lists', async () => {
    const repo = new StatusListRepository(db.connection, { listSize: 16, fillRatio: 0.5 });
    const slots = await Promise.all(Array.from({ length: 30 }, (_, i) => repo.allocate('issuer-b', `urn:b:${i}`)));
    const perList = new Map<string, Set<number>>();
    for (const s of slots) perList.set(s.listId, (perList.get(s.listId) ?? new Set()).add(s.index));
    assert.ok(perList.size >= 3, `30 slots at 8 per list need several lists, got ${perList.size}`);
    for (const set of perList.values()) assert.ok(set.size <= 16);
    assert.equal([...perList.values()].reduce((n, s) => n + s.size, 0), 30);
    assert.ok(!(await repo.listExists('issuer-a', 'x')));
  });

  it('revoked and suspended indexes are reported per purpose', async () => {
    const repo = new StatusListRepository(db.connection);
    const a = await repo.allocate('issuer-c', 'urn:x:1');
    const b = await repo.allocate('issuer-c', 'urn:x:2');
    await repo.setStatus(a, { revoked: true });
    await repo.setStatus(b, { suspended: true });
    assert.deepEqual(await repo.flaggedIndexes('issuer-c', a.listId, 'revocation'), [a.index]);
    assert.deepEqual(await repo.flaggedIndexes('issuer-c', b.listId, 'suspension'), [b.index]);
  });
});
