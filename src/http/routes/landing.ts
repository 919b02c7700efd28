import { Router } from 'express';
import { AppError } from '../../errors';
import { primaryRole } from '../../lti/roles';
import type { BadgeRepository } from '../../store/badges';
import type { Platform } from '../../store/platforms';
import { translate } from '../i18n';
import { contextOf, requireRole } from '../middleware/session';
import { navFor, ROLE_PAGES, sessionLink } from '../nav';
import { renderPage } from '../views';

export interface LandingDeps {
  badges: BadgeRepository;
  findPlatform(id: string): Promise<Platform | null>;
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

  router.get('/app/teacher', requireRole('teacher'), async (_req, res) => {
    const c = contextOf(res);
    const course = c.courseTitle ?? c.courseId;
    const badges = await deps.badges.listForCourse(c.platformId, c.courseId);
    renderPage(res, 'landing', {
      title: translate(c.locale, 'nav.teacher'),
      locale: c.locale,
      userName: c.userName,
      nav: navFor(c, res.locals.sessionToken!, 'teacher'),
      heading: translate(c.locale, 'teacher.heading', { course }),
      intro: translate(c.locale, 'teacher.intro'),
      empty: translate(c.locale, 'teacher.empty'),
      items: badges.map((b) => ({ name: b.name })),
    });
  });

  router.get('/app/student', requireRole('student'), (_req, res) => {
    const c = contextOf(res);
    const course = c.courseTitle ?? c.courseId;
    renderPage(res, 'landing', {
      title: translate(c.locale, 'nav.student'),
      locale: c.locale,
      userName: c.userName,
      nav: navFor(c, res.locals.sessionToken!, 'student'),
      heading: translate(c.locale, 'student.heading', { course }),
      intro: translate(c.locale, 'student.intro'),
      empty: translate(c.locale, 'student.empty'),
      items: [],
    });
  });

  router.get('/app/registrar', requireRole('registrar'), async (_req, res) => {
    const c = contextOf(res);
    const platform = await deps.findPlatform(c.platformId);
    renderPage(res, 'landing', {
      title: translate(c.locale, 'nav.registrar'),
      locale: c.locale,
      userName: c.userName,
      nav: navFor(c, res.locals.sessionToken!, 'registrar'),
      heading: translate(c.locale, 'registrar.heading', { platform: platform?.name ?? c.issuer }),
      intro: translate(c.locale, 'registrar.intro'),
      empty: translate(c.locale, 'registrar.empty'),
      items: [],
    });
  });

  return router;
}
