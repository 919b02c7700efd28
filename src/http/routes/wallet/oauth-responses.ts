import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { isWalletError, WalletError } from '../../../wallet';

/** Web wallets call from any origin: every endpoint is CORS-open and answers its preflight itself. */
export const cors: RequestHandler = (req, res, next) => {
  res.set('Access-Control-Allow-Origin', '*');
  if (req.method !== 'OPTIONS') return next();
  res
    .set('Access-Control-Allow-Methods', 'GET, POST, OPTIONS')
    .set('Access-Control-Allow-Headers', 'Authorization, Content-Type, Accept, Accept-Language')
    .set('Access-Control-Max-Age', '600');
  res.status(204).end();
};

export const sendJson = (res: Response, status: number, body: unknown, cache = 'no-store') =>
  res.status(status).set('Cache-Control', cache).type('application/json').send(JSON.stringify(body));

/** A wallet error in OAuth form ({ error, error_description }); anything else is logged and becomes server_error. */
export const sendWalletError = (req: Request, res: Response, err: unknown) => {
  if (isWalletError(err)) {
    req.log?.info({ error: err.error, status: err.status }, `wallet: ${err.message}`);
    if (err.status === 401) res.set('WWW-Authenticate', `Bearer error="${err.error}", error_description="${err.message}"`);
    return sendJson(res, err.status, err.body());
  }
  req.log?.error({ err }, 'wallet endpoint failed');
  sendJson(res, 500, new WalletError('server_error', 'The credential issuer failed; try again later.').body());
};

/** Every wallet endpoint: its own errors in OAuth form, never the app's error JSON. */
export const walletEndpoint =
  (handler: (req: Request, res: Response) => Promise<unknown>): RequestHandler =>
  async (req, res) => {
    try {
      await handler(req, res);
    } catch (err) {
      sendWalletError(req, res, err);
    }
  };

/** A body the parsers refuse (bad JSON, too large, bad charset) is the wallet's error, not ours. */
export function unreadableBody(err: unknown, req: Request, res: Response, next: NextFunction) {
  if (!(err as { type?: string }).type) return next(err);
  const code = req.path.startsWith('/credential') ? 'invalid_credential_request' : 'invalid_request';
  sendWalletError(req, res, new WalletError(code, `The request body cannot be read (${(err as { type: string }).type}).`));
}
