import { Router, type Response } from 'express';
import { REQUIRED_FUNCTIONS } from '../../lms/moodle';
import type { DataSources } from '../../lms/sources';
import type { AuditLogRepository } from '../../store/audit-log';
import type { WsConnectionRepository } from '../../store/ws-connections';
import { AppError } from '../../errors';
import { translate } from '../i18n';
import { moodleFailure } from '../moodle-failure';
import { contextOf, requireRole } from '../middleware/session';
import { navFor } from '../nav';
import { renderPage } from '../views';

export interface MoodleConnectionDeps {
  connections: WsConnectionRepository;
  sources: DataSources;
  audit: AuditLogRepository;
  now: () => number;
}

/** The registrar (Moodle admin) enters the web-service token once; it is tested before it is saved. */
export function moodleConnectionRoutes(deps: MoodleConnectionDeps) {
  const router = Router();
  const show = async (res: Response, extra: Record<string, unknown>, status = 200) => {
    const c = contextOf(res);
    const current = await deps.connections.find(c.platformId);
    renderPage(
      res,
      'moodle-connection',
      {
        title: translate(c.locale, 'ws.heading'),
        locale: c.locale,
        userName: c.userName,
        nav: navFor(c, res.locals.sessionToken!, 'registrar'),
        sessionToken: res.locals.sessionToken,
        current: current && { siteName: current.siteName, siteUrl: current.siteUrl, checkedAt: current.checkedAt },
        siteUrl: current?.siteUrl ?? new URL(c.issuer).origin,
        requiredFunctions: REQUIRED_FUNCTIONS,
        ...extra,
      },
      status,
    );
  };

  router.get('/app/registrar/moodle', requireRole('registrar'), (_req, res) => show(res, {}));

  router.post('/app/registrar/moodle', requireRole('registrar'), async (req, res) => {
    const c = contextOf(res);
    const siteUrl = typeof req.body.siteUrl === 'string' ? req.body.siteUrl.trim().replace(/\/+$/, '') : '';
    const token = typeof req.body.token === 'string' ? req.body.token.trim() : '';
    if (!/^https?:\/\/\S+$/.test(siteUrl) || !/^[A-Za-z0-9]{16,64}$/.test(token))
      return show(res, { failure: { message: 'Give the Moodle address (http or https) and the web-service token (letters and digits).' } }, 400);
    const check = await deps.sources.create(c.platformId, siteUrl, token).checkConnection();
    if (!check.ok) {
      const message = check.error?.message ?? 'Moodle answered, but the external service lacks functions the tool needs.';
      // what failed, as on the teacher's pages: function, status or timeout, Moodle's words, what to do
      const moodle = check.error ? moodleFailure(new AppError(check.error.code, check.error.message, { details: check.error.details }), c.locale) : null;
      if (moodle)
        req.log?.warn({ platformId: c.platformId, code: moodle.code, what: moodle.what, moodleSaid: moodle.moodleSaid }, 'the Moodle connection test failed');
      return show(res, { failure: { message, missingFunctions: check.missingFunctions, moodle }, warnings: check.warnings }, 400);
    }
    await deps.connections.save({ platformId: c.platformId, siteUrl, token, siteName: check.siteName ?? siteUrl, checkedAt: new Date(deps.now()) });
    await deps.audit.record({
      platformId: c.platformId,
      actor: { userId: c.userId, role: 'registrar' },
      action: 'moodle-connection.save',
      subject: { kind: 'platform', id: c.platformId },
      details: { siteUrl },
    });
    await show(res, { saved: true, warnings: check.warnings });
  });
  return router;
}
