import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { notFound } from '../../errors';
import { jsonBody } from '../middleware/json-body';
import { isWalletError, WalletError, type Wallet } from '../../wallet';
import { qrDataUrl } from '../../wallet/qr';
import { localeOf, walletText, walletTexts } from '../../wallet/strings';
import { credentialViewModel } from '../credential-view';
import { contextOf, requireRole } from '../middleware/session';
import { navFor } from '../nav';
import { renderPage } from '../views';

/**
 * OpenID for Verifiable Credential Issuance 1.0, pre-authorized code flow: the learner's wallet page (inside the
 * session, student role) and the wallet-facing endpoints (public, CORS-open for web wallets). The endpoints answer
 * in the OAuth / OID4VCI error form ({ error, error_description }, Cache-Control: no-store), never with the app's
 * error JSON and never with a 500 for anything a wallet sends.
 */
export function walletRoutes(wallet: Wallet) {
  const router = Router();
  const { urls } = wallet;

  const cors: RequestHandler = (req, res, next) => {
    res.set('Access-Control-Allow-Origin', '*');
    if (req.method !== 'OPTIONS') return next();
    res
      .set('Access-Control-Allow-Methods', 'GET, POST, OPTIONS')
      .set('Access-Control-Allow-Headers', 'Authorization, Content-Type, Accept, Accept-Language')
      .set('Access-Control-Max-Age', '600');
    res.status(204).end();
  };

  const send = (res: Response, status: number, body: unknown, cache = 'no-store') =>
    res.status(status).set('Cache-Control', cache).type('application/json').send(JSON.stringify(body));

  const sendError = (req: Request, res: Response, err: unknown) => {
    if (isWalletError(err)) {
      req.log?.info({ error: err.error, status: err.status }, `wallet: ${err.message}`);
      if (err.status === 401) res.set('WWW-Authenticate', `Bearer error="${err.error}", error_description="${err.message}"`);
      return send(res, err.status, err.body());
    }
    req.log?.error({ err }, 'wallet endpoint failed');
    send(res, 500, new WalletError('server_error', 'The credential issuer failed; try again later.').body());
  };

  /** Every wallet endpoint: its own errors in OAuth form. */
  const endpoint =
    (handler: (req: Request, res: Response) => Promise<unknown>): RequestHandler =>
    async (req, res) => {
      try {
        await handler(req, res);
      } catch (err) {
        sendError(req, res, err);
      }
    };

  for (const path of urls.paths.issuerMetadata) {
    router.options(path, cors);
    router.get(path, cors, (_req, res) => send(res, 200, wallet.issuerMetadata(), 'public, max-age=300'));
  }
  for (const path of urls.paths.authorizationServerMetadata) {
    router.options(path, cors);
    router.get(path, cors, (_req, res) => send(res, 200, wallet.authorizationServerMetadata(), 'public, max-age=300'));
  }

  router.options('/wallet/offers/:offerId', cors);
  router.get(
    '/wallet/offers/:offerId',
    cors,
    endpoint(async (req, res) => send(res, 200, await wallet.resolveOffer(String(req.params.offerId), localeOf(req.headers['accept-language'])))),
  );

  router.options('/wallet/token', cors);
  router.post(
    '/wallet/token',
    cors,
    express.urlencoded({ extended: false, limit: '16kb' }),
    endpoint(async (req, res) => send(res, 200, await wallet.token(req.is('application/x-www-form-urlencoded') ? req.body : undefined))),
  );

  router.options('/wallet/nonce', cors);
  router.post(
    '/wallet/nonce',
    cors,
    endpoint(async (_req, res) => send(res, 200, await wallet.nonce())),
  );

  router.options('/wallet/credential', cors);
  router.post(
    '/wallet/credential',
    cors,
    jsonBody({ limit: '64kb' }),
    endpoint(async (req, res) => send(res, 200, await wallet.credential(req.headers.authorization, req.is('application/json') ? req.body : undefined))),
  );

  // a body the parsers refuse (bad JSON, too large, bad charset) is the wallet's error, not ours
  router.use('/wallet', (err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!(err as { type?: string }).type) return next(err);
    const code = req.path.startsWith('/credential') ? 'invalid_credential_request' : 'invalid_request';
    sendError(req, res, new WalletError(code, `The request body cannot be read (${(err as { type: string }).type}).`));
  });

  router.get('/app/student/credentials/:id/wallet', requireRole('student'), async (req, res) => {
    const c = contextOf(res);
    const token = res.locals.sessionToken!;
    const result = await wallet.createOffer({ platformId: c.platformId, userId: c.userId }, String(req.params.id));
    if (!result.credential) throw notFound('CREDENTIAL_NOT_FOUND', 'There is no such credential.');
    const name = credentialViewModel(result.credential.json!, c.locale).name || result.credential.achievementName;
    const page = {
      title: walletText(c.locale, 'title'),
      locale: c.locale,
      userName: c.userName,
      nav: navFor(c, token, 'student'),
      w: walletTexts(c.locale),
      heading: walletText(c.locale, 'heading', { name }),
      credentialHref: `/credentials/${result.credential.id}?lang=${c.locale}`,
    };
    res.set('Cache-Control', 'no-store');
    if (!result.ok) {
      return renderPage(
        res,
        'wallet-offer',
        { ...page, refusal: walletText(c.locale, result.reason === 'revoked' ? 'revoked' : 'suspended'), offer: null },
        409,
      );
    }
    const { offer } = result;
    renderPage(res, 'wallet-offer', {
      ...page,
      refusal: null,
      offer: {
        link: offer.link,
        qr: await qrDataUrl(offer.link),
        qrAlt: walletText(c.locale, 'qrAlt', { name }),
        txCode: offer.txCode,
        expiry: walletText(c.locale, 'expiry', { time: offer.expiresAt.toISOString().slice(11, 16) }),
      },
    });
  });

  return router;
}
