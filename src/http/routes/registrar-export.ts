import { pipeline } from 'node:stream/promises';
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import { AppError, notFound } from '../../errors';
import { openExport, type ExportDeps } from '../../export/export';
import { paramsFromQuery, parseExportParams, type ExportFilter } from '../../export/filter';
import type { Issuance } from '../../issuance/services';
import type { ApiToken, ApiTokenRepository } from '../../store/api-tokens';
import type { AuditLogRepository } from '../../store/audit-log';
import { contextOf, requireRole } from '../middleware/session';

export interface RegistrarExportDeps {
  connection: Connection;
  issuance: Issuance;
  apiTokens: ApiTokenRepository;
  audit?: AuditLogRepository;
  now?: () => number;
  /** Passed to the export (tests: where the ZIP central directory spills). */
  exportOptions?: Pick<ExportDeps, 'zip'>;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      apiToken?: ApiToken;
    }
  }
}

/** `Authorization: Bearer <registrar API token>` → res.locals.apiToken; 401 for a missing, unknown or revoked token. */
export function requireApiToken(apiTokens: ApiTokenRepository) {
  return async function apiToken(req: Request, res: Response, next: NextFunction) {
    try {
      const auth = req.headers.authorization;
      const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : null;
      res.set('WWW-Authenticate', 'Bearer realm="registrar-api"');
      if (!token) throw new AppError('API_TOKEN_REQUIRED', 'Send a registrar API token: Authorization: Bearer <token>.', { status: 401 });
      const found = await apiTokens.authenticate(token);
      if (!found) throw new AppError('API_TOKEN_INVALID', 'The API token is unknown or has been revoked.', { status: 401 });
      res.removeHeader('WWW-Authenticate');
      res.locals.apiToken = found;
      next();
    } catch (err) {
      next(err);
    }
  };
}

const filterForAudit = (f: ExportFilter) => ({
  ...(f.courseId ? { courseId: f.courseId } : {}),
  ...(f.badgeId ? { badgeId: f.badgeId } : {}),
  ...(f.from ? { from: f.from.toISOString() } : {}),
  ...(f.until ? { until: f.until.toISOString() } : {}),
  ...(f.status ? { status: f.status } : {}),
});

const isPrematureClose = (err: unknown) => (err as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE';

/**
 * Credential export for the registrar: the launch session's institution (`/app/registrar/export`) or a
 * registrar API token's (`/api/v1/export`); never another platform's credentials, whatever the query says.
 * Also the registrar's API tokens (create shows the secret once; list; revoke).
 */
export function registrarExportRoutes(deps: RegistrarExportDeps) {
  const router = Router();
  const now = deps.now ?? Date.now;
  const exportDeps: ExportDeps = { connection: deps.connection, issuance: deps.issuance, now, ...deps.exportOptions };

  async function sendExport(
    req: Request,
    res: Response,
    platformId: string,
    actor: { userId: string; role: string } | { system: string },
    allowedExtra: string[],
  ) {
    const options = parseExportParams(paramsFromQuery(req.query as Record<string, unknown>, allowedExtra));
    const opened = await openExport(exportDeps, { platformId, options });
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
      async function* rest() {
        if (first.done) return;
        yield first.value;
        for (;;) {
          const next = await iterator.next();
          if (next.done) return;
          yield next.value;
        }
      }
      try {
        await pipeline(rest, res);
      } catch (err) {
        // the client went away, or a failure after the first bytes: the response is already cut off
        if (!isPrematureClose(err)) (req as Request & { log?: Logger }).log?.error({ err }, 'export failed while streaming');
      }
    } finally {
      // closes the database cursor whatever happened
      await iterator.return?.(undefined);
    }
  }

  router.get('/app/registrar/export', requireRole('registrar'), async (req, res) => {
    const c = contextOf(res);
    await sendExport(req, res, c.platformId, { userId: c.userId, role: 'registrar' }, ['s']);
  });

  router.get('/api/v1/export', requireApiToken(deps.apiTokens), async (req, res) => {
    const token = res.locals.apiToken!;
    await sendExport(req, res, token.platformId, { system: `api-token:${token.id}` }, []);
  });

  router.get('/app/registrar/api-tokens', requireRole('registrar'), async (_req, res) => {
    const c = contextOf(res);
    res.set('Cache-Control', 'no-store').json({ tokens: await deps.apiTokens.list(c.platformId) });
  });

  router.post('/app/registrar/api-tokens', requireRole('registrar'), async (req, res) => {
    const c = contextOf(res);
    const label = typeof req.body?.label === 'string' ? req.body.label.trim() : '';
    if (!label) throw new AppError('API_TOKEN_LABEL_REQUIRED', 'Give the token a label (what will use it).', { status: 400 });
    if (label.length > 100) throw new AppError('API_TOKEN_LABEL_INVALID', 'The label must be at most 100 characters.', { status: 400 });
    const { token, record } = await deps.apiTokens.create(c.platformId, label, c.userId);
    await deps.audit?.record({
      platformId: c.platformId,
      actor: { userId: c.userId, role: 'registrar' },
      action: 'api-token.create',
      subject: { kind: 'platform', id: c.platformId },
      details: { tokenId: record.id, label: record.label },
    });
    res.status(201).set('Cache-Control', 'no-store').json({ id: record.id, label: record.label, createdAt: record.createdAt, token });
  });

  router.post('/app/registrar/api-tokens/:id/revoke', requireRole('registrar'), async (req, res) => {
    const c = contextOf(res);
    const id = String(req.params.id);
    if (!(await deps.apiTokens.revoke(c.platformId, id))) throw notFound('API_TOKEN_NOT_FOUND', 'There is no such active token.');
    await deps.audit?.record({
      platformId: c.platformId,
      actor: { userId: c.userId, role: 'registrar' },
      action: 'api-token.revoke',
      subject: { kind: 'platform', id: c.platformId },
      details: { tokenId: id },
    });
    res.json({ id, revoked: true });
  });

  return router;
}
