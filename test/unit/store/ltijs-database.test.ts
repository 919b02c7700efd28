import assert from 'node:assert/strict';
import { ensureIndexes, sweepExpired } from '../../../src/store/indexes';
import { LtijsDatabase, ltijsExpiringCollections, ltijsIndexes } from '../../../src/store/ltijs-database';
import { freshDatabase } from '../../support/db';

describe('LtijsDatabase (ltijs storage on the product connection)', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let clock = 1_800_000_000_000;
  let store: LtijsDatabase;

  before(async () => {
    db = await freshDatabase();
    await ensureIndexes(db.connection, ltijsIndexes());
    store = new LtijsDatabase(db.connection, { nonceLifetimeSeconds: 120, now: () => clock });
  });
  after(() => db.drop());

  it('a nonce stays known for the whole accepted token age (ltijs kept it 10 s: replays slipped through)', async () => {
    await store.Insert(false, 'nonce', { nonce: 'n1' });
    clock += 59_000; // Moodle id_tokens are accepted for 60 s
    assert.ok(await store.Get(false, 'nonce', { nonce: 'n1' }), 'still remembered after 59 s');
    clock += 62_000;
    assert.equal(await store.Get(false, 'nonce', { nonce: 'n1' }), false, 'forgotten after its lifetime');
  });

  it('a nonce cannot be stored twice, even by two launches at the same moment', async () => {
    const results = await Promise.allSettled([store.Insert(false, 'nonce', { nonce: 'n2' }), store.Insert(false, 'nonce', { nonce: 'n2' })]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
  });

  it('encrypted records round-trip and are unreadable at rest', async () => {
    await store.Replace(
      'secret-key-0123456789',
      'privatekey',
      { kid: 'k1' },
      { key: '-----BEGIN RSA PRIVATE KEY-----abc', kid: 'k1' },
      { kid: 'k1', platformUrl: 'https://m', clientId: 'c' },
    );
    const [got] = (await store.Get('secret-key-0123456789', 'privatekey', { kid: 'k1' })) as Array<{ key: string }>;
    assert.equal(got!.key, '-----BEGIN RSA PRIVATE KEY-----abc');
    const raw = await db.connection.collection('ltijs_privatekey').findOne({ kid: 'k1' });
    assert.ok(!JSON.stringify(raw).includes('BEGIN RSA'));
    await assert.rejects(store.Get('another-key-0123456789', 'privatekey', { kid: 'k1' }));
  });

  it('Modify keeps encrypted records encrypted', async () => {
    await store.Modify('secret-key-0123456789', 'privatekey', { kid: 'k1' }, { key: 'rotated' });
    const [got] = (await store.Get('secret-key-0123456789', 'privatekey', { kid: 'k1' })) as Array<{ key: string; kid: string }>;
    assert.equal(got!.key, 'rotated');
    assert.equal(got!.kid, 'k1');
  });

  it('the sweeper removes expired records whatever the server does with TTL indexes', async () => {
    await store.Insert(false, 'state', { state: 's1' });
    clock += 601_000;
    const removed = await sweepExpired(db.connection, ltijsExpiringCollections(), new Date(clock));
    assert.ok(removed >= 1);
    assert.equal(await db.connection.collection('ltijs_state').countDocuments({ state: 's1' }), 0);
  });
});
