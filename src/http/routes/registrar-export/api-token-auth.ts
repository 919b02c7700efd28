import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../../../errors';
import type { ApiToken, ApiTokenRepository } from '../../../store/api-tokens';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      apiToken?: ApiToken;
    }
  }
}

/** `Authorization: Bearer <registrar API token>` → res.locals.apiToken; 401 for a missing, unknown or revoked token. */
export function requireApiToken(apiTokens: ApiTokenRepository) {
  return async function apiToken(req: Request, res: Response, next: NextFunction) {
    try {
      const auth = req.headers.authorization;
      const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : null;
      res.set('WWW-Authenticate', 'Bearer realm="registrar-api"');
      if (!token) throw new AppError('API_TOKEN_REQUIRED', 'Send a registrar API token: Authorization: Bearer <token>.', { status: 401 });
      const found = await apiTokens.authenticate(token);
      if (!found) throw new AppError('API_TOKEN_INVALID', 'The API token is unknown or has been revoked.', { status: 401 });
      res.removeHeader('WWW-Authenticate');
      res.locals.apiToken = found;
      next();
    } catch (err) {
      next(err);
    }
  };
}
