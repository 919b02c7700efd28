import express, { Router } from 'express';
import type { Wallet } from '../../../wallet';
import { jsonBody } from '../../middleware/json-body';
import { requireRole } from '../../middleware/session';
import { credentialOfferPage } from './credential-offer-page';
import { authorizationServerMetadata, credentialEndpoint, credentialOffer, issuerMetadata, nonceEndpoint, tokenEndpoint } from './issuer-endpoints';
import { cors, unreadableBody } from './oauth-responses';

/**
 * OpenID for Verifiable Credential Issuance 1.0, pre-authorized code flow: the learner's wallet page (inside the
 * session, student role) and the wallet-facing endpoints (public, CORS-open for web wallets). The endpoints answer
 * in the OAuth / OID4VCI error form ({ error, error_description }, Cache-Control: no-store), never with the app's
 * error JSON and never with a 500 for anything a wallet sends.
 */
export function walletRoutes(wallet: Wallet) {
  const router = Router();
  const { paths } = wallet.urls;
  for (const path of paths.issuerMetadata) router.options(path, cors).get(path, cors, issuerMetadata(wallet));
  for (const path of paths.authorizationServerMetadata) router.options(path, cors).get(path, cors, authorizationServerMetadata(wallet));

  router.options('/wallet/offers/:offerId', cors).get('/wallet/offers/:offerId', cors, credentialOffer(wallet));
  router.options('/wallet/token', cors).post('/wallet/token', cors, express.urlencoded({ extended: false, limit: '16kb' }), tokenEndpoint(wallet));
  router.options('/wallet/nonce', cors).post('/wallet/nonce', cors, nonceEndpoint(wallet));
  router.options('/wallet/credential', cors).post('/wallet/credential', cors, jsonBody({ limit: '64kb' }), credentialEndpoint(wallet));
  router.use('/wallet', unreadableBody);

  router.get('/app/student/credentials/:id/wallet', requireRole('student'), credentialOfferPage(wallet));
  return router;
}
