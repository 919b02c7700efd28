import { createPrivateKey, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { AppError } from '../../errors.js';
import { PlatformErrorCode } from './error-codes.js';
import { badResponse, httpError, parseJsonBody, safeSnippet, type HttpClient, type PlatformRequest } from './http.js';
import { parseHttpUrl, redactUrl } from './urls.js';

export interface ClientCredentials {
  /** OAuth2 client id the platform assigned to the tool (Moodle: tool type client_id). */
  clientId: string;
  /** Moodle: `<wwwroot>/mod/lti/token.php`. */
  tokenEndpoint: string;
  /** `aud` of the client assertion; defaults to the token endpoint. */
  authorizationServer?: string;
  /** RSA private key, PEM, PKCS#1 ("BEGIN RSA PRIVATE KEY", as ltijs stores it) or PKCS#8. */
  privateKeyPem: string;
  /** `kid` of the matching public key in the tool's JWKS. */
  kid: string;
}

export interface TokenClientOptions {
  credentials: ClientCredentials;
  http: HttpClient;
  /** Clock in ms since the epoch. */
  now: () => number;
  /**
   * Seconds subtracted from `iat`. Moodle's token endpoint (php-jwt, leeway 0) rejects an assertion whose
   * `iat` is even 1 s in its future: "Cannot handle token with iat prior to …". Default 10.
   */
  iatBackdateSeconds?: number;
  /** Renew a cached token this many seconds before `expires_in` runs out (capped at half the lifetime). Default 60. */
  refreshMarginSeconds?: number;
}

export interface AccessToken {
  accessToken: string;
  tokenType: string;
  /** Scopes granted (Moodle grants requested ∩ permitted); falls back to the requested ones if `scope` is absent. */
  scopes: string[];
  /** Epoch ms (tool clock) after which the token is not reused. */
  refreshAt: number;
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const ASSERTION_LIFETIME_S = 60;
/** When the platform omits `expires_in`. */
const DEFAULT_EXPIRES_IN_S = 300;

/** Imports a PKCS#1 or PKCS#8 RSA private key PEM; the PEM never appears in the error. */
export function importRsaPrivateKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new AppError(PlatformErrorCode.CONFIG_INVALID, 'privateKeyPem is not a readable PEM private key', { status: 500 });
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new AppError(PlatformErrorCode.CONFIG_INVALID, `privateKeyPem must be an RSA key (got ${key.asymmetricKeyType ?? 'unknown'})`, {
      status: 500,
    });
  }
  return key;
}

/** Cache key: the de-duplicated, sorted scope set. */
export function scopeKey(scopes: readonly string[]): string {
  return [...new Set(scopes.map((s) => s.trim()).filter(Boolean))].sort().join(' ');
}

interface CacheEntry {
  token: AccessToken;
}

/** OAuth2 client_credentials with a private_key_jwt client assertion (RFC 7523), as LTI Advantage requires. */
export class TokenClient {
  private readonly credentials: ClientCredentials;
  private readonly key: KeyObject;
  private readonly http: HttpClient;
  private readonly now: () => number;
  private readonly backdate: number;
  private readonly refreshMargin: number;
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inflight = new Map<string, Promise<AccessToken>>();

  constructor(options: TokenClientOptions) {
    const { credentials } = options;
    if (!credentials.clientId) throw new AppError(PlatformErrorCode.CONFIG_INVALID, 'clientId is required', { status: 500 });
    if (!credentials.kid) throw new AppError(PlatformErrorCode.CONFIG_INVALID, 'kid is required', { status: 500 });
    try {
      parseHttpUrl(credentials.tokenEndpoint, 'tokenEndpoint');
    } catch {
      throw new AppError(PlatformErrorCode.CONFIG_INVALID, 'tokenEndpoint must be an http(s) URL', { status: 500 });
    }
    this.credentials = credentials;
    this.key = importRsaPrivateKey(credentials.privateKeyPem);
    this.http = options.http;
    this.now = options.now;
    this.backdate = Math.max(0, Math.floor(options.iatBackdateSeconds ?? 10));
    this.refreshMargin = Math.max(0, options.refreshMarginSeconds ?? 60);
  }

