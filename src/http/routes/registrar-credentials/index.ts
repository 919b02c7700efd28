import { Router } from 'express';
import { changeStatus, changeStatusInBulk } from './change-status';
import { listCredentials } from './credential-list';
import { registrarOnly, type RegistrarCredentialDeps } from './deps';
import { registrarHome } from './home';

export type { RegistrarCredentialDeps } from './deps';

/** The registrar's home and the credentials of their institution: list, and revoke, suspend or reinstate with a reason (audited). */
export function registrarCredentialRoutes(deps: RegistrarCredentialDeps) {
  const router = Router();
  router.get('/app/registrar', registrarOnly, registrarHome(deps));
  router.get('/app/registrar/credentials', registrarOnly, listCredentials(deps));
  router.post('/app/registrar/credentials/status', registrarOnly, changeStatusInBulk(deps));
  router.post('/app/registrar/credentials/:id/status', registrarOnly, changeStatus(deps));
  return router;
}
