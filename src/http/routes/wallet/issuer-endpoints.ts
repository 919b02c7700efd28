import type { RequestHandler } from 'express';
import type { Wallet } from '../../../wallet';
import { localeOf } from '../../../wallet/strings';
import { sendJson, walletEndpoint } from './oauth-responses';

const METADATA_CACHE = 'public, max-age=300';

/** The credential issuer's metadata. */
export const issuerMetadata =
  (wallet: Wallet): RequestHandler =>
  (_req, res) =>
    sendJson(res, 200, wallet.issuerMetadata(), METADATA_CACHE);

/** The authorization server's metadata (RFC 8414), for the pre-authorized code grant. */
export const authorizationServerMetadata =
  (wallet: Wallet): RequestHandler =>
  (_req, res) =>
    sendJson(res, 200, wallet.authorizationServerMetadata(), METADATA_CACHE);

/** The credential offer a wallet fetches by reference (credential_offer_uri). */
export const credentialOffer = (wallet: Wallet) =>
  walletEndpoint(async (req, res) => sendJson(res, 200, await wallet.resolveOffer(String(req.params.offerId), localeOf(req.headers['accept-language']))));

/** Token endpoint: a pre-authorized code (and transaction code) for an access token. */
export const tokenEndpoint = (wallet: Wallet) =>
  walletEndpoint(async (req, res) => sendJson(res, 200, await wallet.token(req.is('application/x-www-form-urlencoded') ? req.body : undefined)));

/** Nonce endpoint: a fresh c_nonce for the wallet's proof of possession. */
export const nonceEndpoint = (wallet: Wallet) => walletEndpoint(async (_req, res) => sendJson(res, 200, await wallet.nonce()));

/** Credential endpoint: the holder-bound copy of the award, for an access token and a proof. */
export const credentialEndpoint = (wallet: Wallet) =>
  walletEndpoint(async (req, res) => sendJson(res, 200, await wallet.credential(req.headers.authorization, req.is('application/json') ? req.body : undefined)));
