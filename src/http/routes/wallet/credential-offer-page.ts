import type { RequestHandler } from 'express';
import { notFound } from '../../../errors';
import type { Wallet } from '../../../wallet';
import { qrDataUrl } from '../../../wallet/qr';
import { walletText, walletTexts } from '../../../wallet/strings';
import { credentialViewModel } from '../../credential-view';
import { contextOf } from '../../middleware/session';
import { navFor } from '../../nav';
import { renderPage } from '../../views';

/** The learner's "add to wallet" page: a fresh credential offer as link and QR code, or why it cannot be offered. */
export const credentialOfferPage =
  (wallet: Wallet): RequestHandler =>
  async (req, res) => {
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
        expiry: walletText(c.locale, 'expiry', { time: offer.expiresAt }),
      },
    });
  };
