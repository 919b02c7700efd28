import assert from 'node:assert/strict';
import request from 'supertest';
import { credentialRequest, discover, get, holderKey, keyProof, offerUriOf, PRE_AUTH, tokenRequest, freshNonce, type Discovery } from './client';
import { claimAsStudent, useWalletTool } from './harness';

describe('wallet options: transaction code, proofs not required, authorization_details', () => {
  const ctx = useWalletTool({ txCodeLength: 6, holderProof: 'optional', timings: { maxTxCodeFailures: 3 } });
  let credentialId: string;
  let studentToken: string;
  let meta: Discovery;

  before(async () => {
    ({ credentialId, studentToken } = await claimAsStudent(ctx));
    meta = await discover(`${ctx.tool.url}/wallet`);
  });

  async function newOffer() {
    const page = await request(ctx.tool.url).get(`/app/student/credentials/${credentialId}/wallet`).query({ s: studentToken });
    assert.equal(page.status, 200, page.text);
    const link = /id="wallet-link" href="([^"]+)"/.exec(page.text)![1]!;
    const txCode = /<code>(\d{6})<\/code>/.exec(page.text)?.[1];
    const offer = await get(offerUriOf(link)).set('Accept-Language', 'lv');
    return { page: page.text, offer: offer.body, code: offer.body.grants[PRE_AUTH]['pre-authorized_code'] as string, txCode: txCode! };
  }

  it('the page shows a transaction code; the offer asks for it; the token endpoint checks it', async () => {
    const { page, offer, code, txCode } = await newOffer();
    assert.match(page, /Transaction code/);
    assert.match(txCode, /^\d{6}$/);
    const tx = offer.grants[PRE_AUTH].tx_code;
    assert.equal(tx.input_mode, 'numeric');
    assert.equal(tx.length, 6);
    assert.match(tx.description, /Ievadiet 6 ciparu darījuma kodu/, 'description in the language the offer was fetched with');
    assert.ok(tx.description.length <= 300);

    const missing = await tokenRequest(meta.as.token_endpoint, { grant_type: PRE_AUTH, 'pre-authorized_code': code });
    assert.deepEqual([missing.status, missing.body.error], [400, 'invalid_request']);
    const wrong = await tokenRequest(meta.as.token_endpoint, {
      grant_type: PRE_AUTH,
      'pre-authorized_code': code,
      tx_code: txCode === '000000' ? '111111' : '000000',
    });
    assert.deepEqual([wrong.status, wrong.body.error], [400, 'invalid_grant']);
    const right = await tokenRequest(meta.as.token_endpoint, { grant_type: PRE_AUTH, 'pre-authorized_code': code, tx_code: txCode });
    assert.equal(right.status, 200, right.text);
    const docs = JSON.stringify(await ctx.tool.db.connection.collection('wallet_offers').find({}).toArray());
    assert.ok(!docs.includes(`"${txCode}"`), 'the transaction code is stored as a hash');
  });

  it('too many wrong transaction codes close the offer', async () => {
    const { code, txCode } = await newOffer();
    const wrongCode = txCode === '000000' ? '111111' : '000000';
    for (let i = 0; i < 3; i++) {
      const r = await tokenRequest(meta.as.token_endpoint, { grant_type: PRE_AUTH, 'pre-authorized_code': code, tx_code: wrongCode });
      assert.equal(r.body.error, 'invalid_grant');
    }
    const right = await tokenRequest(meta.as.token_endpoint, { grant_type: PRE_AUTH, 'pre-authorized_code': code, tx_code: txCode });
    assert.deepEqual([right.status, right.body.error], [400, 'invalid_grant']);
  });

  it('holderProof optional: metadata publishes no binding or proof types; a request without proofs gets the credential; a sent proof is still checked', async () => {
    const conf = meta.issuer.credential_configurations_supported.OpenBadgeCredential_jwt;
    assert.equal(conf.cryptographic_binding_methods_supported, undefined);
    assert.equal(conf.proof_types_supported, undefined);
    const { code, txCode } = await newOffer();
    const token = (await tokenRequest(meta.as.token_endpoint, { grant_type: PRE_AUTH, 'pre-authorized_code': code, tx_code: txCode })).body.access_token;
    const res = await credentialRequest(meta.issuer.credential_endpoint, token, { credential_configuration_id: 'OpenBadgeCredential_jwt' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.credentials[0].credential, (await ctx.tool.issuance.credentials.findById(credentialId))!.jwt);
    const key = await holderKey();
    const badProof = await credentialRequest(meta.issuer.credential_endpoint, token, {
      credential_configuration_id: 'OpenBadgeCredential_jwt',
      proofs: { jwt: [await keyProof(key, { aud: 'https://elsewhere.example', nonce: await freshNonce(meta.issuer.nonce_endpoint) })] },
    });
    assert.deepEqual([badProof.status, badProof.body.error], [400, 'invalid_proof']);
  });

  it('authorization_details at the token endpoint: credential identifiers, then credential_identifier requests', async () => {
    assert.deepEqual(meta.as.authorization_details_types_supported, ['openid_credential']);
    const { code, txCode } = await newOffer();
    const details = JSON.stringify([{ type: 'openid_credential', credential_configuration_id: 'OpenBadgeCredential_ldp' }]);
    const tokenRes = await tokenRequest(meta.as.token_endpoint, {
      grant_type: PRE_AUTH,
      'pre-authorized_code': code,
      tx_code: txCode,
      authorization_details: details,
    });
    assert.equal(tokenRes.status, 200, tokenRes.text);
    assert.deepEqual(tokenRes.body.authorization_details, [
      { type: 'openid_credential', credential_configuration_id: 'OpenBadgeCredential_ldp', credential_identifiers: ['OpenBadgeCredential_ldp'] },
    ]);
    const token = tokenRes.body.access_token;
    const byConfig = await credentialRequest(meta.issuer.credential_endpoint, token, { credential_configuration_id: 'OpenBadgeCredential_ldp' });
    assert.deepEqual([byConfig.status, byConfig.body.error], [400, 'invalid_credential_request']);
    const notGranted = await credentialRequest(meta.issuer.credential_endpoint, token, { credential_identifier: 'OpenBadgeCredential_jwt' });
    assert.deepEqual([notGranted.status, notGranted.body.error], [400, 'unknown_credential_identifier']);
    const ok = await credentialRequest(meta.issuer.credential_endpoint, token, { credential_identifier: 'OpenBadgeCredential_ldp' });
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual(ok.body.credentials[0].credential, (await ctx.tool.issuance.credentials.findById(credentialId))!.json);

    const again = await newOffer();
    const bad = await tokenRequest(meta.as.token_endpoint, {
      grant_type: PRE_AUTH,
      'pre-authorized_code': again.code,
      tx_code: again.txCode,
      authorization_details: JSON.stringify([{ type: 'openid_credential', credential_configuration_id: 'UniversityDegree' }]),
    });
    assert.deepEqual([bad.status, bad.body.error], [400, 'invalid_request']);
  });
});
