import assert from 'node:assert/strict';
import { ensureIndexes } from '../../../src/store/indexes';
import { LearnerStateRepository, type LearnerState } from '../../../src/store/learner-states';
import { freshDatabase } from '../../support/db';

describe('sync: learner states are written one batch at a time', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let states: LearnerStateRepository;
  const state = (userId: string, fingerprint: string, courseId = '2'): LearnerState => ({
    platformId: 'p1',
    courseId,
    userId,
    fingerprint,
    readAt: new Date(Date.UTC(2026, 0, 1, 12, Number(userId) % 60)),
    evaluated: [`b1@${fingerprint.length}`],
  });

  before(async () => {
    db = await freshDatabase();
    await ensureIndexes(db.connection, LearnerStateRepository.indexes());
    states = new LearnerStateRepository(db.connection);
  });
  after(() => db.drop());

  it('saveMany inserts new learners and replaces known ones in one call; other courses are untouched', async () => {
    await states.saveMany([state('4', 'a'), state('5', 'a'), state('4', 'other', '3')]);
    await states.saveMany([state('5', 'bb'), state('6', 'a')]);
    const course = await states.forCourse('p1', '2');
    assert.deepEqual([...course.keys()].sort(), ['4', '5', '6']);
    assert.deepEqual(course.get('4'), state('4', 'a'));
    assert.deepEqual(course.get('5'), state('5', 'bb'), 'the newer read replaces the whole state');
    assert.deepEqual(course.get('6'), state('6', 'a'));
    assert.deepEqual([...(await states.forCourse('p1', '3')).values()], [state('4', 'other', '3')]);
    assert.equal(await db.connection.collection('learner_states').countDocuments(), 4, 'one document per learner and course');
  });

  it('saveMany of nothing writes nothing; save is a batch of one', async () => {
    await states.saveMany([]);
    await states.save(state('7', 'ccc'));
    assert.deepEqual((await states.forCourse('p1', '2')).get('7'), state('7', 'ccc'));
  });
});
