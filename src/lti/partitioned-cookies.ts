import type { NextFunction, Request, Response } from 'express';

/**
 * Rewrites every Set-Cookie ltijs sends (sets and clears) to `Secure; SameSite=None; Partitioned` (CHIPS).
 *
 * Why: Moodle embeds the tool in an iframe; when the tool is on another site, Chromium refuses third-party
 * cookies, including ltijs's `state<state>` cookie, and every embedded launch fails with 401
 * MISSING_VALIDATION_COOKIE (LTIJS-WITH-MOODLE row 1). No ltijs cookie option fixes it (row 2). A Partitioned
 * cookie is kept per top-level site, so it still comes back inside Moodle's iframe. Chromium keeps Secure
 * cookies on http://localhost and http://127.0.0.1 as well, so development works without TLS.
 */
export function rewriteCookie(setCookie: string): string {
  const [pair, ...attrs] = setCookie.split(';').map((s) => s.trim());
  const kept = attrs.filter((a) => a && !/^(samesite|secure|partitioned)(=|$)/i.test(a));
  return [pair, ...kept, 'Secure', 'SameSite=None', 'Partitioned'].join('; ');
}

export function partitionedCookies(_req: Request, res: Response, next: NextFunction) {
  const setHeader = res.setHeader.bind(res);
  res.setHeader = ((name: string, value: number | string | readonly string[]) => {
    if (name.toLowerCase() === 'set-cookie') {
      const values = Array.isArray(value) ? value : [String(value)];
      return setHeader(name, values.map(rewriteCookie));
    }
    return setHeader(name, value);
  }) as Response['setHeader'];
  next();
}
