import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { Provider, type LtijsProvider } from 'ltijs';
import { AppError } from '../errors';
import type { LoginStateRepository } from '../store/login-states';
import type { LtijsDatabase } from '../store/ltijs-database';
import type { PlatformRepository } from '../store/platforms';
import { PlatformKeySets } from './jwks';
import { createLaunchGuard, type VerifiedLaunch } from './launch-guard';
import { createLoginInitiation } from './login-initiation';
import { applyLtijsPatches } from './ltijs-patches';
import { partitionedCookies } from './partitioned-cookies';

export const LTI_ROUTES = {
  login: '/lti/login',
  launch: '/lti/launch',
  jwks: '/lti/jwks',
  register: '/lti/register',
} as const;

export interface LtiProviderOptions {
  encryptionKey: string;
  database: LtijsDatabase;
  platforms: PlatformRepository;
  loginStates: LoginStateRepository;
  publicUrl: string;
  tokenMaxAgeSeconds: number;
  clockSkewSeconds: number;
  loginStateTtlSeconds: number;
  jwksCacheSeconds: number;
  jwksCooldownMs?: number;
  requestTimeoutMs: number;
  now: () => number;
  /** Answers a refusal ltijs reports without an express `next` (unknown or inactive platform). */
  onError(err: AppError, req: Request, res: Response): void;
  /** Called after a launch passed every check; answers the browser. */
  onLaunch(launch: VerifiedLaunch, req: Request, res: Response, next: NextFunction): void | Promise<void>;
}

export interface LtiProvider {
  /** Handles login initiation, launch and the tool's JWKS; mount on the app. */
  router: express.Router;
  ltijs: LtijsProvider;
}

/** ltijs error messages → stable codes and words a person understands. */
function ltijsError(err: { details?: { message?: string } } | undefined): AppError {
  const message = err?.details?.message ?? 'INVALID_LAUNCH';
  const words: Record<string, string> = {
    MISSING_VALIDATION_COOKIE: 'The browser did not return the launch cookie: start the activity again from Moodle.',
    ISS_CLAIM_DOES_NOT_MATCH: 'The launch came from another Moodle site than the login.',
    NONCE_ALREADY_RECEIVED: 'This launch was already used.',
    TOKEN_TOO_OLD: 'The launch is too old: start the activity again from Moodle.',
    PLATFORM_NOT_ACTIVATED: 'The Moodle site is registered but not active.',
    UNREGISTERED_PLATFORM: 'The Moodle site of this launch is not registered with the tool.',
  };
  return new AppError(`LTI_${message}`.replace(/^LTI_LTI_/, 'LTI_'), words[message] ?? 'The launch could not be validated.', { status: 401 });
}

/**
 * The only place ltijs is set up. ltijs keeps OIDC login, id_token validation and its state cookie; the
 * product adds (in order on each request): Partitioned cookies, early refusal of unknown platforms and
 * deployments with the state recorded server-side, and a launch guard with the checks ltijs lacks.
 * ltijs runs in "ltiaas" mode: it sets no platform session cookie and hands the validated launch to the
 * next handler in the same request; the product then carries its own session without cookies.
 */
export function createLtiProvider(o: LtiProviderOptions): LtiProvider {
  applyLtijsPatches();
  const ltijs = new Provider.constructor();
  ltijs.setup(
    o.encryptionKey,
    { plugin: o.database },
    {
      appRoute: LTI_ROUTES.launch,
      loginRoute: LTI_ROUTES.login,
      keysetRoute: LTI_ROUTES.jwks,
      dynRegRoute: '/lti/ltijs-dynamic-registration-disabled',
      ltiaas: true,
      cors: false,
      // Moodle id_tokens live 60 s; ltijs's default of 10 s refuses slow launches (LTIJS-WITH-MOODLE row 6).
      tokenMaxAge: o.tokenMaxAgeSeconds,
      cookies: { secure: true, sameSite: 'None' },
    },
  );

  const fail = (req: Request, res: Response, next?: NextFunction) => {
    const err = ltijsError(res.locals.err);
    if (next) return next(err);
    throw err;
  };
  ltijs.onInvalidToken(fail);
  ltijs.onSessionTimeout(fail);
  ltijs.onUnregisteredPlatform((req: Request, res: Response) =>
    o.onError(new AppError('LTI_PLATFORM_UNKNOWN', 'The Moodle site is not registered with this tool.', { status: 400 }), req, res),
  );
  ltijs.onInactivePlatform((req: Request, res: Response) =>
    o.onError(new AppError('LTI_PLATFORM_NOT_ACTIVATED', 'The Moodle site is registered but not active.', { status: 401 }), req, res),
  );
  const handoff = async (_token: unknown, req: Request, res: Response, next: NextFunction) => {
    const launch = res.locals.verifiedLaunch as VerifiedLaunch | undefined;
    if (!launch) return next(new AppError('LTI_LAUNCH_UNVERIFIED', 'The launch was not verified.', { status: 401 }));
    try {
      await o.onLaunch(launch, req, res, next);
    } catch (err) {
      next(err);
    }
  };
  ltijs.onConnect(handoff);
  ltijs.onDeepLinking(handoff);

  const keySets = new PlatformKeySets({
    cacheMaxAgeMs: o.jwksCacheSeconds * 1000,
    cooldownMs: o.jwksCooldownMs ?? 5_000,
    timeoutMs: o.requestTimeoutMs,
  });
  const loginInitiation = createLoginInitiation({
    platforms: o.platforms,
    loginStates: o.loginStates,
    publicUrl: o.publicUrl,
    stateTtlSeconds: o.loginStateTtlSeconds,
    now: o.now,
  });
  const launchGuard = createLaunchGuard({
    loginStates: o.loginStates,
    platforms: o.platforms,
    keySets,
    publicUrl: o.publicUrl,
    tokenMaxAgeSeconds: o.tokenMaxAgeSeconds,
    clockSkewSeconds: o.clockSkewSeconds,
    now: o.now,
  });

  const toLtijs: RequestHandler = (req, res, next) => ltijs.app(req, res, next);
  const router = express.Router();
  const urlencoded = express.urlencoded({ extended: false, limit: '100kb' });
  // ltijs's own body-parser 1.x would read the consumed stream again unless the request is marked parsed
  const markParsed: RequestHandler = (req, _res, next) => {
    (req as Request & { _body?: boolean })._body = true;
    next();
  };
  const form = [urlencoded, markParsed];
  router.all(LTI_ROUTES.login, ...form, partitionedCookies, loginInitiation, toLtijs);
  router.post(LTI_ROUTES.launch, ...form, partitionedCookies, launchGuard, toLtijs);
  router.get(LTI_ROUTES.jwks, toLtijs);
  return { router, ltijs };
}
