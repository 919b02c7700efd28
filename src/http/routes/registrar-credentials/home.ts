import type { RequestHandler } from 'express';
import type { LaunchContext, Locale } from '../../../lti/launch-context';
import type { AuditEntry } from '../../../store/audit-log';
import type { IssuedCredential } from '../../../store/issued-credentials';
import { formatDate, translate, translateOptional } from '../../i18n';
import { contextOf } from '../../middleware/session';
import { navFor, sessionLink } from '../../nav';
import type { SetupStateOf } from '../../setup-state';
import { renderPage } from '../../views';
import { BULK_ERRORS } from './change-status';
import type { RegistrarCredentialDeps } from './deps';

/** The counts a bulk change from the page reports back (query of its redirect); null when there are none. */
function bulkResultOf(query: Record<string, unknown>): { changed: number; notFound: number } | null {
  const count = (v: unknown) => (typeof v === 'string' && /^\d{1,4}$/.test(v) ? Number(v) : null);
  const changed = count(query.changed);
  return changed === null ? null : { changed, notFound: count(query.notFound) ?? 0 };
}

/** The set-up checklist: each step done or not, the web service's last test, and a link to the page that does it. */
function setupChecklist(setup: Awaited<ReturnType<SetupStateOf>>, c: LaunchContext, token: string) {
  const stepLinks: Record<string, string> = {
    profile: sessionLink('/app/registrar/institution', token),
    webService: sessionLink('/app/registrar/moodle', token),
  };
  return {
    complete: setup.complete,
    steps: setup.steps.map((s) => ({
      done: s.done,
      label: translate(c.locale, `setup.step.${s.step}`),
      state:
        s.step === 'webService' && setup.facts.webService
          ? translate(c.locale, 'setup.webServiceTested', { site: setup.facts.webService.siteName, when: new Date(setup.facts.webService.checkedAt) })
          : translate(c.locale, s.done ? 'setup.done' : 'setup.notDone'),
      href: stepLinks[s.step] ?? null,
    })),
  };
}

const credentialRow = (x: IssuedCredential, c: LaunchContext, picked: Set<string>, copies: Map<string, number>) => ({
  picked: picked.has(x.id),
  id: x.id,
  name: x.achievementName,
  userId: x.userId,
  courseId: x.courseId,
  issuedOn: x.issuedAt ? formatDate(c.locale, new Date(x.issuedAt), 'utcDay') : '',
  status: translate(c.locale, `credstatus.${x.status}`),
  walletCopies: copies.get(x.id) ?? 0,
});

const auditRow = (a: AuditEntry, locale: Locale) => ({
  at: formatDate(locale, new Date(a.at), 'utcMinute'),
  who: 'userId' in a.actor ? `#${a.actor.userId} (${a.actor.role})` : a.actor.system,
  action: a.action,
  subject: a.subject.id,
  reason: a.reason ?? '',
});

/** The registrar's home: set-up checklist, exports, the institution's credentials (with bulk status change) and the audit log. */
export const registrarHome =
  (deps: RegistrarCredentialDeps): RequestHandler =>
  async (req, res) => {
    const c = contextOf(res);
    const token = res.locals.sessionToken!;
    const platform = await deps.findPlatform(c.platformId);
    const credentials = (await deps.issuance.credentials.listForPlatform(c.platformId)).slice(0, 200);
    const picked = new Set(typeof req.query.picked === 'string' ? req.query.picked.split(',') : []);
    const copies = await deps.issuance.copies.countByParent(credentials.map((x) => x.id));
    const audit = await deps.audit.list(c.platformId, { limit: 50 });
    const setup = await deps.setupState(c.platformId);
    renderPage(res, 'registrar-home', {
      setup: setupChecklist(setup, c, token),
      title: translate(c.locale, 'nav.registrar'),
      heading: translate(c.locale, 'registrar.heading', { platform: platform?.name ?? c.issuer }),
      locale: c.locale,
      userName: c.userName,
      nav: navFor(c, token, 'registrar'),
      sessionToken: token,
      links: [
        { href: sessionLink('/app/registrar/institution', token), label: translate(c.locale, 'inst.link') },
        { href: sessionLink('/app/registrar/moodle', token), label: translate(c.locale, 'ws.link') },
      ],
      exports: ['csv', 'jsonl', 'zip', 'clr'].map((format) => ({
        label: format.toUpperCase(),
        href: `/app/registrar/export?format=${format}&s=${encodeURIComponent(token)}`,
      })),
      bulkResult: bulkResultOf(req.query),
      bulkError: BULK_ERRORS.has(String(req.query.bulkError)) ? translateOptional(c.locale, `error.${String(req.query.bulkError)}`) : null,
      credentials: credentials.map((x) => credentialRow(x, c, picked, copies)),
      audit: audit.map((a) => auditRow(a, c.locale)),
    });
  };
