import express, { Router, type Request, type Response } from 'express';
import { bakePng } from '../../credentials/bake/png';
import { bakeSvg } from '../../credentials/bake/svg';
import { euExtensionContextDocument, EU_CONTEXT_PATH } from '../../credentials/eu-extension/context';
import { checkInputBytes } from '../../credentials/input-bounds';
import { AppError, notFound } from '../../errors';
import { badgePng, badgeSvg } from '../../issuance/badge-image';
import { issuerIdentity, publishedProfile } from '../../issuance/issuer-identity';
import type { Issuance } from '../../issuance/services';
import type { BadgeRepository } from '../../store/badges';
import type { InstitutionRepository } from '../../store/institutions';
import type { IssuedCredential } from '../../store/issued-credentials';
import { localeFromHeader, translate } from '../i18n';
import { credentialViewModel, linkedInAddUrl } from '../credential-view';
import { renderPage } from '../views';

export interface PublicCredentialDeps {
  publicUrl: string;
  issuance: Issuance;
  badges: BadgeRepository;
  institutions: InstitutionRepository;
  /** The site an issuer id names: its own id, or the id of a registration merged into it. */
  siteIdOf(issuerId: string): Promise<string | null>;
}

const JSON_TYPES = ['application/ld+json', 'application/vc+ld+json', 'application/json'];
const isId = (v: string) => /^[a-f0-9]{24}$/.test(v);

/**
 * What the world sees without a session, so a credential can be checked years later without asking anyone:
 * issuer profiles, DID documents and keys, the EU context, status lists, each credential (JSON by content
 * negotiation, or a verification page) with its JWT, PNG and SVG forms, and a verify API.
 */
