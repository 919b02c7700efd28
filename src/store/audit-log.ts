import type { Connection } from 'mongoose';
import type { IndexDefinition } from './indexes';

/** Who did what to which credential or badge, and why: append-only. */
export interface AuditEntry {
  platformId: string;
  actor: { userId: string; role: string } | { system: string };
  action: string;
  subject: { kind: 'credential' | 'badge' | 'platform' | 'issuer' | 'course'; id: string };
  reason?: string;
  details?: Record<string, unknown>;
  at: Date;
}

const COLLECTION = 'audit_log';

export class AuditLogRepository {
  constructor(
    private readonly connection: Connection,
    private readonly now: () => number = Date.now,
  ) {}

  async record(entry: Omit<AuditEntry, 'at'>): Promise<void> {
    await this.connection.collection(COLLECTION).insertOne({ ...entry, at: new Date(this.now()) });
  }

  /** Newest first, one platform only. */
  async list(platformId: string, filter: { subjectId?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    const query: Record<string, unknown> = { platformId };
    if (filter.subjectId) query['subject.id'] = filter.subjectId;
    const docs = await this.connection
      .collection(COLLECTION)
      .find(query, { projection: { _id: 0 } })
      .sort({ at: -1 })
      .limit(Math.min(filter.limit ?? 100, 1000))
      .toArray();
    return docs as unknown as AuditEntry[];
  }

  static indexes(): IndexDefinition[] {
    return [
      { collection: COLLECTION, key: { platformId: 1, at: -1 } },
      { collection: COLLECTION, key: { 'subject.id': 1 } },
    ];
  }
}
