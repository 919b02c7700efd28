import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../errors';
import type { LoginStateRepository } from '../store/login-states';
import type { PlatformRepository } from '../store/platforms';

export interface LoginInitiationOptions {
  platforms: PlatformRepository;
  loginStates: LoginStateRepository;
  publicUrl: string;
  stateTtlSeconds: number;
  now: () => number;
}

const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);

/**
 * Runs before ltijs's /login handler (third-party initiated login, LTI Security Framework §5.1.1).
 * Refuses unknown platforms and deployments early, with words an admin understands, and records the
 * state and nonce ltijs sends to Moodle server-side, so the launch can be matched to this login exactly
 * once (see launch-guard.ts).
 */
export function createLoginInitiation(o: LoginInitiationOptions) {
  return async function loginInitiation(req: Request, res: Response, next: NextFunction) {
    try {
      const params = { ...req.query, ...(req.body && typeof req.body === 'object' ? req.body : {}) } as Record<string, unknown>;
      const iss = str(params.iss);
      const loginHint = str(params.login_hint);
      const target = str(params.target_link_uri);
      if (!iss || !loginHint || !target)
        throw new AppError('LTI_LOGIN_PARAMS_MISSING', 'The login request lacks iss, login_hint or target_link_uri.', { status: 400 });
      const clientId = str(params.client_id);
      if (!clientId) throw new AppError('LTI_LOGIN_PARAMS_MISSING', 'The login request lacks client_id.', { status: 400 });
      const platform = await o.platforms.findByIssuerAndClient(iss, clientId);
      if (!platform)
        throw new AppError(
          'LTI_PLATFORM_UNKNOWN',
          `The Moodle site ${iss} (client ${clientId}) is not registered with this tool. Ask your Moodle administrator to register it.`,
          { status: 400 },
        );
      const deploymentId = str(params.lti_deployment_id);
      if (deploymentId && !platform.deploymentIds.includes(deploymentId))
        throw new AppError('LTI_DEPLOYMENT_UNKNOWN', `Deployment "${deploymentId}" of ${iss} is not registered with this tool.`, { status: 403 });
      if (!sameOrigin(target, o.publicUrl)) throw new AppError('LTI_TARGET_LINK_INVALID', 'The target_link_uri does not point at this tool.', { status: 400 });

      // ltijs (express 4 inside this express 5 app) reads the parameters from req.body; GET logins carry them in the query
      req.body = params;
      const redirect = res.redirect.bind(res) as (url: string) => void;
      (res as unknown as { redirect: (a: unknown, b?: unknown) => void }).redirect = (a: unknown, b?: unknown) => {
        const location = String(typeof a === 'number' ? b : a);
        const url = new URL(location);
        const state = url.searchParams.get('state');
        const nonce = url.searchParams.get('nonce');
        if (!state || !nonce) return next(new AppError('LTI_LOGIN_FAILED', 'Could not start the login.', { status: 500 }));
        o.loginStates
          .save({
            state,
            nonce,
            issuer: platform.issuer,
            clientId: platform.clientId,
            deploymentId,
            expiresAt: new Date(o.now() + o.stateTtlSeconds * 1000),
          })
          .then(() => redirect(location), next);
      };
      next();
    } catch (err) {
      next(err);
    }
  };
}

/** True when `a` is a URL on the origin of `b` (the tool's public URL). */
export function sameOrigin(a: unknown, b: string): boolean {
  try {
    return typeof a === 'string' && new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}
