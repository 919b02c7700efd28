import type { NextFunction, Request, Response } from 'express';
import { decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { AppError } from '../errors';
import { jsonTextDepth } from '../json-shape';
import type { LoginState, LoginStateRepository } from '../store/login-states';
import type { Platform, PlatformRepository } from '../store/platforms';
import { CLAIM, LTI_VERSION, MESSAGE_TYPES } from './claims';
import type { PlatformKeySets } from './jwks';
import { sameOrigin } from './login-initiation';

type Claims = JWTPayload & Record<string, unknown>;

export interface VerifiedLaunch {
  claims: Claims;
  platform: Platform;
}

export interface LaunchGuardOptions {
  loginStates: LoginStateRepository;
  platforms: PlatformRepository;
  keySets: PlatformKeySets;
  /** The tool's public URL: a launch's target_link_uri must be on its origin. */
  publicUrl: string;
  tokenMaxAgeSeconds: number;
  clockSkewSeconds: number;
  now: () => number;
}

const MAX_CLAIMS_DEPTH = 32;

const refuse = (code: string, message: string, status = 401) => new AppError(code, message, { status });

/** The form post's id_token and state, and the token's header: a JWT not nested too deep, RS256, naming its key. */
function readLaunchForm(req: Request): { idToken: string; state: string } {
  const idToken = typeof req.body?.id_token === 'string' ? req.body.id_token : null;
  const state = typeof req.body?.state === 'string' ? req.body.state : null;
  if (!idToken) throw refuse('LTI_ID_TOKEN_MISSING', 'The launch carried no id_token.', 400);
  if (!state) throw refuse('LTI_STATE_MISSING', 'The launch carried no state: start the activity again from Moodle.');
  let header;
  try {
    header = decodeProtectedHeader(idToken);
  } catch {
    throw refuse('LTI_ID_TOKEN_MALFORMED', 'The id_token is not a JWT.', 400);
  }
  // claims nest a few levels; a deeper token is refused before anything walks it recursively
  if (jsonTextDepth(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8'), MAX_CLAIMS_DEPTH) > MAX_CLAIMS_DEPTH)
    throw refuse('LTI_ID_TOKEN_TOO_DEEP', `The id_token claims are nested deeper than ${MAX_CLAIMS_DEPTH} levels.`, 400);
  if (header.alg !== 'RS256') throw refuse('LTI_ALGORITHM_REFUSED', `id_token algorithm ${String(header.alg)} is not accepted (RS256 only).`);
  if (!header.kid) throw refuse('LTI_KID_MISSING', 'The id_token header names no key (kid).');
  return { idToken, state };
}

/** The login this launch answers (used once) and the platform it was for. */
async function consumeLogin(o: LaunchGuardOptions, state: string): Promise<{ login: LoginState; platform: Platform }> {
  const login = await o.loginStates.consume(state);
  if (!login)
    throw refuse('LTI_STATE_UNKNOWN', 'This launch is not one this tool started, or it was already used or has expired: start the activity again from Moodle.');
  const platform = await o.platforms.findByIssuerAndClient(login.issuer, login.clientId);
  if (!platform) throw refuse('LTI_PLATFORM_UNKNOWN', 'The Moodle site of this launch is not registered with the tool.', 403);
  return { login, platform };
}

/** Signature by a key the platform publishes, issuer, audience, age and the claims every id_token must carry. */
async function verifySignedClaims(o: LaunchGuardOptions, idToken: string, platform: Platform, login: LoginState): Promise<Claims> {
  try {
    const verified = await jwtVerify(idToken, o.keySets.forUrl(platform.jwksUrl), {
      algorithms: ['RS256'],
      issuer: platform.issuer,
      audience: login.clientId,
      clockTolerance: o.clockSkewSeconds,
      maxTokenAge: o.tokenMaxAgeSeconds,
      currentDate: new Date(o.now()),
      requiredClaims: ['iat', 'exp', 'nonce', 'sub'],
    });
    return verified.payload as Claims;
  } catch (err) {
    throw translateJoseError(err);
  }
}

/** The token is for this tool's client id alone (azp when several audiences) and carries the login's nonce. */
function checkAudienceAndNonce(claims: Claims, login: LoginState) {
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (aud.length > 1 && claims.azp !== login.clientId) throw refuse('LTI_AZP_MISMATCH', 'The id_token has several audiences but its azp is not this tool.');
  // the only trusted audience is the client id the login came through (Security Framework §5.1.3 step 3, OIDC Core §3.1.3.7)
  const untrusted = aud.filter((a) => a !== login.clientId);
  if (untrusted.length)
    throw refuse(
      'LTI_AUD_UNTRUSTED',
      `The id_token is also addressed to ${untrusted
        .slice(0, 3)
        .map((a) => JSON.stringify(String(a).slice(0, 80)))
        .join(', ')}, which this tool does not trust.`,
    );
  if (claims.nonce !== login.nonce) throw refuse('LTI_NONCE_MISMATCH', 'The id_token nonce is not the one sent with this login.');
}

/** A registered deployment, a supported message of LTI 1.3.0, and the user, roles and course every launch needs. */
function checkLaunchClaims(claims: Claims, platform: Platform) {
  const deploymentId = claims[CLAIM.deploymentId];
  if (typeof deploymentId !== 'string' || !deploymentId) throw refuse('LTI_CLAIM_MISSING', 'The launch has no deployment_id.', 400);
  if (!platform.deploymentIds.includes(deploymentId))
    throw refuse('LTI_DEPLOYMENT_UNKNOWN', `Deployment "${deploymentId}" of this Moodle site is not registered with the tool.`, 403);
  const messageType = claims[CLAIM.messageType];
  if (!MESSAGE_TYPES.includes(messageType as (typeof MESSAGE_TYPES)[number]))
    throw refuse('LTI_MESSAGE_TYPE_UNSUPPORTED', `Message type ${String(messageType)} is not supported.`, 400);
  if (claims[CLAIM.version] !== LTI_VERSION)
    throw refuse('LTI_VERSION_UNSUPPORTED', `LTI version ${String(claims[CLAIM.version])} is not supported (1.3.0 only).`, 400);
  if (typeof claims.sub !== 'string' || !claims.sub) throw refuse('LTI_CLAIM_MISSING', 'The launch has no user (sub).', 400);
  if (!Array.isArray(claims[CLAIM.roles])) throw refuse('LTI_CLAIM_MISSING', 'The launch has no roles claim.', 400);
  const context = claims[CLAIM.context] as { id?: unknown } | undefined;
  if (!context || typeof context.id !== 'string' || !context.id) throw refuse('LTI_CLAIM_MISSING', 'The launch has no course (context.id).', 400);
}

/** The message's target is this tool, and it carries what its type needs: a resource link, or where to return a deep link. */
function checkMessageTarget(claims: Claims, publicUrl: string) {
  const messageType = claims[CLAIM.messageType];
  // LTI Core 1.3 §5.3.4; the login's target_link_uri was already held to this origin (login-initiation.ts)
  const target = claims[CLAIM.targetLinkUri];
  if (target === undefined && messageType === 'LtiResourceLinkRequest') throw refuse('LTI_CLAIM_MISSING', 'The launch has no target_link_uri.', 400);
  if (target !== undefined && !sameOrigin(target, publicUrl))
    throw refuse('LTI_TARGET_LINK_INVALID', "The launch's target_link_uri does not point at this tool.");
  if (messageType === 'LtiResourceLinkRequest') {
    const link = claims[CLAIM.resourceLink] as { id?: unknown } | undefined;
    if (!link || typeof link.id !== 'string' || !link.id) throw refuse('LTI_CLAIM_MISSING', 'The launch has no resource_link.id.', 400);
  } else {
    const dl = claims[CLAIM.deepLinkingSettings] as { deep_link_return_url?: unknown } | undefined;
    if (!dl || typeof dl.deep_link_return_url !== 'string') throw refuse('LTI_CLAIM_MISSING', 'The deep linking request has no deep_link_return_url.', 400);
  }
}

/**
 * Checks an id_token launch before ltijs sees it, adding what ltijs 5.9.9 does not check: the state was
 * issued by this tool and is used once, the nonce is the one sent with that state, iss/aud/azp match the
 * platform and client id the login was for (aud names no one else), target_link_uri is this tool, iat is not
 * in the future, the deployment id is registered, and every required claim is present (OIDC Core §3.1.3.7,
 * LTI Core 1.3 §5.1.3 and §5.3, Security Framework §5.1.3).
 * ltijs then repeats its own checks (signature, state cookie bound to the browser, nonce, claims).
 */
export function createLaunchGuard(o: LaunchGuardOptions) {
  async function verify(req: Request): Promise<VerifiedLaunch> {
    const { idToken, state } = readLaunchForm(req);
    const { login, platform } = await consumeLogin(o, state);
    const claims = await verifySignedClaims(o, idToken, platform, login);
    checkAudienceAndNonce(claims, login);
    checkLaunchClaims(claims, platform);
    checkMessageTarget(claims, o.publicUrl);
    return { claims, platform };
  }

  return async function launchGuard(req: Request, res: Response, next: NextFunction) {
    if (req.method !== 'POST' || !req.body || !('id_token' in req.body || 'state' in req.body)) return next();
    try {
      res.locals.verifiedLaunch = await verify(req);
      next();
    } catch (err) {
      next(err);
    }
  };
}

function translateJoseError(err: unknown): AppError {
  if (err instanceof joseErrors.JWTExpired) return refuse('LTI_TOKEN_EXPIRED', 'The id_token has expired.');
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'iat') return refuse('LTI_TOKEN_IAT_INVALID', `The id_token issue time is not acceptable: ${err.reason}.`);
    return refuse('LTI_CLAIM_INVALID', `The id_token claim "${err.claim}" is not valid for this tool (${err.reason}).`);
  }
  if (err instanceof joseErrors.JWKSNoMatchingKey) return refuse('LTI_KEY_UNKNOWN', 'The id_token was signed with a key the platform does not publish.');
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return refuse('LTI_SIGNATURE_INVALID', 'The id_token signature is not valid.');
  if (err instanceof joseErrors.JWKSTimeout || (err instanceof joseErrors.JOSEError && err.code === 'ERR_JWKS_INVALID'))
    return new AppError('LTI_PLATFORM_KEYS_UNAVAILABLE', "The Moodle site's public keys could not be read.", { status: 502, expose: true });
  if (err instanceof joseErrors.JOSEError) return refuse('LTI_ID_TOKEN_INVALID', `The id_token is not valid (${err.code}).`);
  return new AppError('LTI_PLATFORM_KEYS_UNAVAILABLE', "The Moodle site's public keys could not be read.", { status: 502, expose: true, cause: err });
}
