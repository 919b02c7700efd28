import { Router } from 'express';
import { AppError } from '../../errors';
import { primaryRole } from '../../lti/roles';
import { contextOf } from '../middleware/session';
import { ROLE_PAGES, sessionLink } from '../nav';

/** After a launch: on to the page of the person's role (mounted behind loadSession). */
export function landingRoutes() {
  const router = Router();

  router.get('/app', (_req, res) => {
    const context = contextOf(res);
    const role = primaryRole(context.roles);
    if (!role) throw new AppError('ROLE_NONE', 'Your Moodle role gives no access to this tool.', { status: 403 });
    res.redirect(303, sessionLink(ROLE_PAGES[role], res.locals.sessionToken!));
  });

  return router;
}
