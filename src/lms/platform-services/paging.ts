import { badResponse, parseJsonBody, type PlatformResponse } from './http.js';
import { parseLinkHeader } from './link-header.js';
import { authorizedRequest, type ServiceContext } from './service-context.js';

export interface CollectPagesOptions<T> {
  firstUrl: URL;
  scopes: readonly string[];
  accept: string;
  /** Items of one page, or throw `badResponse` when the page has the wrong shape. */
  extract: (body: unknown, res: PlatformResponse) => T[];
  /** Safety stop against a platform that keeps paging forever. Default 1000. */
  maxPages?: number;
}

/**
 * GETs `firstUrl` and follows `rel="next"` (RFC 8288, with Moodle's malformed AGS header repaired)
 * until there is none. Refuses a next link to another origin (it would receive our bearer token)
 * and stops when a next link repeats a page already read.
 */
export async function collectPages<T>(ctx: ServiceContext, options: CollectPagesOptions<T>): Promise<T[]> {
  const maxPages = options.maxPages ?? 1000;
  const items: T[] = [];
  const seen = new Set<string>();
  let url: URL | undefined = options.firstUrl;
  while (url) {
    seen.add(url.href);
    const res = await authorizedRequest(ctx, options.scopes, { method: 'GET', url: url.href, accept: options.accept });
    items.push(...options.extract(parseJsonBody(res), res));

    const next = parseLinkHeader(res.headers.get('link'))['next'];
    if (!next) break;
    let nextUrl: URL;
    try {
      nextUrl = new URL(next, url);
    } catch {
      throw badResponse(res, 'rel="next" link is not a valid URL');
    }
    if (nextUrl.origin !== options.firstUrl.origin) throw badResponse(res, 'rel="next" link points to another origin');
    if (seen.has(nextUrl.href)) break;
    if (seen.size >= maxPages) throw badResponse(res, `more than ${maxPages} pages`);
    url = nextUrl;
  }
  return items;
}
