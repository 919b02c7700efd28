import { AppError } from '../../errors.js';
import { PlatformErrorCode } from './error-codes.js';
import type { HttpClient, PlatformRequest, PlatformResponse } from './http.js';
import type { TokenClient } from './token.js';

/** What the NRPS and AGS clients share. */
export interface ServiceContext {
  http: HttpClient;
  tokens: TokenClient;
  now: () => number;
}

/**
 * Sends a service request with a Bearer token for `scopes`. When the platform answers 401 to a token
 * that came from the cache (revoked or expired early), the token is dropped and the call is made once
 * more with a fresh one. A 401 on a fresh token (scope not granted) is raised as is.
 */
export async function authorizedRequest(ctx: ServiceContext, scopes: readonly string[], req: Omit<PlatformRequest, 'accessToken'>): Promise<PlatformResponse> {
  const first = await ctx.tokens.acquire(scopes);
  try {
    return await ctx.http.request({ ...req, accessToken: first.token.accessToken });
  } catch (err) {
    const unauthorized = err instanceof AppError && err.code === PlatformErrorCode.HTTP_ERROR && err.details?.['status'] === 401;
    if (!unauthorized || !first.fromCache) throw err;
    ctx.tokens.invalidate(scopes, first.token.accessToken);
    const fresh = await ctx.tokens.acquire(scopes);
    return ctx.http.request({ ...req, accessToken: fresh.token.accessToken });
  }
}
