import type { ExportRecord } from './source';

export interface LearnerGroup {
  userId: string;
  records: ExportRecord[];
}

/**
 * Consecutive records of one learner as a group. The source must be sorted by learner (order `learner`), so
 * memory holds one learner's credentials at a time, whatever the total.
 */
export async function* groupByLearner(records: AsyncIterable<ExportRecord>): AsyncGenerator<LearnerGroup> {
  let current: LearnerGroup | null = null;
  for await (const record of records) {
    if (current && current.userId === record.userId) {
      current.records.push(record);
      continue;
    }
    if (current) yield current;
    current = { userId: record.userId, records: [record] };
  }
  if (current) yield current;
}
