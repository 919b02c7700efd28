import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { openExport, type ExportDeps } from '../../../export/export';
import { paramsFromQuery, parseExportParams, type ExportFilter } from '../../../export/filter';
import type { AuditEntry, AuditLogRepository } from '../../../store/audit-log';

const filterForAudit = (f: ExportFilter) => ({
  ...(f.courseId ? { courseId: f.courseId } : {}),
  ...(f.badgeId ? { badgeId: f.badgeId } : {}),
  ...(f.from ? { from: f.from.toISOString() } : {}),
  ...(f.until ? { until: f.until.toISOString() } : {}),
  ...(f.status ? { status: f.status } : {}),
});

const isPrematureClose = (err: unknown) => (err as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE';

/** The chunks of an iterator whose first chunk was already pulled. */
async function* startingWith<T>(first: IteratorResult<T>, iterator: AsyncIterator<T>) {
  if (first.done) return;
  yield first.value;
  for (;;) {
    const next = await iterator.next();
    if (next.done) return;
    yield next.value;
  }
}

/**
 * Streams one platform's export as a download, audited. The query names format and filter (`allowedExtra`: other
 * query keys that may be present); the platform comes from the caller, never from the query.
 */
export async function sendExport(
  deps: { exportDeps: ExportDeps; audit?: AuditLogRepository },
  req: Request,
  res: Response,
  platformId: string,
  actor: AuditEntry['actor'],
  allowedExtra: string[],
) {
  const options = parseExportParams(paramsFromQuery(req.query as Record<string, unknown>, allowedExtra));
  const opened = await openExport(deps.exportDeps, { platformId, options });
  const iterator = opened.body[Symbol.asyncIterator]();
  try {
    // pull the first chunk before any header goes out: a database or input error still becomes a proper error response
    const first = await iterator.next();
    await deps.audit?.record({
      platformId,
      actor,
      action: 'credentials.export',
      subject: { kind: 'platform', id: platformId },
      details: { format: options.format, filter: filterForAudit(opened.filter), ...(options.format === 'clr' ? { clrProof: options.clrProof } : {}) },
    });
    res.status(200).set({
      'Content-Type': opened.contentType,
      'Content-Disposition': `attachment; filename="${opened.filename}"`,
      'Cache-Control': 'no-store',
    });
    try {
      await pipeline(() => startingWith(first, iterator), res);
    } catch (err) {
      // the client went away, or a failure after the first bytes: the response is already cut off
      if (!isPrematureClose(err)) (req as Request & { log?: Logger }).log?.error({ err }, 'export failed while streaming');
    }
  } finally {
    // closes the database cursor whatever happened
    await iterator.return?.(undefined);
  }
}
