import { AppError } from '../../errors.js';
import { PlatformErrorCode } from './error-codes.js';
import { redactUrl } from './urls.js';

/** The subset of the WHATWG fetch signature we rely on; `globalThis.fetch` satisfies it. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface HttpClientOptions {
  fetch?: FetchLike;
  /** Per attempt, covering headers and body. Default 10 000 ms. */
  timeoutMs?: number;
  /** Retries for GET on network errors, 5xx and 429. Default 2 (3 attempts in total). */
  maxRetries?: number;
  /** First backoff delay; doubles per retry (plus up to 50 % jitter). Default 250 ms. */
  retryBaseDelayMs?: number;
  /** A `Retry-After` longer than this is not waited for: the response is returned/raised instead. Default 5 000 ms. */
  maxRetryAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface PlatformRequest {
  method: HttpMethod;
  url: string;
  /** Sent as `Authorization: Bearer …`; never copied into errors. */
  accessToken?: string;
  accept?: string;
  contentType?: string;
  body?: string;
  /** More values that must never leak into errors (e.g. a client assertion). */
  secrets?: readonly string[];
}

export interface PlatformResponse {
  status: number;
  headers: Headers;
  /** Body text, decoded as UTF-8 whatever the content type says. */
  body: string;
  /** The requested URL (not redacted; do not log as is). */
  url: string;
  method: HttpMethod;
}

const DEFAULTS = { timeoutMs: 10_000, maxRetries: 2, retryBaseDelayMs: 250, maxRetryAfterMs: 5_000 };

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === 'TimeoutError' || (err.cause instanceof Error && err.cause.name === 'TimeoutError'));
}

/** Replaces every secret occurrence; used on anything derived from platform output that ends up in an error. */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('[REDACTED]');
  }
  // Anything JWT-shaped (client assertions, id tokens) is dropped as well.
  return out.replace(/eyJ[\w-]*\.[\w-]*\.[\w-]*/g, '[REDACTED]');
}

/** Scrubs first, then truncates (truncating first could cut a secret so that it no longer matches). */
export function safeSnippet(text: string, secrets: readonly (string | undefined)[], max = 300): string {
  return scrubSecrets(text, secrets).slice(0, max);
}

