import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { CompactSign, decodeJwt, exportJWK, generateKeyPair, type JWK } from 'jose';
import request from 'supertest';
import { checkStatusIndependently, ob3ClaimProblems, verifyDataIntegrityIndependently, verifyJwtIndependently } from '../../support/independent-verifier';
import { launchAs } from '../../support/launch';
import { claimAsStudent, useWalletTool } from './harness';

type Json = Record<string, any>;

/**
 * A third-party OpenID4VCI 1.0 wallet library (@openid4vc/openid4vci, the OpenWallet Foundation's oid4vc-ts) against
 * the tool, offline over http: the wallet gets a copy bound to its did:jwk, which verifies with jose and the Digital
 * Bazaar stack; proofs by another key, reused or expired nonces are refused; revoking the award revokes the copy.
 */
describe('wallet: a copy bound to the holder, claimed with the @openid4vc/openid4vci client library', function () {
  this.timeout(120_000);
  // nonces live 60 s here, access tokens 300 s: a nonce can expire while the token still works
  const ctx = useWalletTool({ timings: { nonceTtlSeconds: 60 } });
  let credentialId: string;
  let studentToken: string;
  let vci: Json;
  let utils: Json;

  before(async () => {
    ({ credentialId, studentToken } = await claimAsStudent(ctx));
    vci = await import('@openid4vc/openid4vci');
    utils = await import('@openid4vc/utils');
    utils.setGlobalConfig({ allowInsecureUrls: true }); // the test tool speaks http on 127.0.0.1
  });

  /** The wallet's key and the client, whose signJwt callback signs with that key (ES256). */
  async function walletOf() {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk: JWK = await exportJWK(publicKey);
    const did = `did:jwk:${Buffer.from(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })).toString('base64url')}`;
    const signWith = async (key: CryptoKey, header: Json, payload: Json) =>
      new CompactSign(Buffer.from(JSON.stringify(payload))).setProtectedHeader(header as never).sign(key);
    const client = new vci.Openid4vciClient({
      callbacks: {
        fetch,
        hash: (data: Uint8Array, alg: string) => createHash(alg.replace('-', '').toLowerCase()).update(data).digest(),
        generateRandom: (n: number) => randomBytes(n),
        clientAuthentication: () => undefined,
        signJwt: async (_signer: Json, { header, payload }: { header: Json; payload: Json }) => ({
          jwt: await signWith(privateKey, header, payload),
          signerJwk: jwk,
        }),
      },
    });
    return { client, jwk, did, privateKey, signWith };
  }

  async function offerLink() {
    const page = await request(ctx.tool.url).get(`/app/student/credentials/${credentialId}/wallet`).query({ s: studentToken });
    assert.equal(page.status, 200, page.text);
    return /id="wallet-link" href="([^"]+)"/.exec(page.text)![1]!.replaceAll('&amp;', '&');
  }

  /** Offer → metadata → token → nonce → proof (did:jwk kid) → credential, all through the library. */
  async function claim(wallet: Awaited<ReturnType<typeof walletOf>>, configurationId: string) {
    const credentialOffer = await wallet.client.resolveCredentialOffer(await offerLink());
    const issuerMetadata = await wallet.client.resolveIssuerMetadata(credentialOffer.credential_issuer);
    const { accessTokenResponse } = await wallet.client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer, issuerMetadata });
    const { c_nonce } = await wallet.client.requestNonce({ issuerMetadata });
    const { jwt } = await wallet.client.createCredentialRequestJwtProof({
      issuerMetadata,
      credentialConfigurationId: configurationId,
      nonce: c_nonce,
      signer: { method: 'did', didUrl: `${wallet.did}#0`, alg: 'ES256' },
    });
    const send = (proof: string) =>
      wallet.client.retrieveCredentials({
        issuerMetadata,
        accessToken: accessTokenResponse.access_token,
        credentialConfigurationId: configurationId,
        proofs: { jwt: [proof] },
      });
    /** The library throws on an error response; its message carries the response body. */
    const refusal = async (proof: string) => {
      const err = await send(proof).then(
        () => assert.fail('the issuer accepted the proof'),
        (e: Error) => e,
      );
      return /"error": "(\w+)"/.exec(err.message)?.[1];
    };
    return { response: await send(jwt), refusal, issuerMetadata, jwt };
  }

  const credentialOf = (response: Json) => response.credentialResponse.credentials[0].credential;

  it('the VC-JWT copy: subject = the wallet’s did:jwk, verified by jose against the issuer’s did:web, award’s status entry', async () => {
    const wallet = await walletOf();
    const { response } = await claim(wallet, 'OpenBadgeCredential_jwt');
    assert.equal(response.ok, true, JSON.stringify(response));
    const token = credentialOf(response) as string;
    const { payload } = await verifyJwtIndependently(token);
    assert.equal(payload.sub, wallet.did);
    assert.equal(payload.credentialSubject.id, wallet.did);
    assert.deepEqual(ob3ClaimProblems(payload), []);
    const award = (await ctx.tool.issuance.credentials.findById(credentialId))!;
    assert.notEqual(payload.id, award.json!.id);
    assert.deepEqual(payload.credentialStatus, award.json!.credentialStatus);
    assert.deepEqual(payload.credentialSubject.achievement, (award.json!.credentialSubject as Json).achievement);
  });

  it('the Data Integrity copy verifies with @digitalbazaar/vc; the same wallet asking again gets the same copy', async () => {
    const wallet = await walletOf();
    const first = credentialOf((await claim(wallet, 'OpenBadgeCredential_ldp')).response);
    assert.equal(first.credentialSubject.id, wallet.did);
    assert.equal((await verifyDataIntegrityIndependently(first, ctx.tool.url)).verified, true);
    const published = await request(ctx.tool.url).get(`${new URL(first.id).pathname}/credential.json`);
    assert.equal(published.status, 200, 'the copy’s id resolves on the tool');
    assert.deepEqual(JSON.parse(published.text), first);
    const again = credentialOf((await claim(wallet, 'OpenBadgeCredential_ldp')).response);
    assert.equal(again.id, first.id);
  });

  it('refused: a proof signed by another key than it names, a reused nonce, an expired nonce', async () => {
    const wallet = await walletOf();
    const { refusal, jwt } = await claim(wallet, 'OpenBadgeCredential_jwt');
    assert.equal(await refusal(jwt), 'invalid_nonce', 'reused');

    const other = await walletOf();
    const { issuerMetadata } = await claim(other, 'OpenBadgeCredential_jwt');
    const { c_nonce: fresh } = await other.client.requestNonce({ issuerMetadata });
    const header = { alg: 'ES256', typ: 'openid4vci-proof+jwt', kid: `${wallet.did}#0` };
    const forged = await other.signWith(other.privateKey, header, {
      aud: issuerMetadata.credentialIssuer.credential_issuer,
      iat: Math.floor(Date.now() / 1000),
      nonce: fresh,
    });
    assert.equal(decodeJwt(forged).nonce, fresh);
    assert.equal(await refusal(forged), 'invalid_proof', 'signed by another key than its kid names');

    const { c_nonce: old } = await wallet.client.requestNonce({ issuerMetadata });
    ctx.clock.offsetMs = 120_000;
    try {
      const late = await wallet.signWith(wallet.privateKey, header, {
        aud: issuerMetadata.credentialIssuer.credential_issuer,
        iat: Math.floor((Date.now() + ctx.clock.offsetMs) / 1000),
        nonce: old,
      });
      assert.equal(await refusal(late), 'invalid_nonce', 'expired');
    } finally {
      ctx.clock.offsetMs = 0;
    }
  });

  it('revoking the award revokes the copy, for the tool and for an independent status check', async () => {
    const wallet = await walletOf();
    const copy = credentialOf((await claim(wallet, 'OpenBadgeCredential_ldp')).response);
    assert.deepEqual(await checkStatusIndependently(copy, ctx.tool.url), [{ purpose: 'revocation', set: false }]);
    const registrar = (await launchAs(ctx.tool, ctx.sim, 'admin')).token;
    const page = await request(ctx.tool.url).get('/app/registrar').query({ s: registrar }).set('Accept', 'text/html');
    assert.match(page.text, /wallet cop(?:y|ies): [1-9]\d* \(revoked with it\)/, 'the registrar sees the award’s wallet copies');
    const audited = await ctx.tool.db.connection.collection('audit_log').find({ action: 'credential.holder_copy', 'subject.id': credentialId }).toArray();
    assert.ok(
      audited.some((a) => a.details.holderDid === wallet.did && a.details.copyId === copy.id.split('/').pop()),
      'the copy is in the audit log',
    );
    await request(ctx.tool.url)
      .post(`/app/registrar/credentials/${credentialId}/status`)
      .type('form')
      .send({ s: registrar, action: 'revoke', reason: 'Test' })
      .expect(200);
    assert.deepEqual(await checkStatusIndependently(copy, ctx.tool.url), [{ purpose: 'revocation', set: true }]);
    const mine = await ctx.tool.issuance.verify(copy);
    assert.equal(mine.checks.find((c) => c.check === 'status')?.ok, false);
  });
});
