import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../../../errors';
import { changeCredentialStatus } from '../../../issuance/revocation';
import type { LaunchContext } from '../../../lti/launch-context';
import type { CredentialStatus, IssuedCredential } from '../../../store/issued-credentials';
import { reasonFrom } from '../../form-values';
import { contextOf } from '../../middleware/session';
import { sessionLink } from '../../nav';
import type { RegistrarCredentialDeps } from './deps';

/** The problems of a bulk change the page shows at its form (any other error code is not echoed from the query). */
export const BULK_ERRORS = new Set<string>(['STATUS_ACTION_INVALID', 'STATUS_REASON_REQUIRED', 'STATUS_IDS_INVALID']);

const ACTIONS: Record<string, CredentialStatus> = { revoke: 'revoked', suspend: 'suspended', reinstate: 'active' };

const actionInvalid = () => new AppError('STATUS_ACTION_INVALID', 'The action must be revoke, suspend or reinstate.', { status: 400 });
const reasonRequired = () => new AppError('STATUS_REASON_REQUIRED', 'Give a reason.', { status: 400 });

/** The form's action and reason; a reason is required except to reinstate. */
const statusChangeFrom = (body: Record<string, unknown>) => ({ status: ACTIONS[String(body.action)], reason: reasonFrom(body) });

const fromPage = (req: Request) => req.accepts(['json', 'html']) === 'html';

/** Another institution's credential, or one not issued, is simply not found. */
const isOwnIssued = (record: IssuedCredential | null, c: LaunchContext): record is IssuedCredential =>
  !!record && record.platformId === c.platformId && record.state === 'issued';

const changeAsRegistrar = (deps: RegistrarCredentialDeps, c: LaunchContext, record: IssuedCredential, status: CredentialStatus, reason: string) =>
  changeCredentialStatus(deps.issuance, deps.audit, record, status, reason, { userId: c.userId, role: 'registrar' });

/** A registrar revokes, suspends or reinstates one credential of their institution, with a reason (audited). */
export const changeStatus =
  (deps: RegistrarCredentialDeps): RequestHandler =>
  async (req, res) => {
    const c = contextOf(res);
    const { status, reason } = statusChangeFrom(req.body);
    if (!status) throw actionInvalid();
    if (!reason && status !== 'active') throw reasonRequired();
    const record = await deps.issuance.credentials.findById(String(req.params.id));
    if (!isOwnIssued(record, c)) throw new AppError('CREDENTIAL_NOT_FOUND', 'There is no such credential.', { status: 404 });
    await changeAsRegistrar(deps, c, record, status, reason);
    if (fromPage(req)) return res.redirect(303, sessionLink('/app/registrar', res.locals.sessionToken!));
    res.json({ id: record.id, status });
  };

/** The ids of a bulk change: a list, or one field of ids separated by spaces or commas. */
function idsFrom(raw: unknown): string[] {
  return (Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[\s,]+/) : []).map(String).filter(Boolean);
}

/** Back to the registrar's page with the bulk change's outcome in the query. */
const backToRegistrarPage = (res: Response, params: Record<string, string>, hash = '') =>
  res.redirect(303, `/app/registrar?${new URLSearchParams({ s: res.locals.sessionToken!, ...params })}${hash}`);

/** Bulk: the same change with one reason for many credentials of this institution; ids of others are reported as not found. */
export const changeStatusInBulk =
  (deps: RegistrarCredentialDeps): RequestHandler =>
  async (req, res) => {
    const c = contextOf(res);
    const { status, reason } = statusChangeFrom(req.body);
    const ids = idsFrom(req.body.ids);
    const problem = !status
      ? actionInvalid()
      : !reason && status !== 'active'
        ? reasonRequired()
        : ids.length === 0 || ids.length > 1000
          ? new AppError('STATUS_IDS_INVALID', 'Give between 1 and 1000 credential ids.', { status: 400 })
          : null;
    // from the page: back to it with the problem shown at the form and the ticked credentials still ticked
    if (problem && fromPage(req) && ids.length <= 200) return backToRegistrarPage(res, { bulkError: problem.code, picked: ids.join(',') }, '#bulk-status');
    if (problem) throw problem;
    const changed: string[] = [];
    const notFound: string[] = [];
    for (const id of [...new Set(ids)]) {
      const record = await deps.issuance.credentials.findById(id);
      if (!isOwnIssued(record, c)) notFound.push(id);
      else {
        await changeAsRegistrar(deps, c, record, status!, reason);
        changed.push(id);
      }
    }
    if (fromPage(req)) return backToRegistrarPage(res, { changed: String(changed.length), notFound: String(notFound.length) });
    res.json({ status, changed, notFound });
  };