function retryAfterMs(res: Response): number | undefined {
  const value = res.headers.get('retry-after');
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * Shared transport for token and service calls: timeout per attempt, bounded retries for GET,
 * and errors mapped to stable `AppError` codes with secrets kept out.
 */
export class HttpClient {
  readonly timeoutMs: number;
  private readonly fetchImpl: FetchLike;
  private readonly maxRetries: number;
  private readonly retryBaseDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: HttpClientOptions = {}) {
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
    this.maxRetries = Math.max(0, options.maxRetries ?? DEFAULTS.maxRetries);
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? DEFAULTS.retryBaseDelayMs;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULTS.maxRetryAfterMs;
    this.sleep = options.sleep ?? defaultSleep;
  }

  /**
   * Sends the request and returns the response whatever its status (after retries for GET).
   * Throws PLATFORM_TIMEOUT / PLATFORM_UNREACHABLE when no response could be read.
   */
  async send(req: PlatformRequest): Promise<PlatformResponse> {
    const retries = req.method === 'GET' ? this.maxRetries : 0;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.attempt(req);
      const last = attempt >= retries;
      if (outcome instanceof AppError) {
        // A timeout has already used the whole budget; retrying would multiply the caller's wait.
        if (last || outcome.code !== PlatformErrorCode.UNREACHABLE) throw outcome;
        await this.sleep(this.backoff(attempt));
        continue;
      }
      const retryable = outcome.status >= 500 || outcome.status === 429;
      if (!retryable || last) return outcome;
      const hinted = outcome.status === 429 || outcome.status === 503 ? outcome.retryAfterMs : undefined;
      if (hinted !== undefined && hinted > this.maxRetryAfterMs) return outcome;
      await this.sleep(Math.max(this.backoff(attempt), hinted ?? 0));
    }
  }

  /** `send` + any non-2xx status becomes PLATFORM_HTTP_ERROR. */
  async request(req: PlatformRequest): Promise<PlatformResponse> {
    const res = await this.send(req);
    if (res.status < 200 || res.status > 299) throw httpError(res, req);
    return res;
  }

  private backoff(attempt: number): number {
    const base = this.retryBaseDelayMs * 2 ** attempt;
    return base + Math.floor(Math.random() * (base / 2));
  }

  private async attempt(req: PlatformRequest): Promise<(PlatformResponse & { retryAfterMs?: number }) | AppError> {
    const headers: Record<string, string> = {};
    if (req.accessToken) headers['Authorization'] = `Bearer ${req.accessToken}`;
    if (req.accept) headers['Accept'] = req.accept;
    if (req.contentType) headers['Content-Type'] = req.contentType;
    const where = `${req.method} ${redactUrl(req.url)}`;
    try {
      const res = await this.fetchImpl(req.url, {
        method: req.method,
        headers,
        body: req.body,
        redirect: 'manual', // never replay the bearer token to wherever a redirect points
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      // The timeout signal also covers reading the body.
      const body = await res.text();
      return { status: res.status, headers: res.headers, body, url: req.url, method: req.method, retryAfterMs: retryAfterMs(res) };
    } catch (err) {
      if (isTimeout(err)) {
        return new AppError(PlatformErrorCode.TIMEOUT, `Platform did not answer within ${this.timeoutMs} ms (${where})`, {
          status: 504,
          details: { method: req.method, url: redactUrl(req.url), timeoutMs: this.timeoutMs },
        });
      }
      // Deliberately no `cause`: fetch errors can carry the request (and its Authorization header).
      const reason = err instanceof Error ? scrubSecrets(String((err.cause as { code?: unknown })?.code ?? err.message), secretsOf(req)) : 'unknown';
      return new AppError(PlatformErrorCode.UNREACHABLE, `Platform unreachable (${where}): ${reason}`, {
        status: 502,
        details: { method: req.method, url: redactUrl(req.url), reason },
      });
    }
  }
}

export function secretsOf(req: PlatformRequest): (string | undefined)[] {
  return [req.accessToken, ...(req.secrets ?? [])];
}

/** Short, secret-free hint from an error body (`error`, `reason`, `error_description`), if it is JSON. */
function platformHint(res: PlatformResponse, req: PlatformRequest): Record<string, string> {
  const hint: Record<string, string> = {};
  try {
    const parsed: unknown = JSON.parse(res.body);
    if (parsed && typeof parsed === 'object') {
      for (const key of ['error', 'error_description', 'reason'] as const) {
        const value = (parsed as Record<string, unknown>)[key];
        if (typeof value === 'string') hint[key] = safeSnippet(value, secretsOf(req));
      }
    }
  } catch {
    /* not JSON (Moodle's HTML error pages): status says enough */
  }
  return hint;
}

export function httpError(res: PlatformResponse, req: PlatformRequest): AppError {
  const url = redactUrl(res.url);
  return new AppError(PlatformErrorCode.HTTP_ERROR, `Platform answered HTTP ${res.status} to ${res.method} ${url}`, {
    status: 502,
    details: {
      status: res.status,
      method: res.method,
      url,
      contentType: res.headers.get('content-type') ?? undefined,
      ...platformHint(res, req),
    },
  });
}

export function badResponse(res: PlatformResponse, problem: string): AppError {
  const url = redactUrl(res.url);
  return new AppError(PlatformErrorCode.BAD_RESPONSE, `Unusable platform response to ${res.method} ${url}: ${problem}`, {
    status: 502,
    details: { status: res.status, method: res.method, url, contentType: res.headers.get('content-type') ?? undefined, problem },
  });
}

/**
 * Parses the body as JSON whatever the Content-Type claims (Moodle's token endpoint says text/html).
 */
export function parseJsonBody(res: PlatformResponse): unknown {
  if (res.body.trim() === '') throw badResponse(res, 'empty body where JSON was expected');
  try {
    return JSON.parse(res.body) as unknown;
  } catch {
    throw badResponse(res, 'body is not valid JSON');
  }
}
