import { Router } from 'express';
import { AppError } from '../../errors';
import { changeCredentialStatus } from '../../issuance/revocation';
import type { Issuance } from '../../issuance/services';
import type { AuditLogRepository } from '../../store/audit-log';
import type { CredentialStatus } from '../../store/issued-credentials';
import { translate, translateOptional } from '../i18n';
import { contextOf, requireRole } from '../middleware/session';
import { navFor, sessionLink } from '../nav';
import { renderPage } from '../views';
import type { Site } from '../../store/platforms';
import type { SetupStateOf } from '../setup-state';

export interface RegistrarCredentialDeps {
  issuance: Issuance;
  audit: AuditLogRepository;
  findPlatform(id: string): Promise<Site | null>;
  setupState: SetupStateOf;
}

const BULK_ERRORS = new Set<string>(['STATUS_ACTION_INVALID', 'STATUS_REASON_REQUIRED', 'STATUS_IDS_INVALID']);

const ACTIONS: Record<string, CredentialStatus> = { revoke: 'revoked', suspend: 'suspended', reinstate: 'active' };

/** The counts a bulk change from the page reports back (query of its redirect); null when there are none. */
function bulkResultOf(query: Record<string, unknown>): { changed: number; notFound: number } | null {
  const count = (v: unknown) => (typeof v === 'string' && /^\d{1,4}$/.test(v) ? Number(v) : null);
  const changed = count(query.changed);
  return changed === null ? null : { changed, notFound: count(query.notFound) ?? 0 };
}

