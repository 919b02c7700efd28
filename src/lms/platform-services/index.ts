/**
 * LTI Advantage platform-services client (OAuth2 client_credentials + NRPS v2 + AGS v2), built
 * against Moodle 4.5's real behaviour. See README notes in the individual files for each quirk.
 */
import { createAgsClient, type AgsClient } from './ags.js';
import { HttpClient, type FetchLike } from './http.js';
import { createNrpsClient, type NrpsClient } from './nrps.js';
import { TokenClient, type ClientCredentials } from './token.js';

export interface PlatformServicesOptions {
  credentials: ClientCredentials;
  /** Defaults to globalThis.fetch. */
  fetch?: FetchLike;
  /** Tool clock, epoch ms. Defaults to Date.now. */
  now?: () => number;
  /** Per-request timeout. Default 10 000 ms. */
  timeoutMs?: number;
  /** Seconds the client assertion's iat is backdated (Moodle allows no clock skew). Default 10. */
  iatBackdateSeconds?: number;
  /** GET retries on network errors / 5xx / 429. Default 2. */
  maxRetries?: number;
  /** First retry delay (doubles each retry). Default 250 ms. */
  retryBaseDelayMs?: number;
}

export interface PlatformServices {
  /** Bearer token for the scope set (cached per sorted scope set until shortly before expiry). */
  getAccessToken(scopes: string[]): Promise<string>;
  nrps: NrpsClient;
  ags: AgsClient;
}

export function createPlatformServices(options: PlatformServicesOptions): PlatformServices {
  const now = options.now ?? Date.now;
  const http = new HttpClient({
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
    maxRetries: options.maxRetries,
    retryBaseDelayMs: options.retryBaseDelayMs,
  });
  const tokens = new TokenClient({ credentials: options.credentials, http, now, iatBackdateSeconds: options.iatBackdateSeconds });
  const ctx = { http, tokens, now };
  return {
    getAccessToken: (scopes) => tokens.getAccessToken(scopes),
    nrps: createNrpsClient(ctx),
    ags: createAgsClient(ctx),
  };
}

export {
  AGS_MEDIA_TYPES,
  AGS_SCOPE_LINEITEM,
  AGS_SCOPE_LINEITEM_READONLY,
  AGS_SCOPE_RESULT_READONLY,
  AGS_SCOPE_SCORE,
  type ActivityProgress,
  type AgsClient,
  type GetResultsOptions,
  type GradingProgress,
  type LineItem,
  type ListLineItemsOptions,
  type NewLineItem,
  type Result,
  type Score,
  type ScoreInput,
} from './ags.js';
export { PlatformErrorCode } from './error-codes.js';
export { HttpClient, type FetchLike, type HttpClientOptions } from './http.js';
export { parseLinkHeader, repairLinkHeader } from './link-header.js';
export { NRPS_MEMBERSHIP_CONTAINER_TYPE, NRPS_SCOPE_MEMBERSHIP_READONLY, type GetMembersOptions, type Member, type NrpsClient } from './nrps.js';
export { TokenClient, importRsaPrivateKey, type AccessToken, type ClientCredentials } from './token.js';
