import { Router } from 'express';
import { AppError } from '../../errors';
import { signDeepLinkingResponse } from '../../lti/deep-linking';
import type { PlatformRegistry } from '../../lti/platform-registry';
import { LTI_ROUTES } from '../../lti/provider';
import type { BadgeRepository } from '../../store/badges';
import { translate } from '../i18n';
import { contextOf, requireRole } from '../middleware/session';
import { renderPage } from '../views';

export interface DeepLinkingDeps {
  badges: BadgeRepository;
  registry: PlatformRegistry;
  publicUrl: string;
  now: () => number;
}

/**
 * A teacher adding the tool from Moodle's activity chooser picks or creates a badge; the tool answers
 * with one LtiResourceLink carrying the badge id as custom parameter `badge_id`.
 */
export function deepLinkingRoutes(deps: DeepLinkingDeps) {
  const router = Router();
  const deepLinkingOnly = (res: Parameters<typeof contextOf>[0]) => {
    const c = contextOf(res);
    if (c.messageType !== 'LtiDeepLinkingRequest' || !c.deepLinking)
      throw new AppError('DEEP_LINKING_REQUIRED', 'This page opens only when adding the tool from Moodle.', { status: 400 });
    return c;
  };

  router.get('/app/deep-linking', requireRole('teacher'), async (_req, res) => {
    const c = deepLinkingOnly(res);
    const badges = await deps.badges.listForCourse(c.platformId, c.courseId);
    renderPage(res, 'deep-linking', {
      title: translate(c.locale, 'dl.heading'),
      locale: c.locale,
      userName: c.userName,
      sessionToken: res.locals.sessionToken,
      badges: badges.map((b) => ({ id: b.id, name: b.name })),
    });
  });

  router.post('/app/deep-linking', requireRole('teacher'), async (req, res) => {
    const c = deepLinkingOnly(res);
    const newName = typeof req.body.newBadgeName === 'string' ? req.body.newBadgeName.trim() : '';
    const pickedId = typeof req.body.badgeId === 'string' ? req.body.badgeId : '';
    const badge = newName
      ? await deps.badges.create({ platformId: c.platformId, courseId: c.courseId, name: newName.slice(0, 200), createdBy: c.userId })
      : await deps.badges.findInCourse(c.platformId, c.courseId, pickedId);
    if (!badge) throw new AppError('BADGE_NOT_FOUND', 'Choose a badge of this course or give a name for a new one.', { status: 400 });
    if (!c.deepLinking!.acceptTypes.includes('ltiResourceLink'))
      throw new AppError('DEEP_LINKING_TYPE_REFUSED', 'Moodle does not accept an activity link here.', { status: 400 });

    const platform = { issuer: c.issuer, clientId: c.clientId };
    const jwt = await signDeepLinkingResponse(
      c,
      await deps.registry.toolKey(platform),
      [{ title: badge.name, url: deps.publicUrl + LTI_ROUTES.launch, custom: { badge_id: badge.id } }],
      deps.now(),
    );
    renderPage(res, 'auto-post', {
      title: translate(c.locale, 'dl.heading'),
      locale: c.locale,
      message: translate(c.locale, 'dl.returning'),
      action: c.deepLinking!.returnUrl,
      fields: { JWT: jwt },
    });
  });
  return router;
}
