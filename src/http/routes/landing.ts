import { Router, type Response } from 'express';
import { AppError } from '../../errors';
import { primaryRole, type Role } from '../../lti/roles';
import type { Site } from '../../store/platforms';
import { translate } from '../i18n';
import { contextOf, requireRole } from '../middleware/session';
import { navFor, ROLE_PAGES, sessionLink } from '../nav';
import { renderPage } from '../views';

export interface LandingDeps {
  findPlatform(id: string): Promise<Site | null>;
}

/** The page each role lands on after a launch (routes mounted behind loadSession). */
export function landingRoutes(deps: LandingDeps) {
  const router = Router();

  router.get('/app', (_req, res) => {
    const context = contextOf(res);
    const role = primaryRole(context.roles);
    if (!role) throw new AppError('ROLE_NONE', 'Your Moodle role gives no access to this tool.', { status: 403 });
    res.redirect(303, sessionLink(ROLE_PAGES[role], res.locals.sessionToken!));
  });

  /** The three landing pages share one layout: a heading, an intro and a list (empty until badges exist). */
  const renderLanding = (res: Response, role: Role, heading: string, items: Array<{ name: string }>, links: Array<{ href: string; label: string }> = []) => {
    const c = contextOf(res);
    renderPage(res, 'landing', {
      title: translate(c.locale, `nav.${role}`),
      locale: c.locale,
      userName: c.userName,
      nav: navFor(c, res.locals.sessionToken!, role),
      heading,
      intro: translate(c.locale, `${role}.intro`),
      empty: translate(c.locale, `${role}.empty`),
      items,
      links,
    });
  };

  return router;
}
