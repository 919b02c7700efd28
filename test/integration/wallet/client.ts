/**
 * A minimal OID4VCI 1.0 wallet, written from the specification (not from the tool's code): it resolves an offer
 * link, discovers the issuer and its authorization server through the well-known URLs, exchanges the
 * pre-authorized code, fetches a c_nonce and sends a credential request with a `jwt` key proof.
 */
import { exportJWK, generateKeyPair, SignJWT, type JWK, type CryptoKey } from 'jose';
import request from 'supertest';

export const PRE_AUTH = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

const split = (url: string) => {
  const u = new URL(url);
  return { origin: u.origin, path: `${u.pathname}${u.search}` };
};

export const get = (url: string) => {
  const { origin, path } = split(url);
  return request(origin).get(path);
};

export const post = (url: string) => {
  const { origin, path } = split(url);
  return request(origin).post(path);
};

/** §4.1: `openid-credential-offer://?credential_offer_uri=…` → the offer URI. */
export function offerUriOf(link: string): string {
  const u = new URL(link);
  if (u.protocol !== 'openid-credential-offer:') throw new Error(`not an offer link: ${link}`);
  const uri = u.searchParams.get('credential_offer_uri');
  if (!uri || u.searchParams.has('credential_offer')) throw new Error('the link must carry exactly credential_offer_uri');
  return uri;
}

/** §12.2.2 / RFC 8414 §3: insert the well-known segment between host and path. */
export function wellKnown(identifier: string, name: string): string {
  const u = new URL(identifier);
  return `${u.origin}/.well-known/${name}${u.pathname === '/' ? '' : u.pathname}`;
}

export interface Discovery {
  issuer: Record<string, any>;
  as: Record<string, any>;
}

/** Issuer metadata, then the AS metadata (the issuer is its own AS when `authorization_servers` is absent). */
export async function discover(credentialIssuer: string): Promise<Discovery> {
  const res = await get(wellKnown(credentialIssuer, 'openid-credential-issuer')).set('Accept', 'application/json').set('Accept-Language', 'lv, en;q=0.8');
  if (res.status !== 200) throw new Error(`issuer metadata: ${res.status} ${res.text}`);
  const issuer = JSON.parse(res.text);
  if (issuer.credential_issuer !== credentialIssuer) throw new Error('credential_issuer differs from the identifier (§12.2.4: do not use)');
  const asId: string = issuer.authorization_servers?.[0] ?? credentialIssuer;
  const asRes = await get(wellKnown(asId, 'oauth-authorization-server'));
  if (asRes.status !== 200) throw new Error(`AS metadata: ${asRes.status} ${asRes.text}`);
  const as = JSON.parse(asRes.text);
  if (as.issuer !== asId) throw new Error('AS issuer differs (RFC 8414 §3.3)');
  return { issuer, as };
}

export async function holderKey(alg: 'ES256' | 'EdDSA' = 'ES256'): Promise<{ privateKey: CryptoKey; jwk: JWK; alg: string }> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { privateKey, jwk: await exportJWK(publicKey), alg };
}

/** Appendix F.1: a key proof JWT. `header` overrides what the header names the key by. */
export async function keyProof(
  key: { privateKey: CryptoKey; jwk: JWK; alg: string },
  claims: { aud?: string; nonce?: string; iat?: number },
  header: Record<string, unknown> = { jwk: key.jwk },
  typ = 'openid4vci-proof+jwt',
): Promise<string> {
  const payload: Record<string, unknown> = {};
  if (claims.aud !== undefined) payload.aud = claims.aud;
  if (claims.nonce !== undefined) payload.nonce = claims.nonce;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, typ, ...header })
    .setIssuedAt(claims.iat ?? Math.floor(Date.now() / 1000))
    .sign(key.privateKey);
}

export const tokenRequest = (tokenEndpoint: string, form: Record<string, string>) => post(tokenEndpoint).type('form').send(form);

export async function freshNonce(nonceEndpoint: string): Promise<string> {
  const res = await post(nonceEndpoint);
  if (res.status !== 200) throw new Error(`nonce: ${res.status} ${res.text}`);
  return res.body.c_nonce;
}

export const credentialRequest = (endpoint: string, accessToken: string | null, body: unknown) => {
  const req = post(endpoint).set('Content-Type', 'application/json');
  if (accessToken !== null) req.set('Authorization', `Bearer ${accessToken}`);
  return req.send(typeof body === 'string' ? body : JSON.stringify(body));
};
