import type { Connection } from 'mongoose';
import type { IssuedCredential } from '../store/issued-credentials';
import { toQuery, type ExportFilter } from './filter';

/** What an export reads of a credential record (never the idempotency key or internal fields). */
export type ExportRecord = Pick<
  IssuedCredential,
  'id' | 'platformId' | 'courseId' | 'userId' | 'badgeId' | 'badgeVersion' | 'status' | 'statusReason' | 'achievementName' | 'issuedAt'
> & { json: Record<string, unknown>; jwt?: string | null };

/**
 * - `natural`: no sort, the server's order: MongoDB walks an index of the platform's credentials (e.g.
 *   { platformId, userId }) and never sorts in memory. The order is unspecified.
 * - `learner`: grouped by learner (`userId`), for the per-learner formats; MongoDB serves it from the
 *   { platformId, userId } index, so nothing is sorted in memory (allowDiskUse covers filters that prevent that).
 */
export type ExportOrder = 'natural' | 'learner';

export interface SourceOptions {
  order: ExportOrder;
  /** Also read the VC-JWT form (ZIP). */
  withJwt?: boolean;
  /** Records per round trip; the cursor holds at most this many at a time. */
  batchSize?: number;
}

const COLLECTION = 'credentials';

/**
 * Credentials matching a filter, streamed from a MongoDB cursor: memory holds one batch, whatever the count.
 * Iterating it is pull-based, so a slow consumer (stream.pipeline backpressure) stops the reads; ending the
 * iteration early (an error, a closed connection) closes the cursor.
 */
export class CredentialSource {
  constructor(private readonly connection: Connection) {}

  private get col() {
    return this.connection.collection(COLLECTION);
  }

  async count(filter: ExportFilter): Promise<number> {
    return this.col.countDocuments(toQuery(filter));
  }

  async *records(filter: ExportFilter, options: SourceOptions): AsyncGenerator<ExportRecord> {
    const projection: Record<string, 0 | 1> = {
      _id: 0,
      id: 1,
      platformId: 1,
      courseId: 1,
      userId: 1,
      badgeId: 1,
      badgeVersion: 1,
      status: 1,
      statusReason: 1,
      achievementName: 1,
      issuedAt: 1,
      json: 1,
    };
    if (options.withJwt) projection.jwt = 1;
    const cursor = this.col.find(toQuery(filter), {
      projection,
      ...(options.order === 'learner' ? { sort: { userId: 1 } } : {}),
      batchSize: options.batchSize ?? 200,
      allowDiskUse: true,
    });
    try {
      for await (const doc of cursor) {
        const record = doc as unknown as ExportRecord;
        // a completed record always has its JSON form; anything else is not exportable
        if (record.json && typeof record.json === 'object') yield record;
      }
    } finally {
      await cursor.close().catch(() => undefined);
    }
  }
}
