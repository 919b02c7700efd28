import type { RequestHandler } from 'express';
import { checkInputBytes } from '../../../credentials/input-bounds';
import { AppError } from '../../../errors';
import { localeFromHeader, translate } from '../../i18n';
import { credentialViewModel, linkedInAddUrl } from '../../credential-view';
import { renderPage } from '../../views';
import { issuedCredential } from './issued-credential';
import { sendLinkedData, type PublicCredentialDeps } from './deps';

const JSON_TYPES = ['application/ld+json', 'application/vc+ld+json', 'application/json'];

/** A credential's address: its JSON to a machine (content negotiation), else the page that verifies it now. */
export const credentialPage =
  (deps: PublicCredentialDeps): RequestHandler =>
  async (req, res) => {
    const record = await issuedCredential(deps, req);
    if (req.accepts(['html', ...JSON_TYPES]) !== 'html') return sendLinkedData(res, record.json, 'application/vc+ld+json');
    const verification = await deps.issuance.verify(record.json!);
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
  };

/** The verify API: any credential (JSON, JWT, baked PNG or SVG) as the request body, the verification as JSON. */
export const verifyCredential =
  (deps: PublicCredentialDeps): RequestHandler =>
  async (req, res) => {
    const body = req.body as Buffer;
    if (!Buffer.isBuffer(body) || body.length === 0)
      throw new AppError('VERIFY_EMPTY', 'Send the credential (JSON, JWT, PNG or SVG) as the request body.', { status: 400 });
    checkInputBytes(body); // before it takes a place in the verification queue
    res.json(await deps.issuance.verify(body));
  };
