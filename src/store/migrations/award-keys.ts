import type { Connection } from 'mongoose';
import { idempotencyKeyOf } from '../issued-credentials';

const MARKER = 'award-key-per-site';
const BATCH = 1000;

/**
 * An award is one learner, one badge version of one site, whichever registration or deployment the learner came
 * through. Credentials written earlier keyed the award with the registration's id and the deployment id; this
 * rewrites their `idempotencyKey` (the unique index that settles every award), once, in bulk. Their `_id` keeps
 * the old key: a repeat claim of such an award finds the stored credential through the unique index on insert.
 * Two credentials that turn out to be one award (the learner claimed through two registrations of one site)
 * both stay valid: the second keeps its old key and is counted.
 */
export async function rekeyAwards(connection: Connection, force = false): Promise<{ rekeyed: number; duplicates: number }> {
  const markers = connection.collection<{ _id: string; doneAt: Date }>('migrations');
  if (!force && (await markers.findOne({ _id: MARKER }))) return { rekeyed: 0, duplicates: 0 };
  const credentials = connection.collection('credentials');
  const cursor = credentials.find({}, { projection: { _id: 1, idempotencyKey: 1, platformId: 1, userId: 1, badgeId: 1, badgeVersion: 1 } });
  let ops: Array<{ updateOne: { filter: { _id: never }; update: { $set: { idempotencyKey: string } } } }> = [];
  const result = { rekeyed: 0, duplicates: 0 };
  const flush = async () => {
    if (!ops.length) return;
    const batch = ops;
    ops = [];
    try {
      result.rekeyed += (await credentials.bulkWrite(batch, { ordered: false })).modifiedCount;
    } catch (err) {
      const e = err as { code?: number; result?: { modifiedCount?: number }; writeErrors?: unknown[] };
      if (!e.writeErrors && e.code !== 11000) throw err;
      result.rekeyed += e.result?.modifiedCount ?? 0;
      result.duplicates += e.writeErrors?.length ?? 1;
    }
  };
  for await (const d of cursor) {
    const key = idempotencyKeyOf({
      platformId: String(d.platformId),
      userId: String(d.userId),
      badgeId: String(d.badgeId),
      badgeVersion: Number(d.badgeVersion),
    });
    if (d.idempotencyKey === key) continue;
    ops.push({ updateOne: { filter: { _id: d._id as never }, update: { $set: { idempotencyKey: key } } } });
    if (ops.length >= BATCH) await flush();
  }
  await flush();
  await markers.updateOne({ _id: MARKER }, { $set: { doneAt: new Date() } }, { upsert: true });
  return result;
}
