/**
 * Client for Moodle's REST web-service protocol (webservice/rest/server.php): one POST per function call,
 * form-encoded `wstoken`, `wsfunction`, `moodlewsrestformat=json` and the flattened params.
 *
 * - timeout per attempt (AbortSignal.timeout), also covering the body, sized to the call (CALL_TIMEOUTS_MS:
 *   a page of the roster or the course contents may take longer than one learner's completion);
 * - retries with exponential backoff + jitter for transient failures only (network error, timeout, 5xx, 429;
 *   max 2): every function the tool calls only reads, so asking again is safe. Moodle exceptions (HTTP 200 +
 *   {"exception",…}) are answers, never retried;
 * - a concurrency limit shared by every client of the same platform (default 4 in flight);
 * - the token goes only into the POST body: never into the URL, errors, details or logs.
 */
import { AppError } from '../../errors.js';
import { safeSnippet, scrubSecrets, type FetchLike } from '../platform-services/http.js';
import { redactUrl } from '../platform-services/urls.js';
import { MoodleErrorCode } from './error-codes.js';
import { flattenParams, type WsParams } from './params.js';
import { defaultPlatformLimiters, type PlatformLimiters, type Semaphore } from './semaphore.js';
import { isMoodleException, moodleExceptionError } from './ws-errors.js';

export interface WsLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
}

export interface MoodleWsClientOptions {
  /** Moodle's wwwroot, e.g. https://moodle.example.edu (a trailing slash is fine). */
  siteUrl: string;
  /** Web-service token (Site administration > Server > Web services > Manage tokens). */
  token: string;
  /** Key of the shared concurrency limit. Default: the site URL. */
  platformId?: string;
  /** Per attempt, for every function. Default: CALL_TIMEOUTS_MS per function, else 15 000 ms. */
  timeoutMs?: number;
  /** Per attempt for some functions, over `timeoutMs`. */
  timeoutsMs?: Readonly<Record<string, number>>;
  /** Retries for network errors, 5xx and 429. Default 2 (3 attempts). */
  maxRetries?: number;
  /** First backoff delay; doubles per retry, plus up to 50 % jitter. Default 250 ms. */
  retryBaseDelayMs?: number;
  /** A longer `Retry-After` is not waited for: the failure is raised. Default 5 000 ms. */
  maxRetryAfterMs?: number;
  /** Requests in flight per platform. Default 4. The first client created for a platform sets it. */
  maxConcurrency?: number;
  limiters?: PlatformLimiters;
  fetch?: FetchLike;
  sleep?: (ms: number) => Promise<void>;
  logger?: WsLogger;
  /** How long the service's function list (for FUNCTION_MISSING) is reused. Default 60 000 ms. */
  functionListTtlMs?: number;
}

interface RawResponse {
  status: number;
  headers: Headers;
  body: string;
}

export const WS_DEFAULTS = {
  timeoutMs: 15_000,
  maxRetries: 2,
  retryBaseDelayMs: 250,
  maxRetryAfterMs: 5_000,
  maxConcurrency: 4,
  functionListTtlMs: 60_000,
} as const;

/**
 * Per-attempt timeouts sized to what each call costs on a real site (Moodle 4.5, 2 cores, 1,000 learners, 307
 * activities): one learner's reads take 0.1-0.25 s, so 15 s is generous even on a busy site; a 500-user roster
 * page ≈ 1.5 s and the course contents (313 KB) more, so they get longer.
 */
export const CALL_TIMEOUTS_MS: Readonly<Record<string, number>> = {
  core_enrol_get_enrolled_users: 60_000,
  core_course_get_contents: 60_000,
};

const SITE_INFO = 'core_webservice_get_site_info';

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === 'TimeoutError' || (err.cause instanceof Error && err.cause.name === 'TimeoutError'));
}

