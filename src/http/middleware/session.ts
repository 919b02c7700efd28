import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../../errors';
import type { LaunchContext } from '../../lti/launch-context';
import type { Role } from '../../lti/roles';
import type { Session, SessionRepository } from '../../store/sessions';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      session?: Session<LaunchContext>;
      sessionToken?: string;
      cspNonce?: string;
    }
  }
}

/** The session token: `Authorization: Bearer`, form field `s` (POST) or query `s` (GET links). Never a cookie. */
function tokenFrom(req: Request): string | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    // state changes take the token from the body only: a link cannot trigger them (CSRF)
    return typeof req.body?.s === 'string' ? req.body.s : null;
  }
  return typeof req.query.s === 'string' ? req.query.s : null;
}

export function loadSession(sessions: SessionRepository<LaunchContext>) {
  return async function session(req: Request, res: Response, next: NextFunction) {
    try {
      const token = tokenFrom(req);
      const found = token ? await sessions.find(token) : null;
      if (!found || !token) throw new AppError('SESSION_REQUIRED', 'Your session has ended or is missing: open the tool again from Moodle.', { status: 401 });
      res.locals.session = found;
      res.locals.sessionToken = token;
      next();
    } catch (err) {
      next(err);
    }
  };
}

/** Every route states the roles it admits; anyone else gets 403 and nothing of the page. */
export function requireRole(...allowed: Role[]) {
  return function roleCheck(_req: Request, res: Response, next: NextFunction) {
    const roles = res.locals.session?.context.roles ?? [];
    if (!roles.some((r) => allowed.includes(r)))
      return next(new AppError('ROLE_FORBIDDEN', `This page is for the ${allowed.join(' or ')} role only.`, { status: 403 }));
    next();
  };
}

export const contextOf = (res: Response): LaunchContext => {
  if (!res.locals.session) throw new AppError('SESSION_REQUIRED', 'No session.', { status: 401 });
  return res.locals.session.context;
};
