import type { RequestHandler } from 'express';
import { bakePng } from '../../../credentials/bake/png';
import { bakeSvg } from '../../../credentials/bake/svg';
import { AppError, notFound } from '../../../errors';
import { badgePng, badgeSvg } from '../../../issuance/badge-image';
import type { IssuedCredential } from '../../../store/issued-credentials';
import type { PublicCredentialDeps } from './deps';
import { issuedCredential } from './issued-credential';

/** What a baked image is drawn from: the badge version the credential was issued for, and the issuer. */
async function imageSourceOf(deps: PublicCredentialDeps, record: IssuedCredential) {
  const version = await deps.badges.getVersion(record.badgeId, record.badgeVersion);
  if (!version) throw new AppError('BADGE_VERSION_MISSING', 'The badge of this credential no longer exists.', { status: 410 });
  return { version, institution: await deps.institutions.find(record.platformId) };
}

/** The badge image of a badge version (the achievement's image), without any credential in it. */
export const badgeImage =
  (deps: PublicCredentialDeps): RequestHandler =>
  async (req, res) => {
    const version = await deps.badges.getVersion(String(req.params.badgeId), Number(req.params.version));
    if (!version) throw notFound('BADGE_NOT_FOUND', 'There is no such badge image.');
    const badge = await deps.badges.findById(version.badgeId);
    const institution = badge ? await deps.institutions.find(badge.platformId) : null;
    res
      .type('png')
      .set('Cache-Control', 'public, max-age=86400')
      .send(badgePng(`${version.badgeId}@${version.version}`, version.definition, institution));
  };

/** The badge image with the credential baked in (JSON, or the JWT with ?format=jwt). */
export const bakedPng =
  (deps: PublicCredentialDeps): RequestHandler =>
  async (req, res) => {
    const record = await issuedCredential(deps, req);
    const { version, institution } = await imageSourceOf(deps, record);
    const png = badgePng(`${version.badgeId}@${version.version}`, version.definition, institution);
    const credential = req.query.format === 'jwt' ? record.jwt! : record.json!;
    res.attachment(`badge-${record.id}.png`).type('png').send(bakePng(png, credential));
  };

/** The SVG badge image with the credential baked in (JSON, or the JWT with ?format=jwt). */
export const bakedSvg =
  (deps: PublicCredentialDeps): RequestHandler =>
  async (req, res) => {
    const record = await issuedCredential(deps, req);
    const { version, institution } = await imageSourceOf(deps, record);
    const credential = req.query.format === 'jwt' ? record.jwt! : record.json!;
    res
      .attachment(`badge-${record.id}.svg`)
      .type('image/svg+xml')
      .send(bakeSvg(badgeSvg(version.definition, institution), credential));
  };
