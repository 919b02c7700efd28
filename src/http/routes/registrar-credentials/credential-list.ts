import type { RequestHandler } from 'express';
import { contextOf } from '../../middleware/session';
import type { RegistrarCredentialDeps } from './deps';

/** Every credential of the institution as JSON, with how many wallet copies each has. */
export const listCredentials =
  (deps: RegistrarCredentialDeps): RequestHandler =>
  async (_req, res) => {
    const c = contextOf(res);
    const list = await deps.issuance.credentials.listForPlatform(c.platformId);
    const copies = await deps.issuance.copies.countByParent(list.map((x) => x.id));
    res.json({
      credentials: list.map((x) => ({
        id: x.id,
        courseId: x.courseId,
        userId: x.userId,
        badgeId: x.badgeId,
        badgeVersion: x.badgeVersion,
        name: x.achievementName,
        status: x.status,
        issuedAt: x.issuedAt,
        walletCopies: copies.get(x.id) ?? 0,
      })),
    });
  };
