import assert from 'node:assert/strict';
import { exportJWK, generateKeyPair } from 'jose';
import request from 'supertest';
import { base58btcEncode } from '../../../src/credentials/keys/multibase';
import { qrDataUrl } from '../../../src/wallet/qr';
import { launchAs } from '../../support/launch';
import { credentialRequest, discover, freshNonce, get, holderKey, keyProof, offerUriOf, PRE_AUTH, tokenRequest, type Discovery } from './client';
import { ob3ClaimProblems, verifyDataIntegrityIndependently, verifyJwtIndependently } from '../../support/independent-verifier';
import { claimAsStudent, useWalletTool } from './harness';

const LP = 'https://purl.imsglobal.org/spec/lti/claim/launch_presentation';

/** The wallet page's same-device link and QR image, as a browser would see them. */
function scrape(html: string) {
  const link = /id="wallet-link" href="([^"]+)"/.exec(html)?.[1];
  const img = /<img src="(data:image\/svg\+xml;base64,[^"]+)" alt="([^"]+)"/.exec(html);
  return { link: link?.replaceAll('&amp;', '&') ?? null, qr: img?.[1] ?? null, alt: img?.[2] ?? null };
}

describe('wallet: OpenID for Verifiable Credential Issuance 1.0, pre-authorized code flow', () => {
  const ctx = useWalletTool();
  let credentialId: string;
  let studentToken: string;
  let meta: Discovery;

  before(async () => {
    ({ credentialId, studentToken } = await claimAsStudent(ctx));
    meta = await discover(`${ctx.tool.url}/wallet`);
  });

  afterEach(() => {
    ctx.clock.offsetMs = 0;
  });

  /** A new offer from the learner's page: its link and the pre-authorized code behind it. */
  async function newOffer(token = studentToken) {
    const page = await request(ctx.tool.url).get(`/app/student/credentials/${credentialId}/wallet`).query({ s: token });
    assert.equal(page.status, 200, page.text);
    const { link } = scrape(page.text);
    const offerUri = offerUriOf(link!);
    const offer = await get(offerUri);
    assert.equal(offer.status, 200, offer.text);
    return { link: link!, offerUri, offer: offer.body, code: offer.body.grants[PRE_AUTH]['pre-authorized_code'] as string };
  }

  async function accessToken() {
    const { code } = await newOffer();
    const res = await tokenRequest(meta.as.token_endpoint, { grant_type: PRE_AUTH, 'pre-authorized_code': code });
    assert.equal(res.status, 200, res.text);
    return res.body.access_token as string;
  }

  async function validProof(key?: Awaited<ReturnType<typeof holderKey>>) {
    const k = key ?? (await holderKey());
    return keyProof(k, { aud: meta.issuer.credential_issuer, nonce: await freshNonce(meta.issuer.nonce_endpoint) });
  }

  it('happy path: page → QR link → offer → discovery → token → key proof → the stored credential, in both forms', async () => {
    // the learner's page: QR (SVG, with alt text) of the same link that the same-device button opens
    const page = await request(ctx.tool.url).get(`/app/student/credentials/${credentialId}/wallet`).query({ s: studentToken });
    assert.equal(page.status, 200);
    assert.match(page.headers['cache-control']!, /no-store/);
    assert.match(page.text, /Add “Academic writing[^”]*” to your digital wallet/);
    assert.match(page.text, /OpenID for Verifiable Credential Issuance/);
    const { link, qr, alt } = scrape(page.text);
    assert.match(link!, /^openid-credential-offer:\/\/\?credential_offer_uri=http%3A%2F%2F127\.0\.0\.1%3A\d+%2Fwallet%2Foffers%2F[\w-]{43}$/);
    assert.equal(qr, await qrDataUrl(link!), 'the QR code encodes exactly the offer link');
    assert.match(Buffer.from(qr!.split(',')[1]!, 'base64').toString(), /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(alt!, /QR code holding the wallet offer/);

    // the offer by reference (§4.1.3)
    const offerRes = await get(offerUriOf(link!));
    assert.equal(offerRes.status, 200);
    assert.match(offerRes.headers['content-type']!, /^application\/json/);
    const offer = offerRes.body;
    assert.equal(offer.credential_issuer, `${ctx.tool.url}/wallet`);
    assert.deepEqual(offer.credential_configuration_ids, ['OpenBadgeCredential_jwt', 'OpenBadgeCredential_ldp']);
    const grant = offer.grants[PRE_AUTH];
    assert.match(grant['pre-authorized_code'], /^[\w-]{43}$/);
    assert.equal(grant.tx_code, undefined);

    // discovery (§12.2.2 path insertion; RFC 8414)
    const { issuer, as } = await discover(offer.credential_issuer);
    assert.equal(issuer.credential_endpoint, `${ctx.tool.url}/wallet/credential`);
    assert.equal(issuer.nonce_endpoint, `${ctx.tool.url}/wallet/nonce`);
    const jwtConf = issuer.credential_configurations_supported.OpenBadgeCredential_jwt;
    const ldpConf = issuer.credential_configurations_supported.OpenBadgeCredential_ldp;
    assert.equal(jwtConf.format, 'jwt_vc_json');
    assert.deepEqual(jwtConf.credential_definition.type, ['VerifiableCredential', 'OpenBadgeCredential']);
    assert.deepEqual(jwtConf.credential_signing_alg_values_supported, ['RS256']);
    assert.equal(ldpConf.format, 'ldp_vc');
    assert.ok(ldpConf.credential_definition['@context'].includes('https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'));
    assert.deepEqual(ldpConf.credential_signing_alg_values_supported, ['eddsa-rdfc-2022']);
    assert.ok(jwtConf.proof_types_supported.jwt.proof_signing_alg_values_supported.includes('ES256'));
    assert.deepEqual(
      jwtConf.credential_metadata.display.map((d: { locale: string }) => d.locale),
      ['en', 'lv'],
    );
    assert.deepEqual(
      issuer.display.map((d: { locale: string; name: string }) => [d.locale, d.name]),
      [
        ['en', 'Open Badges'],
        ['lv', 'Atvērtās nozīmītes'],
      ],
    );
    assert.equal(as.token_endpoint, `${ctx.tool.url}/wallet/token`);
    assert.equal(as['pre-authorized_grant_anonymous_access_supported'], true);
    const appended = await request(ctx.tool.url).get('/wallet/.well-known/openid-credential-issuer');
    assert.deepEqual(JSON.parse(appended.text), issuer, 'the draft-era appended path serves the same metadata');

    // token (§6), anonymous
    const tokenRes = await tokenRequest(as.token_endpoint, { grant_type: PRE_AUTH, 'pre-authorized_code': grant['pre-authorized_code'] });
    assert.equal(tokenRes.status, 200, tokenRes.text);
    assert.match(tokenRes.headers['cache-control']!, /no-store/);
    assert.equal(tokenRes.body.token_type, 'Bearer');
    assert.equal(tokenRes.body.expires_in, 300);
    assert.equal(tokenRes.body.c_nonce, undefined, '1.0: c_nonce comes from the nonce endpoint');

    // credential (§8) with a proof by a fresh holder key, jwk in the header
    const stored = (await ctx.tool.issuance.credentials.findById(credentialId))!;
    const key = await holderKey();
    const asJwt = await credentialRequest(issuer.credential_endpoint, tokenRes.body.access_token, {
      credential_configuration_id: 'OpenBadgeCredential_jwt',
      proofs: { jwt: [await keyProof(key, { aud: issuer.credential_issuer, nonce: await freshNonce(issuer.nonce_endpoint) })] },
    });
    assert.equal(asJwt.status, 200, asJwt.text);
    assert.match(asJwt.headers['cache-control']!, /no-store/);
    assert.equal(asJwt.body.credentials.length, 1);
    const holderDid = `did:jwk:${Buffer.from(JSON.stringify({ crv: key.jwk.crv, kty: key.jwk.kty, x: key.jwk.x, y: key.jwk.y })).toString('base64url')}`;
    const jwtCopy = asJwt.body.credentials[0].credential as string;
    assert.notEqual(jwtCopy, stored.jwt, 'a copy bound to the holder, not the award as issued');
    const jwtVerified = await ctx.tool.issuance.verify(jwtCopy);
    assert.equal(jwtVerified.verified, true, JSON.stringify(jwtVerified.checks));
    const { payload } = await verifyJwtIndependently(jwtCopy);
    assert.equal(payload.sub, holderDid);
    assert.deepEqual(ob3ClaimProblems(payload), []);
    assert.deepEqual(payload.credentialStatus, stored.json!.credentialStatus, 'the award’s status entry');

    const asLdp = await credentialRequest(issuer.credential_endpoint, tokenRes.body.access_token, {
      credential_configuration_id: 'OpenBadgeCredential_ldp',
      proofs: { jwt: [await keyProof(key, { aud: issuer.credential_issuer, nonce: await freshNonce(issuer.nonce_endpoint) })] },
    });
    assert.equal(asLdp.status, 200, asLdp.text);
    const ldpCopy = asLdp.body.credentials[0].credential;
    assert.equal(ldpCopy.credentialSubject.id, holderDid);
    assert.equal(ldpCopy.id, payload.jti, 'one copy per holder key, in both formats');
    assert.notEqual(ldpCopy.id, stored.json!.id);
    const { id: _i, proof: _p, credentialSubject: copySubject, ...copyRest } = ldpCopy;
    const { id: _si, proof: _sp, credentialSubject: storedSubject, ...storedRest } = stored.json as Record<string, any>;
    assert.deepEqual(copyRest, storedRest, 'same issuer, dates, status entry');
    assert.deepEqual({ ...copySubject, id: undefined }, { ...storedSubject, id: undefined }, 'same achievement, results, evidence and identifiers');
    const ldpVerified = await ctx.tool.issuance.verify(ldpCopy);
    assert.equal(ldpVerified.verified, true, JSON.stringify(ldpVerified.checks));
    assert.equal((await verifyDataIntegrityIndependently(ldpCopy, ctx.tool.url)).verified, true);
    const audited = await ctx.tool.db.connection.collection('audit_log').find({ action: 'credential.holder_copy', 'subject.id': credentialId }).toArray();
    assert.equal(audited.length, 1);
    assert.equal(audited[0]!.details.holderDid, holderDid);

    // single use: the code and the offer are spent
    const again = await tokenRequest(as.token_endpoint, { grant_type: PRE_AUTH, 'pre-authorized_code': grant['pre-authorized_code'] });
    assert.equal(again.status, 400);
    assert.equal(again.body.error, 'invalid_grant');
    const spent = await get(offerUriOf(link!));
    assert.equal(spent.status, 410);
    assert.equal(spent.body.error, 'offer_used');

    // only hashes are stored
    const docs = await ctx.tool.db.connection.collection('wallet_offers').find({}).toArray();
    const dump = JSON.stringify(docs);
    const offerId = offerUriOf(link!).split('/').pop()!;
    for (const secret of [offerId, grant['pre-authorized_code'], tokenRes.body.access_token]) assert.ok(!dump.includes(secret), 'no secret in clear');
    const delivered = docs.find((d) => d.deliveries?.length === 2);
    assert.ok(delivered, 'both deliveries recorded with the holder key thumbprint');
    assert.match(delivered.deliveries[0].holderKeyThumbprint, /^[\w-]{43}$/);
  });

  it('the page speaks Latvian after a Latvian launch', async () => {
    const { token } = await launchAs(ctx.tool, ctx.sim, 'student', { [LP]: { locale: 'lv' } });
    const page = await request(ctx.tool.url).get(`/app/student/credentials/${credentialId}/wallet`).query({ s: token });
    assert.equal(page.status, 200);
    assert.match(page.text, /<html lang="lv">/);
    assert.match(page.text, /savam digitālajam makam/);
    assert.match(page.text, /Atvērt maka lietotnē/);
    assert.match(scrape(page.text).alt!, /QR kods ar maka piedāvājumu/);
  });

  it('concurrent token requests with one code: exactly one access token', async () => {
    for (let round = 0; round < 3; round++) {
      const { code } = await newOffer();
      const results = await Promise.all(
        Array.from({ length: 8 }, () => tokenRequest(meta.as.token_endpoint, { grant_type: PRE_AUTH, 'pre-authorized_code': code })),
      );
      assert.equal(results.filter((r) => r.status === 200).length, 1, `round ${round}`);
      for (const r of results.filter((x) => x.status !== 200)) assert.equal(r.body.error, 'invalid_grant');
    }
  });

  it('concurrent credential requests with one c_nonce: exactly one is served', async () => {
    const token = await accessToken();
    const key = await holderKey();
    const nonce = await freshNonce(meta.issuer.nonce_endpoint);
    const proofs = await Promise.all(Array.from({ length: 6 }, () => keyProof(key, { aud: meta.issuer.credential_issuer, nonce })));
    const results = await Promise.all(
      proofs.map((p) =>
        credentialRequest(meta.issuer.credential_endpoint, token, { credential_configuration_id: 'OpenBadgeCredential_jwt', proofs: { jwt: [p] } }),
      ),
    );
    assert.equal(results.filter((r) => r.status === 200).length, 1);
    for (const r of results.filter((x) => x.status !== 200)) assert.equal(r.body.error, 'invalid_nonce');
  });

  it('an expired offer: the offer URI is gone and its code is invalid_grant', async () => {
    const { offerUri, code } = await newOffer();
    ctx.clock.offsetMs = 11 * 60_000;
    const offer = await get(offerUri);
    assert.equal(offer.status, 404);
    assert.equal(offer.body.error, 'offer_not_found');
    const res = await tokenRequest(meta.as.token_endpoint, { grant_type: PRE_AUTH, 'pre-authorized_code': code });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_grant');
  });

  it('token endpoint: unknown code, wrong grant type, missing code, JSON body, unexpected tx_code', async () => {
    const bad = await tokenRequest(meta.as.token_endpoint, { grant_type: PRE_AUTH, 'pre-authorized_code': 'x'.repeat(43) });
    assert.deepEqual([bad.status, bad.body.error], [400, 'invalid_grant']);
    const grant = await tokenRequest(meta.as.token_endpoint, { grant_type: 'authorization_code', code: 'abc' });
    assert.deepEqual([grant.status, grant.body.error], [400, 'unsupported_grant_type']);
    const missing = await tokenRequest(meta.as.token_endpoint, { grant_type: PRE_AUTH });
    assert.deepEqual([missing.status, missing.body.error], [400, 'invalid_request']);
    const json = await request(ctx.tool.url).post('/wallet/token').send({ grant_type: PRE_AUTH, 'pre-authorized_code': 'y' });
    assert.deepEqual([json.status, json.body.error], [400, 'invalid_request']);
    const { code } = await newOffer();
    const tx = await tokenRequest(meta.as.token_endpoint, { grant_type: PRE_AUTH, 'pre-authorized_code': code, tx_code: '123456' });
    assert.deepEqual([tx.status, tx.body.error], [400, 'invalid_request']);
  });

  it('a wrong or reused c_nonce is invalid_nonce', async () => {
    const token = await accessToken();
    const key = await holderKey();
    const made = await credentialRequest(meta.issuer.credential_endpoint, token, {
      credential_configuration_id: 'OpenBadgeCredential_jwt',
      proofs: { jwt: [await keyProof(key, { aud: meta.issuer.credential_issuer, nonce: 'not-a-nonce-of-the-issuer' })] },
    });
    assert.deepEqual([made.status, made.body.error], [400, 'invalid_nonce']);
    const nonce = await freshNonce(meta.issuer.nonce_endpoint);
    const first = await credentialRequest(meta.issuer.credential_endpoint, token, {
      credential_configuration_id: 'OpenBadgeCredential_jwt',
      proofs: { jwt: [await keyProof(key, { aud: meta.issuer.credential_issuer, nonce })] },
    });
    assert.equal(first.status, 200, first.text);
    const replay = await credentialRequest(meta.issuer.credential_endpoint, token, {
      credential_configuration_id: 'OpenBadgeCredential_jwt',
      proofs: { jwt: [await keyProof(key, { aud: meta.issuer.credential_issuer, nonce })] },
    });
    assert.deepEqual([replay.status, replay.body.error], [400, 'invalid_nonce']);
  });

  it('key proofs that are not acceptable are invalid_proof', async () => {
    const token = await accessToken();
    const aud = meta.issuer.credential_issuer;
    const nonce = () => freshNonce(meta.issuer.nonce_endpoint);
    const key = await holderKey();
    const other = await holderKey();
    const privateJwk = await exportJWK((await generateKeyPair('ES256', { extractable: true })).privateKey);
    const cases: Array<[string, () => Promise<unknown>]> = [
      ['wrong aud', async () => ({ proofs: { jwt: [await keyProof(key, { aud: 'https://elsewhere.example/wallet', nonce: await nonce() })] } })],
      ['missing aud', async () => ({ proofs: { jwt: [await keyProof(key, { nonce: await nonce() })] } })],
      ['missing proofs', async () => ({})],
      ['draft-13 proof', async () => ({ proof: { proof_type: 'jwt', jwt: await keyProof(key, { aud, nonce: await nonce() }) } })],
      ['missing nonce claim', async () => ({ proofs: { jwt: [await keyProof(key, { aud })] } })],
      ['typ JWT', async () => ({ proofs: { jwt: [await keyProof(key, { aud, nonce: await nonce() }, { jwk: key.jwk }, 'JWT')] } })],
      [
        'signed by another key than the header names',
        async () => ({ proofs: { jwt: [await keyProof(other, { aud, nonce: await nonce() }, { jwk: key.jwk })] } }),
      ],
      ['private key in the header', async () => ({ proofs: { jwt: [await keyProof(key, { aud, nonce: await nonce() }, { jwk: privateJwk })] } })],
      ['jwk and kid both', async () => ({ proofs: { jwt: [await keyProof(key, { aud, nonce: await nonce() }, { jwk: key.jwk, kid: 'did:example:1' })] } })],
      [
        'kid of an unsupported DID method',
        async () => ({ proofs: { jwt: [await keyProof(key, { aud, nonce: await nonce() }, { kid: 'did:web:wallet.example#k' })] } }),
      ],
      ['iat an hour old', async () => ({ proofs: { jwt: [await keyProof(key, { aud, nonce: await nonce(), iat: Math.floor(Date.now() / 1000) - 3600 })] } })],
      ['unsupported proof type', async () => ({ proofs: { di_vp: [{}] } })],
      ['not a JWT', async () => ({ proofs: { jwt: ['hello'] } })],
    ];
    for (const [name, body] of cases) {
      const res = await credentialRequest(meta.issuer.credential_endpoint, token, {
        credential_configuration_id: 'OpenBadgeCredential_jwt',
        ...((await body()) as object),
      });
      assert.equal(res.status, 400, `${name}: ${res.text}`);
      assert.equal(res.body.error, 'invalid_proof', `${name}: ${res.text}`);
      assert.equal(typeof res.body.error_description, 'string');
    }
    const hinted = await credentialRequest(meta.issuer.credential_endpoint, token, {
      credential_configuration_id: 'OpenBadgeCredential_jwt',
      proof: { proof_type: 'jwt', jwt: 'a.b.c' },
    });
    assert.match(hinted.body.error_description, /proofs/);
  });

  it('holder keys named by a did:key or did:jwk kid are accepted', async () => {
    const token = await accessToken();
    const ed = await generateKeyPair('EdDSA', { extractable: true });
    const edJwk = await exportJWK(ed.publicKey);
    const didKey = `did:key:z${base58btcEncode(Buffer.concat([Buffer.from([0xed, 0x01]), Buffer.from(edJwk.x!, 'base64url')]))}`;
    const byDidKey = await credentialRequest(meta.issuer.credential_endpoint, token, {
      credential_configuration_id: 'OpenBadgeCredential_jwt',
      proofs: {
        jwt: [
          await keyProof(
            { privateKey: ed.privateKey, jwk: edJwk, alg: 'EdDSA' },
            { aud: meta.issuer.credential_issuer, nonce: await freshNonce(meta.issuer.nonce_endpoint) },
            { kid: `${didKey}#${didKey.slice(8)}` },
          ),
        ],
      },
    });
    assert.equal(byDidKey.status, 200, byDidKey.text);
    const es = await holderKey();
    const didJwk = `did:jwk:${Buffer.from(JSON.stringify(es.jwk)).toString('base64url')}`;
    const byDidJwk = await credentialRequest(meta.issuer.credential_endpoint, token, {
      credential_configuration_id: 'OpenBadgeCredential_ldp',
      proofs: {
        jwt: [await keyProof(es, { aud: meta.issuer.credential_issuer, nonce: await freshNonce(meta.issuer.nonce_endpoint) }, { kid: `${didJwk}#0` })],
      },
    });
    assert.equal(byDidJwk.status, 200, byDidJwk.text);
  });

  it('credential endpoint: bad, missing or expired access token is 401 invalid_token', async () => {
    const body = { credential_configuration_id: 'OpenBadgeCredential_jwt', proofs: { jwt: [await validProof()] } };
    const bad = await credentialRequest(meta.issuer.credential_endpoint, 'A'.repeat(43), body);
    assert.deepEqual([bad.status, bad.body.error], [401, 'invalid_token']);
    assert.match(bad.headers['www-authenticate']!, /^Bearer error="invalid_token"/);
    const none = await credentialRequest(meta.issuer.credential_endpoint, null, body);
    assert.deepEqual([none.status, none.body.error], [401, 'invalid_token']);
    const token = await accessToken();
    ctx.clock.offsetMs = 6 * 60_000;
    const expired = await credentialRequest(meta.issuer.credential_endpoint, token, body);
    assert.deepEqual([expired.status, expired.body.error], [401, 'invalid_token']);
  });

  it('credential endpoint: unknown configuration, draft format, malformed JSON, encryption, batch: spec errors, never 500', async () => {
    const token = await accessToken();
    const unknown = await credentialRequest(meta.issuer.credential_endpoint, token, {
      credential_configuration_id: 'UniversityDegree',
      proofs: { jwt: [await validProof()] },
    });
    assert.deepEqual([unknown.status, unknown.body.error], [400, 'unknown_credential_configuration']);
    const draft = await credentialRequest(meta.issuer.credential_endpoint, token, {
      format: 'jwt_vc_json',
      credential_definition: { type: ['VerifiableCredential'] },
    });
    assert.deepEqual([draft.status, draft.body.error], [400, 'invalid_credential_request']);
    const malformed = await credentialRequest(meta.issuer.credential_endpoint, token, '{"credential_configuration_id":');
    assert.deepEqual([malformed.status, malformed.body.error], [400, 'invalid_credential_request']);
    const text = await request(ctx.tool.url).post('/wallet/credential').set('Authorization', `Bearer ${token}`).set('Content-Type', 'text/plain').send('hello');
    assert.deepEqual([text.status, text.body.error], [400, 'invalid_credential_request']);
    const enc = await credentialRequest(meta.issuer.credential_endpoint, token, {
      credential_configuration_id: 'OpenBadgeCredential_jwt',
      credential_response_encryption: { jwk: {}, enc: 'A256GCM' },
    });
    assert.deepEqual([enc.status, enc.body.error], [400, 'invalid_encryption_parameters']);
    const batch = await credentialRequest(meta.issuer.credential_endpoint, token, {
      credential_configuration_id: 'OpenBadgeCredential_jwt',
      proofs: { jwt: [await validProof(), await validProof()] },
    });
    assert.deepEqual([batch.status, batch.body.error], [400, 'invalid_credential_request']);
    const identifier = await credentialRequest(meta.issuer.credential_endpoint, token, {
      credential_identifier: 'OpenBadgeCredential_jwt',
      proofs: { jwt: [await validProof()] },
    });
    assert.deepEqual([identifier.status, identifier.body.error], [400, 'invalid_credential_request']);
  });

  it('CORS: web wallets may call the endpoints', async () => {
    const pre = await request(ctx.tool.url).options('/wallet/credential').set('Origin', 'https://wallet.example').set('Access-Control-Request-Method', 'POST');
    assert.equal(pre.status, 204);
    assert.equal(pre.headers['access-control-allow-origin'], '*');
    assert.match(pre.headers['access-control-allow-headers']!, /Authorization/);
  });

  it('another student cannot open the wallet page of this credential (404); a teacher cannot open student pages (403)', async () => {
    const other = await launchAs(ctx.tool, ctx.sim, 'student', { sub: '5' });
    const res = await request(ctx.tool.url).get(`/app/student/credentials/${credentialId}/wallet`).query({ s: other.token }).set('Accept', 'application/json');
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'CREDENTIAL_NOT_FOUND');
    const teacher = await launchAs(ctx.tool, ctx.sim, 'teacher');
    const t = await request(ctx.tool.url).get(`/app/student/credentials/${credentialId}/wallet`).query({ s: teacher.token }).set('Accept', 'application/json');
    assert.equal(t.status, 403);
    assert.equal(t.body.error.code, 'ROLE_FORBIDDEN');
    const none = await request(ctx.tool.url).get(`/app/student/credentials/${credentialId}/wallet`).set('Accept', 'application/json');
    assert.equal(none.status, 401);
    const unknown = await request(ctx.tool.url).get('/app/student/credentials/not-an-id/wallet').query({ s: studentToken }).set('Accept', 'application/json');
    assert.equal(unknown.status, 404);
  });

  // last: it revokes the suite's credential
  it('a revoked credential: no offer on the page, open offers refused, tokens denied at the credential endpoint', async () => {
    const pending = await newOffer();
    const token = await accessToken();
    const admin = await launchAs(ctx.tool, ctx.sim, 'admin');
    const revoke = await request(ctx.tool.url)
      .post(`/app/registrar/credentials/${credentialId}/status`)
      .type('form')
      .send({ s: admin.token, action: 'revoke', reason: 'Academic misconduct' });
    assert.equal(revoke.status, 200, revoke.text);

    const page = await request(ctx.tool.url).get(`/app/student/credentials/${credentialId}/wallet`).query({ s: studentToken });
    assert.equal(page.status, 409);
    assert.match(page.text, /This credential has been revoked by the issuer, so it cannot be added to a wallet\./);
    assert.equal(scrape(page.text).link, null, 'no offer link');
    assert.equal(scrape(page.text).qr, null, 'no QR code');

    const offer = await get(pending.offerUri);
    assert.equal(offer.status, 403);
    assert.equal(offer.body.error, 'offer_refused');
    assert.match(offer.body.error_description, /revoked/);
    const tokenRes = await tokenRequest(meta.as.token_endpoint, { grant_type: PRE_AUTH, 'pre-authorized_code': pending.code });
    assert.deepEqual([tokenRes.status, tokenRes.body.error], [400, 'invalid_grant']);
    assert.match(tokenRes.body.error_description, /revoked/);
    const denied = await credentialRequest(meta.issuer.credential_endpoint, token, {
      credential_configuration_id: 'OpenBadgeCredential_jwt',
      proofs: { jwt: [await validProof()] },
    });
    assert.deepEqual([denied.status, denied.body.error], [400, 'credential_request_denied']);
    assert.match(denied.body.error_description, /revoked/);
  });
});
