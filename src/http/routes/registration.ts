import { Router } from 'express';
import type { DynamicRegistrationResult } from '../../lti/dynamic-registration';
import { LTI_ROUTES } from '../../lti/provider';
import { localeFromHeader, translate } from '../i18n';
import { allowFramingBy } from '../middleware/security';
import { renderPage } from '../views';

export interface RegistrationDeps {
  register(q: { openidConfiguration: unknown; registrationToken: unknown }, onConfigValidated?: (origin: string) => void): Promise<DynamicRegistrationResult>;
  toolName: string;
}

/** The URL a Moodle admin pastes into "Tool URL" (LTI Advantage Dynamic Registration). */
export function registrationRoutes(deps: RegistrationDeps) {
  const router = Router();
  router.get(LTI_ROUTES.register, async (req, res) => {
    // Moodle frames this page on its "Manage tools" page before the site is registered: once its openid
    // configuration is proven, its origin may frame this answer (success or a later error), nothing else changes
    const result = await deps.register({ openidConfiguration: req.query.openid_configuration, registrationToken: req.query.registration_token }, (origin) =>
      allowFramingBy(res, origin),
    );
    req.log?.info({ issuer: result.platform.issuer, clientId: result.platform.clientId, deploymentId: result.deploymentId }, 'platform registered dynamically');
    const locale = localeFromHeader(req.headers['accept-language']);
    renderPage(res, 'registered', {
      title: translate(locale, 'reg.heading'),
      locale,
      toolName: deps.toolName,
      issuer: result.platform.issuer,
      deploymentId: result.deploymentId,
      platformOrigin: new URL(result.platform.issuer).origin,
    });
  });
  return router;
}