function retryAfterMs(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function normaliseSiteUrl(siteUrl: string): string {
  let url: URL;
  try {
    url = new URL(siteUrl);
  } catch {
    throw new AppError(MoodleErrorCode.INVALID_ARGUMENT, 'Moodle site URL is not a valid URL', { status: 400 });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError(MoodleErrorCode.INVALID_ARGUMENT, 'Moodle site URL must be http(s)', { status: 400 });
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new AppError(MoodleErrorCode.INVALID_ARGUMENT, 'Moodle site URL must not carry credentials, a query or a fragment', {
      status: 400,
    });
  }
  return url.href.replace(/\/+$/, '');
}

export class MoodleWsClient {
  readonly siteUrl: string;
  readonly platformKey: string;
  /** The REST endpoint, safe for logs (it never carries the token). */
  readonly endpoint: string;
  readonly timeoutMs: number;
  private readonly timeoutsMs: Readonly<Record<string, number>>;
  private readonly token: string;
  private readonly maxRetries: number;
  private readonly retryBaseDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly limiter: Semaphore;
  private readonly fetchImpl: FetchLike;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly logger?: WsLogger;
  private readonly functionListTtlMs: number;
  private functionList?: { names: Promise<ReadonlySet<string> | null>; at: number };
  /** Attempts repeated after a timeout, a network error, a 5xx or a 429, since this client was made. */
  retries = 0;

  constructor(options: MoodleWsClientOptions) {
    if (!options.token) throw new AppError(MoodleErrorCode.INVALID_ARGUMENT, 'Moodle web-service token is empty', { status: 400 });
    this.siteUrl = normaliseSiteUrl(options.siteUrl);
    this.endpoint = `${this.siteUrl}/webservice/rest/server.php`;
    this.platformKey = options.platformId ?? this.siteUrl;
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? WS_DEFAULTS.timeoutMs;
    this.timeoutsMs = { ...(options.timeoutMs === undefined ? CALL_TIMEOUTS_MS : {}), ...options.timeoutsMs };
    this.maxRetries = Math.max(0, options.maxRetries ?? WS_DEFAULTS.maxRetries);
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? WS_DEFAULTS.retryBaseDelayMs;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? WS_DEFAULTS.maxRetryAfterMs;
    this.limiter = (options.limiters ?? defaultPlatformLimiters).forPlatform(this.platformKey, options.maxConcurrency ?? WS_DEFAULTS.maxConcurrency);
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.sleep = options.sleep ?? defaultSleep;
    this.logger = options.logger;
    this.functionListTtlMs = options.functionListTtlMs ?? WS_DEFAULTS.functionListTtlMs;
  }

  /** Requests of this platform currently in flight (all clients sharing the limiter). */
  get inFlight(): number {
    return this.limiter.inFlight;
  }

  /**
   * Calls `wsfunction` and returns the decoded JSON answer (still unvalidated: see functions.ts).
   * Throws MOODLE_* AppErrors (see error-codes.ts).
   */
  async call(wsfunction: string, params: WsParams = {}): Promise<unknown> {
    if (!/^[a-z][a-z0-9_]*$/.test(wsfunction)) {
      throw new AppError(MoodleErrorCode.INVALID_ARGUMENT, 'Invalid web-service function name', { status: 400 });
    }
    let fields: [string, string][];
    try {
      fields = flattenParams(params);
    } catch (err) {
      throw new AppError(MoodleErrorCode.INVALID_ARGUMENT, `Invalid parameters for ${wsfunction}: ${(err as Error).message}`, { status: 400 });
    }
    const body = new URLSearchParams([['wstoken', this.token], ['wsfunction', wsfunction], ['moodlewsrestformat', 'json'], ...fields]).toString();

    const res = await this.sendWithRetries(wsfunction, body);
    return this.interpret(wsfunction, res);
  }

  private async sendWithRetries(wsfunction: string, body: string): Promise<RawResponse> {
    for (let attempt = 0; ; attempt++) {
      // The slot is held for the HTTP exchange only, not while backing off.
      const outcome = await this.limiter.run(() => this.attempt(wsfunction, body));
      const last = attempt >= this.maxRetries;
      if (outcome instanceof AppError) {
        if (last || (outcome.code !== MoodleErrorCode.UNREACHABLE && outcome.code !== MoodleErrorCode.TIMEOUT)) throw outcome;
        this.logger?.warn({ wsfunction, attempt: attempt + 1, code: outcome.code }, 'Moodle WS call failed, retrying');
        this.retries++;
        await this.sleep(this.backoff(attempt));
        continue;
      }
      const transient = outcome.status >= 500 || outcome.status === 429;
      if (!transient || last) return outcome;
      const hinted = retryAfterMs(outcome.headers);
      if (hinted !== undefined && hinted > this.maxRetryAfterMs) return outcome;
      this.logger?.warn({ wsfunction, attempt: attempt + 1, status: outcome.status }, 'Moodle WS call failed, retrying');
      this.retries++;
      await this.sleep(Math.max(this.backoff(attempt), hinted ?? 0));
    }
  }

  private backoff(attempt: number): number {
    const base = this.retryBaseDelayMs * 2 ** attempt;
    return base + Math.floor(Math.random() * (base / 2));
  }

  /** The per-attempt timeout of one function. */
  timeoutFor(wsfunction: string): number {
    return this.timeoutsMs[wsfunction] ?? this.timeoutMs;
  }

  private async attempt(wsfunction: string, body: string): Promise<RawResponse | AppError> {
    const timeoutMs = this.timeoutFor(wsfunction);
    try {
      const res = await this.fetchImpl(this.endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body,
        // A redirect (http → https, moved site) must not receive the token-bearing body.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text };
    } catch (err) {
      const details = { wsfunction, url: redactUrl(this.endpoint) };
      if (isTimeout(err)) {
        return new AppError(MoodleErrorCode.TIMEOUT, `Moodle did not answer ${wsfunction} within ${timeoutMs} ms`, {
          status: 504,
          details: { ...details, timeoutMs },
        });
      }
      // No `cause`: fetch errors can carry the request, and the request body carries the token.
      const reason = err instanceof Error ? scrubSecrets(String((err.cause as { code?: unknown })?.code ?? err.message), [this.token]) : 'unknown';
      return new AppError(MoodleErrorCode.UNREACHABLE, `Moodle unreachable (${wsfunction}): ${reason}`, {
        status: 502,
        details: { ...details, reason },
      });
    }
  }

  private async interpret(wsfunction: string, res: RawResponse): Promise<unknown> {
    const secrets = [this.token];
    const base = { wsfunction, url: redactUrl(this.endpoint), httpStatus: res.status };
    if (res.status === 403) {
      // server.php answers a bare 403 when web services or the REST protocol are disabled.
      throw new AppError(MoodleErrorCode.ACCESS_DENIED, `Moodle refused ${wsfunction} with HTTP 403: are web services and the REST protocol enabled?`, {
        status: 502,
        details: base,
      });
    }
    if (res.status >= 500 || res.status === 429) {
      throw new AppError(MoodleErrorCode.UNREACHABLE, `Moodle answered HTTP ${res.status} to ${wsfunction}`, { status: 502, details: base });
    }
    if (res.status < 200 || res.status > 299) {
      const location = res.headers.get('location');
      throw new AppError(MoodleErrorCode.BAD_RESPONSE, `Moodle answered HTTP ${res.status} to ${wsfunction}`, {
        status: 502,
        details: { ...base, ...(location ? { location: redactUrl(location) } : {}), snippet: safeSnippet(res.body, secrets, 200) },
      });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(res.body);
    } catch {
      // e.g. an HTML error page, XML (wrong moodlewsrestformat) or PHP notices printed before the JSON.
      throw new AppError(MoodleErrorCode.BAD_RESPONSE, `Moodle answered ${wsfunction} with something that is not JSON`, {
        status: 502,
        details: { ...base, contentType: res.headers.get('content-type') ?? undefined, snippet: safeSnippet(res.body, secrets, 200) },
      });
    }
    if (isMoodleException(parsed)) {
      const functionMissing = parsed.errorcode === 'accessexception' ? await this.isFunctionMissing(wsfunction) : undefined;
      throw moodleExceptionError(parsed, { wsfunction, url: base.url, secrets, functionMissing });
    }
    return parsed;
  }

  /**
   * webservice_access_exception hides its reason unless Moodle debugging is on, so whether the function is simply
   * missing from the service is read from core_webservice_get_site_info's `functions` list.
   */
  private async isFunctionMissing(wsfunction: string): Promise<boolean | undefined> {
    if (wsfunction === SITE_INFO) return undefined;
    const names = await this.serviceFunctions();
    return names ? !names.has(wsfunction) : undefined;
  }

  /** Function names of the token's service, or null when site info cannot be read. Cached for a short while. */
  serviceFunctions(): Promise<ReadonlySet<string> | null> {
    const now = Date.now();
    if (this.functionList && now - this.functionList.at < this.functionListTtlMs) return this.functionList.names;
    const names = this.call(SITE_INFO).then(
      (info) => {
        const list = (info as { functions?: unknown } | null)?.functions;
        if (!Array.isArray(list)) return null;
        return new Set(list.map((f) => (f as { name?: unknown })?.name).filter((n): n is string => typeof n === 'string'));
      },
      () => null,
    );
    const entry = { names, at: now };
    this.functionList = entry;
    // A failed read is not kept: the next access exception asks again.
    void names.then((set) => {
      if (set === null && this.functionList === entry) this.functionList = undefined;
    });
    return names;
  }
}
