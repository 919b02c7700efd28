import { Router } from 'express';
import type { Config } from '../../config';
import { EU_CONTEXT_PATH } from '../../credentials/eu-extension/context';
import { rateLimit } from './rate-limit';

/**
 * Per-client limits on what anyone may call without a session: the verify API (costly: its own, strict
 * limit), the credential pages and files, issuer profiles and did:web documents, status lists, badge images,
 * the EU context, and the OpenID4VCI wallet endpoints (answered in OAuth's error form).
 */
export function publicRateLimits(limits: Config['rateLimits'], now?: () => number) {
  const router = Router();
  router.post('/api/verify', rateLimit(limits.verifyPerMinute, { now }));
  router.use(['/credentials', '/issuers', '/status', '/badges', EU_CONTEXT_PATH], rateLimit(limits.publicPerMinute, { now }));
  router.use(
    '/wallet',
    rateLimit(limits.walletPerMinute, {
      now,
      reply: (res, wait) =>
        res
          .status(429)
          .set({ 'Cache-Control': 'no-store', 'Access-Control-Allow-Origin': '*' })
          .json({ error: 'temporarily_unavailable', error_description: `Too many requests from your address; try again in ${wait} s.` }),
    }),
  );
  return router;
}
