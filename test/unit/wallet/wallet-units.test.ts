import assert from 'node:assert/strict';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { base58btcEncode } from '../../../src/credentials/keys/multibase';
import { WalletError } from '../../../src/wallet/errors';
import { jwkFromKid, publicJwk } from '../../../src/wallet/holder-key';
import { authorizationServerMetadata, issuerMetadata } from '../../../src/wallet/metadata';
import { verifyKeyProof } from '../../../src/wallet/proof';
import { DEFAULT_TIMINGS, offerLink, walletUrls, wellKnownUrl } from '../../../src/wallet/protocol';
import { preAuthorizedCodeOf, sha256 } from '../../../src/wallet/secrets';
import { compileMessage } from '../../../src/i18n/icu';
import { localeOf, walletMessages, walletText } from '../../../src/wallet/strings';

describe('wallet units', () => {
  describe('protocol: well-known URLs and links', () => {
    it('inserts the well-known segment between host and path (OID4VCI 1.0 §12.2.2, RFC 8414 §3)', () => {
      assert.equal(
        wellKnownUrl('https://issuer.example.com/tenant', 'openid-credential-issuer'),
        'https://issuer.example.com/.well-known/openid-credential-issuer/tenant',
      );
      assert.equal(
        wellKnownUrl('https://tenant.issuer.example.com', 'openid-credential-issuer'),
        'https://tenant.issuer.example.com/.well-known/openid-credential-issuer',
      );
      assert.equal(
        wellKnownUrl('https://h.example:8443/a/b/', 'oauth-authorization-server'),
        'https://h.example:8443/.well-known/oauth-authorization-server/a/b',
      );
    });

    it('derives every address from the public URL, a path prefix included', () => {
      const u = walletUrls('https://badges.example.edu/lti/');
      assert.equal(u.credentialIssuer, 'https://badges.example.edu/lti/wallet');
      assert.equal(u.tokenEndpoint, 'https://badges.example.edu/lti/wallet/token');
      assert.deepEqual(u.paths.issuerMetadata, ['/.well-known/openid-credential-issuer/lti/wallet', '/wallet/.well-known/openid-credential-issuer']);
      assert.equal(walletUrls('https://b.example').paths.authorizationServerMetadata[0], '/.well-known/oauth-authorization-server/wallet');
    });

    it('the offer link carries the offer URI percent-encoded, by reference only', () => {
      const link = offerLink('https://b.example/wallet/offers/abc?x=1&y=2');
      const parsed = new URL(link);
      assert.equal(parsed.protocol, 'openid-credential-offer:');
      assert.deepEqual([...parsed.searchParams.keys()], ['credential_offer_uri']);
      assert.equal(parsed.searchParams.get('credential_offer_uri'), 'https://b.example/wallet/offers/abc?x=1&y=2');
    });
  });

  describe('secrets', () => {
    it('the pre-authorized code is derived from the offer id, and differs from it', () => {
      assert.equal(preAuthorizedCodeOf('a'.repeat(43)), preAuthorizedCodeOf('a'.repeat(43)));
      assert.notEqual(preAuthorizedCodeOf('a'.repeat(43)), preAuthorizedCodeOf('b'.repeat(43)));
      assert.match(preAuthorizedCodeOf('x'), /^[\w-]{43}$/);
      assert.notEqual(sha256('x'), 'x');
    });
  });

  describe('holder keys', () => {
    it('did:key (Ed25519, P-256) and did:jwk resolve offline; fragments must match', async () => {
      const ed = await exportJWK((await generateKeyPair('EdDSA', { extractable: true })).publicKey);
      const didKey = `did:key:z${base58btcEncode(Buffer.concat([Buffer.from([0xed, 0x01]), Buffer.from(ed.x!, 'base64url')]))}`;
      assert.deepEqual(jwkFromKid(didKey), { kty: 'OKP', crv: 'Ed25519', x: ed.x });
      assert.deepEqual(jwkFromKid(`${didKey}#${didKey.slice(8)}`), { kty: 'OKP', crv: 'Ed25519', x: ed.x });
      assert.equal(jwkFromKid(`${didKey}#other`), null);

      const p = await exportJWK((await generateKeyPair('ES256', { extractable: true })).publicKey);
      const y = Buffer.from(p.y!, 'base64url');
      const compressed = Buffer.concat([Buffer.from([y[y.length - 1]! & 1 ? 3 : 2]), Buffer.from(p.x!, 'base64url')]);
      const p256 = `did:key:z${base58btcEncode(Buffer.concat([Buffer.from([0x80, 0x24]), compressed]))}`;
      assert.ok(p256.startsWith('did:key:zDn'));
      assert.deepEqual(jwkFromKid(p256), { kty: 'EC', crv: 'P-256', x: p.x, y: p.y });

      const didJwk = `did:jwk:${Buffer.from(JSON.stringify(p)).toString('base64url')}`;
      assert.deepEqual(jwkFromKid(`${didJwk}#0`), p);
      assert.equal(jwkFromKid(`${didJwk}#1`), null);
      assert.equal(jwkFromKid('did:web:example.com#k'), null);
      assert.equal(jwkFromKid('did:key:zNotBase58!'), null);
    });

    it('a JWK with private or symmetric members is not a public key', async () => {
      const priv = await exportJWK((await generateKeyPair('ES256', { extractable: true })).privateKey);
      assert.equal(publicJwk(priv), null);
      assert.equal(publicJwk({ kty: 'oct', k: 'AAAA' }), null);
      assert.equal(publicJwk('x'), null);
      assert.equal(jwkFromKid(`did:jwk:${Buffer.from(JSON.stringify(priv)).toString('base64url')}`), null);
    });
  });

  describe('key proof verification', () => {
    const audience = 'https://b.example/wallet';
    const nonces = (valid: string[]) => ({ consume: async (n: string) => valid.includes(n) && (valid.splice(valid.indexOf(n), 1), true) });
    const at = Date.UTC(2026, 0, 1);
    const sign = async (payload: Record<string, unknown>, header: Record<string, unknown> = {}, iat = at / 1000) => {
      const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
      return new SignJWT(payload)
        .setProtectedHeader({ alg: 'ES256', typ: 'openid4vci-proof+jwt', jwk: await exportJWK(publicKey), ...header })
        .setIssuedAt(iat)
        .sign(privateKey);
    };
    const verify = (jwt: unknown, valid = ['n1']) => verifyKeyProof(jwt, { audience, now: () => at, timings: DEFAULT_TIMINGS, nonces: nonces(valid) });
    const code = async (p: Promise<unknown>) => {
      try {
        await p;
        return 'ok';
      } catch (err) {
        assert.ok(err instanceof WalletError, String(err));
        return err.error;
      }
    };

    it('accepts a good proof and returns the key thumbprint; the nonce is single-use', async () => {
      const valid = ['n1'];
      const jwt = await sign({ aud: audience, nonce: 'n1' });
      const res = await verify(jwt, valid);
      assert.match(res.thumbprint, /^[\w-]{43}$/);
      assert.equal(await code(verify(jwt, valid)), 'invalid_nonce');
    });

    it('refuses what Appendix F.4 refuses', async () => {
      assert.equal(await code(verify(await sign({ aud: 'https://other.example', nonce: 'n1' }))), 'invalid_proof');
      assert.equal(await code(verify(await sign({ aud: audience, nonce: 'n1' }, { typ: 'JWT' }))), 'invalid_proof');
      assert.equal(await code(verify(await sign({ aud: audience, nonce: 'n1' }, {}, at / 1000 + 3600))), 'invalid_proof', 'iat an hour ahead');
      assert.equal(await code(verify(await sign({ aud: audience, nonce: 'n1' }, {}, at / 1000 - 3600))), 'invalid_proof', 'iat an hour old');
      assert.equal(await code(verify(await sign({ aud: audience, nonce: 'n1' }, {}, at / 1000 + 120))), 'ok', 'two minutes of clock skew');
      assert.equal(await code(verify(await sign({ aud: audience, nonce: 'zz' }))), 'invalid_nonce');
      assert.equal(await code(verify(await sign({ aud: audience }))), 'invalid_proof');
      assert.equal(await code(verify(await sign({ aud: audience, nonce: 'n1' }, { x5c: ['MIIB'], jwk: undefined }))), 'invalid_proof');
      const hs = await new SignJWT({ aud: audience, nonce: 'n1' })
        .setProtectedHeader({ alg: 'HS256', typ: 'openid4vci-proof+jwt', jwk: { kty: 'oct', k: 'c2VjcmV0' } as never })
        .setIssuedAt(at / 1000)
        .sign(new TextEncoder().encode('secret'));
      assert.equal(await code(verify(hs)), 'invalid_proof', 'symmetric algorithms are refused');
      const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'openid4vci-proof+jwt' })).toString('base64url')}.${Buffer.from('{}').toString('base64url')}.`;
      assert.equal(await code(verify(none)), 'invalid_proof');
      assert.equal(await code(verify(42)), 'invalid_proof');
    });
  });

  describe('metadata', () => {
    const urls = walletUrls('https://b.example');
    it('required proofs publish binding methods and proof types; optional proofs publish neither (§12.2.4)', () => {
      const required = issuerMetadata({ urls, publicUrl: 'https://b.example', holderProof: 'required' });
      const conf = required.credential_configurations_supported.OpenBadgeCredential_jwt as Record<string, unknown>;
      assert.deepEqual(conf.cryptographic_binding_methods_supported, ['jwk', 'did:key', 'did:jwk']);
      assert.ok(conf.proof_types_supported);
      const optional = issuerMetadata({ urls, publicUrl: 'https://b.example', holderProof: 'optional' });
      const o = optional.credential_configurations_supported.OpenBadgeCredential_ldp as Record<string, unknown>;
      assert.equal(o.cryptographic_binding_methods_supported, undefined);
      assert.equal(o.proof_types_supported, undefined);
      assert.equal(required.credential_issuer, 'https://b.example/wallet');
    });

    it('authorization server metadata: pre-authorized grant, anonymous access', () => {
      const as = authorizationServerMetadata(urls);
      assert.equal(as.issuer, 'https://b.example/wallet');
      assert.deepEqual(as.grant_types_supported, ['urn:ietf:params:oauth:grant-type:pre-authorized_code']);
      assert.equal(as['pre-authorized_grant_anonymous_access_supported'], true);
    });
  });

  describe('strings and errors', () => {
    it('English and Latvian have the same keys, none empty', () => {
      assert.deepEqual(Object.keys(walletMessages.lv).sort(), Object.keys(walletMessages.en).sort());
      for (const table of [walletMessages.en, walletMessages.lv]) for (const v of Object.values(table)) assert.ok(v.trim().length > 0);
      assert.equal(walletText('lv', 'heading', { name: 'X' }), 'Pievienojiet “X” savam digitālajam makam');
      assert.equal(localeOf('lv-LV,lv;q=0.9'), 'lv');
      assert.equal(localeOf('de, en;q=0.5'), 'en');
      assert.equal(localeOf(undefined), 'en');
    });

    it('every text is ICU MessageFormat with the same arguments in both languages; the expiry time is formatted in UTC', () => {
      for (const key of Object.keys(walletMessages.en) as Array<keyof typeof walletMessages.en>) {
        const names = (locale: 'en' | 'lv') => [...compileMessage(locale, walletMessages[locale][key]).arguments.keys()].sort();
        assert.deepEqual(names('lv'), names('en'), key);
      }
      const at = new Date('2026-12-01T23:05:00Z');
      assert.equal(walletText('en', 'expiry', { time: at }), 'The code works once and expires at 23:05 (UTC). Reload this page for a new one.');
      assert.equal(walletText('lv', 'expiry', { time: at }), 'Kods derīgs vienu reizi līdz 23:05 (UTC). Lai saņemtu jaunu, pārlādējiet šo lapu.');
      assert.match(walletText('en', 'txDescription', { length: 6 }), /^Enter the 6-digit transaction code/);
    });

    it('error descriptions stay within the characters RFC 6749 allows', () => {
      const e = new WalletError('invalid_proof', 'bad "quote" \\ and “unicode”');
      assert.match(e.message, /^[\x20-\x21\x23-\x5B\x5D-\x7E]*$/);
      assert.equal(e.status, 400);
      assert.equal(new WalletError('invalid_token', 'x').status, 401);
    });
  });
});