export function publicCredentialRoutes(deps: PublicCredentialDeps) {
  const router = Router();
  const { issuance } = deps;
  const ld = (res: Response, body: unknown, type = 'application/ld+json') =>
    res
      .type(type)
      .set('Access-Control-Allow-Origin', '*')
      .send(JSON.stringify(body, null, 2));

  router.get(EU_CONTEXT_PATH, (_req, res) => ld(res, euExtensionContextDocument()));

  /** An issuer id is published while its site has a profile; a former id keeps its own DID and keys. */
  const institutionOf = async (issuerId: string) => {
    const siteId = isId(issuerId) ? await deps.siteIdOf(issuerId) : null;
    const institution = siteId ? await deps.institutions.find(siteId) : null;
    if (!institution) throw notFound('ISSUER_NOT_FOUND', 'There is no such issuer.');
    return institution;
  };

  router.get('/issuers/:platformId', async (req, res) => {
    const platformId = String(req.params.platformId);
    // the id is checked (institutionOf) before it goes into a DID: a malformed one is a 404, not a 500
    const institution = await institutionOf(platformId);
    ld(res, publishedProfile(issuerIdentity(deps.publicUrl, platformId), institution));
  });

  router.get('/issuers/:platformId/did.json', async (req, res) => {
    const platformId = String(req.params.platformId);
    await institutionOf(platformId);
    ld(res, await issuance.keys.issuerDidDocument(platformId, issuerIdentity(deps.publicUrl, platformId).did), 'application/did+ld+json');
  });

  router.get('/issuers/:platformId/jwks.json', async (req, res) => {
    const platformId = String(req.params.platformId);
    await institutionOf(platformId);
    ld(res, await issuance.keys.issuerJwks(platformId), 'application/jwk-set+json');
  });

  router.get('/status/:platformId/revocations', async (req, res) => {
    const platformId = String(req.params.platformId);
    if (!isId(platformId)) throw notFound('STATUS_LIST_NOT_FOUND', 'There is no such list.');
    ld(res, await issuance.status.revocationList(platformId), 'application/json');
  });

  router.get('/status/:platformId/:listId/:purpose', async (req, res) => {
    const { platformId, listId, purpose } = req.params as Record<string, string>;
    if (!isId(platformId!) || !/^\d{1,6}$/.test(listId!) || (purpose !== 'revocation' && purpose !== 'suspension'))
      throw notFound('STATUS_LIST_NOT_FOUND', 'There is no such list.');
    const list = await issuance.status.listCredential(platformId!, listId!, purpose);
    if (!list) throw notFound('STATUS_LIST_NOT_FOUND', 'There is no such list.');
    res.set('Cache-Control', 'public, max-age=60');
    ld(res, list, 'application/vc+ld+json');
  });

  router.get('/badges/:badgeId/versions/:version/image.png', async (req, res) => {
    const version = await deps.badges.getVersion(String(req.params.badgeId), Number(req.params.version));
    if (!version) throw notFound('BADGE_NOT_FOUND', 'There is no such badge image.');
    const badge = await deps.badges.findById(version.badgeId);
    const institution = badge ? await deps.institutions.find(badge.platformId) : null;
    res
      .type('png')
      .set('Cache-Control', 'public, max-age=86400')
      .send(badgePng(`${version.badgeId}@${version.version}`, version.definition, institution));
  });

  /** The award, or a wallet copy of it shown as the award with the copy's id and signed forms (same status). */
  async function issued(req: Request): Promise<IssuedCredential> {
    const id = String(req.params.id);
    let record = await issuance.credentials.findById(id);
    if (!record) {
      const copy = await issuance.copies.findById(id);
      const award = copy ? await issuance.credentials.findById(copy.parentId) : null;
      if (copy && award) record = { ...award, id: copy.id, json: copy.json, jwt: copy.jwt };
    }
    if (!record || record.state !== 'issued' || !record.json) throw notFound('CREDENTIAL_NOT_FOUND', 'There is no such credential.');
    return record;
  }

  async function bakedImage(record: IssuedCredential) {
    const version = await deps.badges.getVersion(record.badgeId, record.badgeVersion);
    if (!version) throw new AppError('BADGE_VERSION_MISSING', 'The badge of this credential no longer exists.', { status: 410 });
    return { version, institution: await deps.institutions.find(record.platformId) };
  }

  router.get('/credentials/:id/credential.json', async (req, res) => {
    const record = await issued(req);
    res.attachment(`credential-${record.id}.json`);
    ld(res, record.json, 'application/vc+ld+json');
  });

  router.get('/credentials/:id/credential.jwt', async (req, res) => {
    const record = await issued(req);
    res.attachment(`credential-${record.id}.jwt`).type('application/vc+jwt').send(record.jwt);
  });

  router.get('/credentials/:id/badge.png', async (req, res) => {
    const record = await issued(req);
    const { version, institution } = await bakedImage(record);
    const png = badgePng(`${version.badgeId}@${version.version}`, version.definition, institution);
    const credential = req.query.format === 'jwt' ? record.jwt! : record.json!;
    res.attachment(`badge-${record.id}.png`).type('png').send(bakePng(png, credential));
  });

  router.get('/credentials/:id/badge.svg', async (req, res) => {
    const record = await issued(req);
    const { version, institution } = await bakedImage(record);
    const credential = req.query.format === 'jwt' ? record.jwt! : record.json!;
    res
      .attachment(`badge-${record.id}.svg`)
      .type('image/svg+xml')
      .send(bakeSvg(badgeSvg(version.definition, institution), credential));
  });

  router.get('/credentials/:id', async (req, res) => {
    const record = await issued(req);
    if (req.accepts(['html', ...JSON_TYPES]) !== 'html') return ld(res, record.json, 'application/vc+ld+json');
    const verification = await issuance.verify(record.json!);
    const locale = req.query.lang === 'lv' ? 'lv' : req.query.lang === 'en' ? 'en' : localeFromHeader(req.headers['accept-language']);
    const base = `/credentials/${record.id}`;
    const view = credentialViewModel(record.json!, locale);
    const shareUrl = `${deps.publicUrl}${base}`;
    renderPage(res, 'credential', {
      title: record.achievementName,
      locale,
      view,
      shareUrl,
      linkedInUrl: linkedInAddUrl(record.json!, shareUrl, view),
      verification,
      statusNote: record.status === 'revoked' ? translate(locale, 'cred.revoked') : record.status === 'suspended' ? translate(locale, 'cred.suspended') : null,
      links: { json: `${base}/credential.json`, jwt: `${base}/credential.jwt`, png: `${base}/badge.png`, svg: `${base}/badge.svg` },
    });
  });

  router.post('/api/verify', express.raw({ type: () => true, limit: '5mb' }), async (req, res) => {
    const body = req.body as Buffer;
    if (!Buffer.isBuffer(body) || body.length === 0)
      throw new AppError('VERIFY_EMPTY', 'Send the credential (JSON, JWT, PNG or SVG) as the request body.', { status: 400 });
    checkInputBytes(body); // before it takes a place in the verification queue
    res.json(await issuance.verify(body));
  });

  return router;
}
