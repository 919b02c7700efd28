import type { RequestHandler } from 'express';
import type { ExportDeps } from '../../../export/export';
import type { AuditLogRepository } from '../../../store/audit-log';
import { contextOf } from '../../middleware/session';
import { sendExport } from './send-export';

type Deps = { exportDeps: ExportDeps; audit?: AuditLogRepository };

/** The registrar downloads their institution's credentials from the page (launch session; `s` may be in the query). */
export const exportForSession =
  (deps: Deps): RequestHandler =>
  async (req, res) => {
    const c = contextOf(res);
    await sendExport(deps, req, res, c.platformId, { userId: c.userId, role: 'registrar' }, ['s']);
  };

/** A registrar API token's institution, for scripts and student information systems. */
export const exportForApiToken =
  (deps: Deps): RequestHandler =>
  async (req, res) => {
    const token = res.locals.apiToken!;
    await sendExport(deps, req, res, token.platformId, { system: `api-token:${token.id}` }, []);
  };
