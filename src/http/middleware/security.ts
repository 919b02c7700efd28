import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

/**
 * Origins of the registered Moodle sites, cached briefly: they may frame the tool (CSP frame-ancestors)
 * and receive its forms (deep linking returns to Moodle). Nothing else may frame it.
 */
export class PlatformOrigins {
  private cached: string[] = [];
  private loadedAt = 0;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly load: () => Promise<string[]>,
    private readonly ttlMs = 15_000,
  ) {}

  async get(): Promise<string[]> {
    if (Date.now() - this.loadedAt > this.ttlMs) await this.refresh();
    return this.cached;
  }

  async refresh(): Promise<void> {
    this.loading ??= this.load()
      .then((issuers) => {
        this.cached = [...new Set(issuers.map((i) => new URL(i).origin))].sort();
        this.loadedAt = Date.now();
      })
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }
}

/**
 * Lets `origin` frame this one response too (CSP frame-ancestors), for a page whose right to be framed is only
 * established while it is being answered: the registration page is framed by a Moodle the tool did not know when
 * the header was set. Other responses keep the registered sites only.
 */
export function allowFramingBy(res: Response, origin: string): void {
  const csp = res.getHeader('Content-Security-Policy');
  if (typeof csp !== 'string' || res.headersSent) return;
  const directives = csp.split(';').map((d) => d.trim());
  const i = directives.findIndex((d) => d.startsWith('frame-ancestors '));
  if (i < 0) return;
  const sources = directives[i]!.split(/\s+/).slice(1);
  if (!sources.includes(origin)) directives[i] = ['frame-ancestors', ...sources, origin].join(' ');
  res.setHeader('Content-Security-Policy', directives.join(';'));
}

export function securityHeaders(origins: PlatformOrigins) {
  // helmet directive values may be functions of (req, res)
  const selfAndPlatforms = (_req: unknown, res: unknown) => ["'self'", ...((res as Response).locals.platformOrigins as string[])].join(' ');
  const csp = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'form-action': [selfAndPlatforms],
        'frame-ancestors': [selfAndPlatforms],
      },
    },
    // framing is governed by CSP frame-ancestors above; X-Frame-Options cannot name several origins
    frameguard: false,
    // Moodle opens the tool in a new window too: keep window.opener for the registration close message
    crossOriginOpenerPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
  });
  return async function security(req: Request, res: Response, next: NextFunction) {
    try {
      res.locals.cspNonce = randomBytes(16).toString('base64');
      res.locals.platformOrigins = await origins.get();
      csp(req, res, next);
    } catch (err) {
      next(err);
    }
  };
}
