import { randomUUID } from 'node:crypto';
import type request from 'supertest';
import { issueCredential } from '../../../src/issuance/pipeline';
import type { IssuedCredential } from '../../../src/store/issued-credentials';
import { INSTITUTION, defineBadge, recordEarnedDecision } from '../../support/award';
import type { RunningTool } from '../../support/tool';

export interface SeedAward {
  courseId: string;
  userId: string;
  /** Key of a badge of the course; each distinct (courseId, badge) is one badge. */
  badge: string;
  /** Stored issuedAt (the record's date, what the date filter reads). */
  issuedAt?: string;
  email?: string;
}

/**
 * Real credentials on one platform, issued through the issuance pipeline (signed, status-listed): the
 * institution profile, one badge per (course, badge key) with `definition` overrides, an earned decision per
 * award, then issueCredential. issuedAt is set afterwards on the record when given.
 */
export async function seedCredentials(
  tool: RunningTool,
  platform: { id: string; issuer: string },
  awards: SeedAward[],
  definitions: Record<string, Record<string, unknown>> = {},
  institution: typeof INSTITUTION = INSTITUTION,
): Promise<{ records: IssuedCredential[]; badgeIds: Record<string, string> }> {
  const deps = tool.issuance.deps;
  await deps.institutions.save(platform.id, institution, 'test');
  const badgeIds: Record<string, string> = {};
  const versions: Record<string, number> = {};
  const records: IssuedCredential[] = [];
  for (const a of awards) {
    const key = `${a.courseId}/${a.badge}`;
    if (!badgeIds[key]) {
      const { badge, version } = await defineBadge(tool, platform.id, a.courseId, definitions[a.badge]);
      badgeIds[key] = badge.id;
      versions[key] = version.version;
    }
    const learner = { name: `Learner ${a.userId}`, email: a.email ?? `learner${a.userId}@example.com` };
    await recordEarnedDecision(tool, {
      platformId: platform.id,
      courseId: a.courseId,
      userId: a.userId,
      badgeId: badgeIds[key]!,
      badgeVersion: versions[key]!,
      learner,
    });
    let record = await issueCredential(deps, {
      platformId: platform.id,
      platformIssuer: platform.issuer,
      deploymentId: '1',
      courseId: a.courseId,
      courseTitle: `Course ${a.courseId}`,
      userId: a.userId,
      badgeId: badgeIds[key]!,
      learner: { ...learner, showName: false },
    });
    if (a.issuedAt) {
      await tool.db.connection.collection('credentials').updateOne({ id: record.id }, { $set: { issuedAt: new Date(a.issuedAt) } });
      record = { ...record, issuedAt: new Date(a.issuedAt) };
    }
    records.push(record);
  }
  return { records, badgeIds };
}

/**
 * `count` synthetic records copied from a real one (new id, idempotency key and learner), inserted in batches
 * straight into the collection: fast, for volume tests. Their proofs no longer verify (the id changed).
 */
export async function insertSynthetic(tool: RunningTool, template: IssuedCredential, count: number, options: { learners?: number; batch?: number } = {}) {
  const col = tool.db.connection.collection('credentials');
  const learners = options.learners ?? Math.max(1, Math.floor(count / 10));
  const batch = options.batch ?? 500;
  const base = tool.issuance.deps.publicUrl;
  for (let start = 0; start < count; start += batch) {
    const docs = [];
    for (let i = start; i < Math.min(count, start + batch); i++) {
      const id = randomUUID();
      const userId = `s${i % learners}`;
      docs.push({
        ...template,
        id,
        userId,
        idempotencyKey: `synthetic|${id}`,
        claimToken: randomUUID(),
        json: { ...template.json, id: `${base}/credentials/${id}` },
      });
    }
    await col.insertMany(docs, { ordered: false });
  }
}

/** supertest parser that keeps the body as bytes (ZIP, BOM-checked CSV). */
export const binaryParser = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
