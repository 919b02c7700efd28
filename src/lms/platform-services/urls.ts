import { AppError } from '../../errors.js';
import { PlatformErrorCode } from './error-codes.js';

/** Parses an http(s) URL handed to us by a caller (launch claim, config) or throws PLATFORM_INVALID_ARGUMENT. */
export function parseHttpUrl(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AppError(PlatformErrorCode.INVALID_ARGUMENT, `${what} is not a valid URL`, { status: 500 });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError(PlatformErrorCode.INVALID_ARGUMENT, `${what} must be an http(s) URL`, { status: 500 });
  }
  return url;
}

/**
 * Appends a path segment while keeping the query string where it is:
 * `…/lineitems/4/lineitem?type_id=1` + `results` → `…/lineitems/4/lineitem/results?type_id=1`.
 */
export function appendPathSegment(base: string, segment: string, what = 'line item URL'): URL {
  const url = parseHttpUrl(base, what);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${segment}`;
  url.hash = '';
  return url;
}

/** Sets (or, for `undefined`, leaves untouched) query parameters, keeping existing ones such as Moodle's `type_id`. */
export function withQuery(url: URL, params: Record<string, string | number | undefined>): URL {
  const out = new URL(url.href);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) out.searchParams.set(name, String(value));
  }
  return out;
}

const SECRET_PARAM = /token|secret|pass(word|wd)?|key|sig(nature)?|assertion|code|sesskey|auth|jwt|session/i;

/** URL safe for logs and error details: no credentials, no fragment, secret-looking query values redacted. */
export function redactUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return '[unparseable url]';
  }
  url.username = '';
  url.password = '';
  url.hash = '';
  const names = [...new Set(url.searchParams.keys())];
  for (const name of names) {
    if (SECRET_PARAM.test(name)) url.searchParams.set(name, 'REDACTED');
  }
  return url.href;
}

/** `undefined` or a positive integer (page sizes), else PLATFORM_INVALID_ARGUMENT. */
export function optionalPositiveInt(value: number | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1) {
    throw new AppError(PlatformErrorCode.INVALID_ARGUMENT, `${what} must be a positive integer`, { status: 500 });
  }
  return value;
}
