import { Router } from 'express';
import type { ExportDeps } from '../../../export/export';
import { requireRole } from '../../middleware/session';
import { requireApiToken } from './api-token-auth';
import { createApiToken, listApiTokens, revokeApiToken } from './api-tokens';
import type { RegistrarExportDeps } from './deps';
import { exportForApiToken, exportForSession } from './download-export';

export { requireApiToken } from './api-token-auth';
export type { RegistrarExportDeps } from './deps';

/**
 * Credential export for the registrar: the launch session's institution (`/app/registrar/export`) or a
 * registrar API token's (`/api/v1/export`); never another platform's credentials, whatever the query says.
 * Also the registrar's API tokens (create shows the secret once; list; revoke).
 */
export function registrarExportRoutes(deps: RegistrarExportDeps) {
  const router = Router();
  const registrarOnly = requireRole('registrar');
  const exportDeps: ExportDeps = { connection: deps.connection, issuance: deps.issuance, now: deps.now ?? Date.now, ...deps.exportOptions };
  const downloads = { exportDeps, audit: deps.audit };
  router.get('/app/registrar/export', registrarOnly, exportForSession(downloads));
  router.get('/api/v1/export', requireApiToken(deps.apiTokens), exportForApiToken(downloads));
  router.get('/app/registrar/api-tokens', registrarOnly, listApiTokens(deps));
  router.post('/app/registrar/api-tokens', registrarOnly, createApiToken(deps));
  router.post('/app/registrar/api-tokens/:id/revoke', registrarOnly, revokeApiToken(deps));
  return router;
}