  /** Bearer token for this scope set, from cache when still fresh. */
  async getAccessToken(scopes: readonly string[]): Promise<string> {
    return (await this.acquire(scopes)).token.accessToken;
  }

  async getToken(scopes: readonly string[]): Promise<AccessToken> {
    return (await this.acquire(scopes)).token;
  }

  /** Like getToken, and says whether the token came from the cache (a 401 on a cached token is worth one retry). */
  async acquire(scopes: readonly string[]): Promise<{ token: AccessToken; fromCache: boolean }> {
    const key = scopeKey(scopes);
    if (!key) throw new AppError(PlatformErrorCode.INVALID_ARGUMENT, 'at least one scope is required', { status: 500 });
    const cached = this.cache.get(key);
    if (cached && this.now() < cached.token.refreshAt) return { token: cached.token, fromCache: true };
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.requestToken(key).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return { token: await pending, fromCache: false };
  }

  /** Drops a cached token (e.g. after the platform answered 401 with it). With `accessToken`, only if it is still that one. */
  invalidate(scopes: readonly string[], accessToken?: string): void {
    const key = scopeKey(scopes);
    const cached = this.cache.get(key);
    if (cached && (accessToken === undefined || cached.token.accessToken === accessToken)) this.cache.delete(key);
  }

  /** Signed RS256 client assertion: iss = sub = clientId, aud = authorization server, backdated iat. */
  async createClientAssertion(): Promise<string> {
    const { clientId, kid, tokenEndpoint, authorizationServer } = this.credentials;
    const iat = Math.floor(this.now() / 1000) - this.backdate;
    return new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(authorizationServer || tokenEndpoint)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ASSERTION_LIFETIME_S + this.backdate)
      .sign(this.key);
  }

  private async requestToken(key: string): Promise<AccessToken> {
    const requestedAt = this.now();
    const assertion = await this.createClientAssertion();
    const req: PlatformRequest = {
      method: 'POST',
      url: this.credentials.tokenEndpoint,
      accept: 'application/json',
      // Moodle rejects a JSON body with 400 invalid_request.
      contentType: 'application/x-www-form-urlencoded',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: assertion,
        scope: key,
      }).toString(),
      secrets: [assertion],
    };
    const res = await this.http.send(req);

    if (res.status >= 400 && res.status < 500) {
      const details: Record<string, unknown> = { status: res.status, url: redactUrl(res.url) };
      try {
        const body: unknown = JSON.parse(res.body);
        if (body && typeof body === 'object') {
          for (const field of ['error', 'error_description'] as const) {
            const value = (body as Record<string, unknown>)[field];
            if (typeof value === 'string') details[field] = safeSnippet(value, [assertion], 500);
          }
        }
      } catch {
        /* non-JSON rejection: status only */
      }
      const reason = typeof details['error'] === 'string' ? `: ${details['error']}` : '';
      throw new AppError(PlatformErrorCode.TOKEN_REJECTED, `Platform token endpoint rejected the client_credentials grant (HTTP ${res.status})${reason}`, {
        status: 502,
        details,
      });
    }
    if (res.status < 200 || res.status > 299) throw httpError(res, req);

    // Moodle: Content-Type text/html, JSON body.
    const body = parseJsonBody(res);
    if (!body || typeof body !== 'object') throw badResponse(res, 'token response is not a JSON object');
    const { access_token, token_type, expires_in, scope } = body as Record<string, unknown>;
    if (typeof access_token !== 'string' || access_token === '') throw badResponse(res, 'token response has no access_token');
    if (token_type !== undefined && (typeof token_type !== 'string' || token_type.toLowerCase() !== 'bearer')) {
      throw badResponse(res, 'token_type is not Bearer');
    }
    const lifetime = typeof expires_in === 'number' && expires_in > 0 ? expires_in : Number(expires_in) > 0 ? Number(expires_in) : DEFAULT_EXPIRES_IN_S;
    const margin = Math.min(this.refreshMargin, lifetime / 2);
    const token: AccessToken = {
      accessToken: access_token,
      tokenType: 'Bearer',
      scopes: typeof scope === 'string' && scope.trim() ? scope.trim().split(/\s+/) : key.split(' '),
      refreshAt: requestedAt + (lifetime - margin) * 1000,
    };
    this.cache.set(key, { token });
    return token;
  }
}