/** A registrar revokes, suspends or reinstates a credential of their institution, with a reason (audited). */
export function registrarCredentialRoutes(deps: RegistrarCredentialDeps) {
  const router = Router();
  router.get('/app/registrar', requireRole('registrar'), async (req, res) => {
    const c = contextOf(res);
    const token = res.locals.sessionToken!;
    const platform = await deps.findPlatform(c.platformId);
    const credentials = (await deps.issuance.credentials.listForPlatform(c.platformId)).slice(0, 200);
    const picked = new Set(typeof req.query.picked === 'string' ? req.query.picked.split(',') : []);
    const copies = await deps.issuance.copies.countByParent(credentials.map((x) => x.id));
    const audit = await deps.audit.list(c.platformId, { limit: 50 });
    const setup = await deps.setupState(c.platformId);
    const stepLinks: Record<string, string> = {
      profile: sessionLink('/app/registrar/institution', token),
      webService: sessionLink('/app/registrar/moodle', token),
    };
    renderPage(res, 'registrar-home', {
      setup: {
        complete: setup.complete,
        steps: setup.steps.map((s) => ({
          done: s.done,
          label: translate(c.locale, `setup.step.${s.step}`),
          state:
            s.step === 'webService' && setup.facts.webService
              ? translate(c.locale, 'setup.webServiceTested', {
                  site: setup.facts.webService.siteName,
                  when: new Date(setup.facts.webService.checkedAt),
                })
              : translate(c.locale, s.done ? 'setup.done' : 'setup.notDone'),
          href: stepLinks[s.step] ?? null,
        })),
      },
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
      credentials: credentials.map((x) => ({
        picked: picked.has(x.id),
        id: x.id,
        name: x.achievementName,
        userId: x.userId,
        courseId: x.courseId,
        issuedOn: x.issuedAt ? new Date(x.issuedAt).toISOString().slice(0, 10) : '',
        status: translate(c.locale, `credstatus.${x.status}`),
        walletCopies: copies.get(x.id) ?? 0,
      })),
      audit: audit.map((a) => ({
        at: new Date(a.at).toISOString().slice(0, 16).replace('T', ' '),
        who: 'userId' in a.actor ? `#${a.actor.userId} (${a.actor.role})` : a.actor.system,
        action: a.action,
        subject: a.subject.id,
        reason: a.reason ?? '',
      })),
    });
  });

  router.get('/app/registrar/credentials', requireRole('registrar'), async (_req, res) => {
    const c = contextOf(res);
    const list = await deps.issuance.credentials.listForPlatform(c.platformId);
    const copies = await deps.issuance.copies.countByParent(list.map((x) => x.id));
    res.json({
      credentials: list.map((x) => ({
        id: x.id,
        courseId: x.courseId,
        userId: x.userId,
        badgeId: x.badgeId,
        badgeVersion: x.badgeVersion,
        name: x.achievementName,
        status: x.status,
        issuedAt: x.issuedAt,
        walletCopies: copies.get(x.id) ?? 0,
      })),
    });
  });

  /** Bulk: the same change with one reason for many credentials of this institution; ids of others are reported as not found. */
  router.post('/app/registrar/credentials/status', requireRole('registrar'), async (req, res) => {
    const c = contextOf(res);
    const status = ACTIONS[String(req.body.action)];
    const reason = typeof req.body.reason === 'string' ? req.body.reason.trim().slice(0, 500) : '';
    const raw = req.body.ids;
    const ids = (Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[\s,]+/) : []).map(String).filter(Boolean);
    const problem = !status
      ? new AppError('STATUS_ACTION_INVALID', 'The action must be revoke, suspend or reinstate.', { status: 400 })
      : !reason && status !== 'active'
        ? new AppError('STATUS_REASON_REQUIRED', 'Give a reason.', { status: 400 })
        : ids.length === 0 || ids.length > 1000
          ? new AppError('STATUS_IDS_INVALID', 'Give between 1 and 1000 credential ids.', { status: 400 })
          : null;
    if (problem && req.accepts(['json', 'html']) === 'html' && ids.length <= 200) {
      // from the page: back to it with the problem shown at the form and the ticked credentials still ticked
      const back = new URLSearchParams({ s: res.locals.sessionToken!, bulkError: problem.code, picked: ids.join(',') });
      return res.redirect(303, `/app/registrar?${back}#bulk-status`);
    }
    if (problem) throw problem;
    const changed: string[] = [];
    const notFound: string[] = [];
    for (const id of [...new Set(ids)]) {
      const record = await deps.issuance.credentials.findById(id);
      if (!record || record.platformId !== c.platformId || record.state !== 'issued') notFound.push(id);
      else {
        await changeCredentialStatus(deps.issuance, deps.audit, record, status!, reason, { userId: c.userId, role: 'registrar' });
        changed.push(id);
      }
    }
    if (req.accepts(['json', 'html']) === 'html') {
      const back = new URLSearchParams({ s: res.locals.sessionToken!, changed: String(changed.length), notFound: String(notFound.length) });
      return res.redirect(303, `/app/registrar?${back}`);
    }
    res.json({ status, changed, notFound });
  });

  router.post('/app/registrar/credentials/:id/status', requireRole('registrar'), async (req, res) => {
    const c = contextOf(res);
    const status = ACTIONS[String(req.body.action)];
    const reason = typeof req.body.reason === 'string' ? req.body.reason.trim().slice(0, 500) : '';
    if (!status) throw new AppError('STATUS_ACTION_INVALID', 'The action must be revoke, suspend or reinstate.', { status: 400 });
    if (!reason && status !== 'active') throw new AppError('STATUS_REASON_REQUIRED', 'Give a reason.', { status: 400 });
    const record = await deps.issuance.credentials.findById(String(req.params.id));
    // another institution's credential is simply not found
    if (!record || record.platformId !== c.platformId || record.state !== 'issued')
      throw new AppError('CREDENTIAL_NOT_FOUND', 'There is no such credential.', { status: 404 });
    await changeCredentialStatus(deps.issuance, deps.audit, record, status, reason, { userId: c.userId, role: 'registrar' });
    if (req.accepts(['json', 'html']) === 'html') return res.redirect(303, sessionLink('/app/registrar', res.locals.sessionToken!));
    res.json({ id: record.id, status });
  });
  return router;
}
