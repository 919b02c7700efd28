import express, { Router } from 'express';
import { EU_CONTEXT_PATH } from '../../../credentials/eu-extension/context';
import { badgeImage, bakedPng, bakedSvg } from './badge-images';
import { credentialJson, credentialJwt } from './credential-files';
import type { PublicCredentialDeps } from './deps';
import { euContext, issuerDidDocument, issuerJwks, issuerProfile } from './issuer-documents';
import { revocationList, statusListCredential } from './status-lists';
import { credentialPage, verifyCredential } from './verify';

export type { PublicCredentialDeps } from './deps';

/**
 * What the world sees without a session, so a credential can be checked years later without asking anyone:
 * issuer profiles, DID documents and keys, the EU context, status lists, each credential (JSON by content
 * negotiation, or a verification page) with its JWT, PNG and SVG forms, and a verify API.
 */
export function publicCredentialRoutes(deps: PublicCredentialDeps) {
  const router = Router();
  router.get(EU_CONTEXT_PATH, euContext);
  router.get('/issuers/:platformId', issuerProfile(deps));
  router.get('/issuers/:platformId/did.json', issuerDidDocument(deps));
  router.get('/issuers/:platformId/jwks.json', issuerJwks(deps));
  router.get('/status/:platformId/revocations', revocationList(deps));
  router.get('/status/:platformId/:listId/:purpose', statusListCredential(deps));
  router.get('/badges/:badgeId/versions/:version/image.png', badgeImage(deps));
  router.get('/credentials/:id/credential.json', credentialJson(deps));
  router.get('/credentials/:id/credential.jwt', credentialJwt(deps));
  router.get('/credentials/:id/badge.png', bakedPng(deps));
  router.get('/credentials/:id/badge.svg', bakedSvg(deps));
  router.get('/credentials/:id', credentialPage(deps));
  router.post('/api/verify', express.raw({ type: () => true, limit: '5mb' }), verifyCredential(deps));
  return router;
}
