/**
 * The demo's wallet: OpenID4VCI 1.0 pre-authorized code flow over HTTP with a fresh ES256 key named by its
 * did:jwk, as a phone wallet would after scanning the QR code. It must receive its own copy of the credential,
 * bound to that DID, and the copy must verify.
 */
import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { getPage, HttpError } from '../../test/support/demo-http';

const PRE_AUTH = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

const wellKnown = (identifier: string, name: string) => {
  const u = new URL(identifier);
  return `${u.origin}/.well-known/${name}${u.pathname === '/' ? '' : u.pathname}`;
};

async function json(what: string, res: Response): Promise<Record<string, any>> {
  const body = await res.text();
  if (!res.ok) throw new HttpError(what, res.status, body);
  return JSON.parse(body) as Record<string, any>;
}

export async function claimWalletCopy(toolUrl: string, studentToken: string, credentialId: string): Promise<{ did: string; jwt: string }> {
  const page = await getPage(`${toolUrl}/app/student/credentials/${credentialId}/wallet`, studentToken, 'the wallet page');
  const link = /id="wallet-link" href="([^"]+)"/.exec(page)?.[1]?.replaceAll('&amp;', '&');
  if (!link) throw new Error('the wallet page has no offer link');
  const offer = await json('the credential offer', await fetch(new URL(link).searchParams.get('credential_offer_uri')!));
  const issuer = await json('the issuer metadata', await fetch(wellKnown(offer.credential_issuer, 'openid-credential-issuer')));
  const as = await json(
    'the authorization server metadata',
    await fetch(wellKnown(issuer.authorization_servers?.[0] ?? offer.credential_issuer, 'oauth-authorization-server')),
  );
  const token = await json(
    'the token request',
    await fetch(as.token_endpoint, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: PRE_AUTH, 'pre-authorized_code': offer.grants[PRE_AUTH]['pre-authorized_code'] }),
    }),
  );
  const { c_nonce } = await json('the nonce request', await fetch(issuer.nonce_endpoint, { method: 'POST' }));

  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = await exportJWK(publicKey);
  const did = `did:jwk:${Buffer.from(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })).toString('base64url')}`;
  const proof = await new SignJWT({ aud: offer.credential_issuer, nonce: c_nonce })
    .setProtectedHeader({ alg: 'ES256', typ: 'openid4vci-proof+jwt', kid: `${did}#0` })
    .setIssuedAt()
    .sign(privateKey);
  const answer = await json(
    'the credential request',
    await fetch(issuer.credential_endpoint, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token.access_token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ credential_configuration_id: 'OpenBadgeCredential_jwt', proofs: { jwt: [proof] } }),
    }),
  );
  const jwt = answer.credentials[0].credential as string;
  const payload = decodeJwt(jwt) as Record<string, any>;
  if (payload.sub !== did || payload.credentialSubject?.id !== did) throw new Error(`the wallet copy is not bound to ${did}: sub ${String(payload.sub)}`);
  return { did, jwt };
}
