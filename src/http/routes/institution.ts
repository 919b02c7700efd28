import { Router, type Response } from 'express';
import { parseInstitutionProfile, type InstitutionProfile, type ProfileProblem } from '../../issuers/profile';
import type { AuditLogRepository } from '../../store/audit-log';
import type { InstitutionRepository } from '../../store/institutions';
import { translate } from '../i18n';
import { contextOf, requireRole } from '../middleware/session';
import { navFor } from '../nav';
import { renderPage } from '../views';

export interface InstitutionDeps {
  institutions: InstitutionRepository;
  audit: AuditLogRepository;
}

const formValues = (p: InstitutionProfile | null, raw?: Record<string, unknown>) => {
  if (raw)
    return Object.fromEntries(
      Object.entries(raw)
        .filter(([k]) => k !== 's')
        .map(([k, v]) => [k, String(v ?? '')]),
    );
  return {
    nameEn: p?.name.en ?? '',
    nameLv: p?.name.lv ?? '',
    url: p?.url ?? '',
    email: p?.email ?? '',
    addressCountry: p?.address.addressCountry ?? '',
    addressCountryCode: p?.address.addressCountryCode ?? '',
    addressLocality: p?.address.addressLocality ?? '',
    streetAddress: p?.address.streetAddress ?? '',
    postalCode: p?.address.postalCode ?? '',
    registrationNumber: p?.otherIdentifier?.[0]?.identifier ?? '',
  };
};

/** The registrar states the awarding body once per platform. */
export function institutionRoutes(deps: InstitutionDeps) {
  const router = Router();
  const show = (res: Response, values: Record<string, string>, extra: { saved?: boolean; problems?: ProfileProblem[] }, status = 200) => {
    const c = contextOf(res);
    renderPage(
      res,
      'institution',
      {
        title: translate(c.locale, 'inst.heading'),
        locale: c.locale,
        userName: c.userName,
        nav: navFor(c, res.locals.sessionToken!, 'registrar'),
        sessionToken: res.locals.sessionToken,
        values,
        ...extra,
      },
      status,
    );
  };

  router.get('/app/registrar/institution', requireRole('registrar'), async (_req, res) => {
    show(res, formValues(await deps.institutions.find(contextOf(res).platformId)), { saved: false });
  });

  router.post('/app/registrar/institution', requireRole('registrar'), async (req, res) => {
    const c = contextOf(res);
    const parsed = parseInstitutionProfile(req.body);
    if (!parsed.ok) return show(res, formValues(null, req.body), { problems: parsed.problems }, 400);
    await deps.institutions.save(c.platformId, parsed.profile, c.userId);
    await deps.audit.record({
      platformId: c.platformId,
      actor: { userId: c.userId, role: 'registrar' },
      action: 'institution.update',
      subject: { kind: 'issuer', id: c.platformId },
    });
    show(res, formValues(parsed.profile), { saved: true });
  });
  return router;
}
