import type { RequestHandler } from 'express';
import { AppError, notFound } from '../../../errors';
import type { LaunchContext } from '../../../lti/launch-context';
import { contextOf } from '../../middleware/session';
import type { RegistrarExportDeps } from './deps';

type Deps = Pick<RegistrarExportDeps, 'apiTokens' | 'audit'>;

const recordTokenChange = (deps: Deps, c: LaunchContext, action: string, details: Record<string, unknown>) =>
  deps.audit?.record({
    platformId: c.platformId,
    actor: { userId: c.userId, role: 'registrar' },
    action,
    subject: { kind: 'platform', id: c.platformId },
    details,
  });

/** The institution's API tokens (never their secrets). */
export const listApiTokens =
  (deps: Deps): RequestHandler =>
  async (_req, res) => {
    const c = contextOf(res);
    res.set('Cache-Control', 'no-store').json({ tokens: await deps.apiTokens.list(c.platformId) });
  };

/** A new API token with a label; its secret is shown this once. */
export const createApiToken =
  (deps: Deps): RequestHandler =>
  async (req, res) => {
    const c = contextOf(res);
    const label = typeof req.body?.label === 'string' ? req.body.label.trim() : '';
    if (!label) throw new AppError('API_TOKEN_LABEL_REQUIRED', 'Give the token a label (what will use it).', { status: 400 });
    if (label.length > 100) throw new AppError('API_TOKEN_LABEL_INVALID', 'The label must be at most 100 characters.', { status: 400 });
    const { token, record } = await deps.apiTokens.create(c.platformId, label, c.userId);
    await recordTokenChange(deps, c, 'api-token.create', { tokenId: record.id, label: record.label });
    res.status(201).set('Cache-Control', 'no-store').json({ id: record.id, label: record.label, createdAt: record.createdAt, token });
  };

/** Revokes an active token of the institution; it fails from the next request on. */
export const revokeApiToken =
  (deps: Deps): RequestHandler =>
  async (req, res) => {
    const c = contextOf(res);
    const id = String(req.params.id);
    if (!(await deps.apiTokens.revoke(c.platformId, id))) throw notFound('API_TOKEN_NOT_FOUND', 'There is no such active token.');
    await recordTokenChange(deps, c, 'api-token.revoke', { tokenId: id });
    res.json({ id, revoked: true });
  };
