import assert from 'node:assert/strict';
import request from 'supertest';
import { createCredential, createList } from '@digitalbazaar/vc-bitstring-status-list';
import { assertValidCredential } from '../../src/credentials/schema/validate';
import { seedCredentials } from './export/helpers';
import { checkStatusIndependently, verifyDataIntegrityIndependently, verifyJwtIndependently } from '../support/independent-verifier';
import { launchAs } from '../support/launch';
import { useRegisteredTool } from '../support/registered-tool';

type Json = Record<string, any>;
const bsl = require('@digitalbazaar/vc-bitstring-status-list') as {
  checkStatus(o: Json): Promise<{ verified: boolean; error?: Error; results?: Array<{ status: boolean }> }>;
};

/**
 * What an independent verifier (Digital Bazaar's stack) sees of revocation and suspension, and the evidence for
 * the documented limit: suspension is visible on the tool's own verification page only (src/issuance/STATUS.md).
 */
describe('credential status as independent verifiers see it', function () {
  this.timeout(120_000);
  const ctx = useRegisteredTool();
  let credential: Json;
  let jwt: string;
  let id: string;
  let registrar: string;

  before(async () => {
    const [platform] = await ctx.tool.registry.list();
    const { records } = await seedCredentials(ctx.tool, { id: platform!.id, issuer: platform!.issuer }, [{ courseId: '2', userId: '4', badge: 'writing' }]);
    credential = records[0]!.json as Json;
    jwt = records[0]!.jwt!;
    id = records[0]!.id;
    registrar = (await launchAs(ctx.tool, ctx.sim, 'admin')).token;
  });

  const change = (action: string) =>
    request(ctx.tool.url)
      .post(`/app/registrar/credentials/${id}/status`)
      .type('form')
      .send({ s: registrar, action, reason: 'Checking the record' })
      .expect(200);
  const toolSays = async () => {
    const res = await request(ctx.tool.url).post('/api/verify').send(JSON.stringify(credential)).set('Content-Type', 'application/json');
    return res.body.checks.find((c: Json) => c.check === 'status') as { ok: boolean; message: string };
  };

  it('an active credential: proof and status pass with @digitalbazaar/vc and checkStatus; the JWT with jose', async () => {
    assert.equal((await verifyDataIntegrityIndependently(credential, ctx.tool.url)).verified, true);
    assert.deepEqual(await checkStatusIndependently(credential, ctx.tool.url), [{ purpose: 'revocation', set: false }]);
    const { payload } = await verifyJwtIndependently(jwt);
    assert.deepEqual(payload.credentialStatus, credential.credentialStatus);
  });

  it('suspended: the tool reports it; independent verifiers read the revocation entry, unset (the documented limit); reinstated: valid again', async () => {
    await change('suspend');
    const suspended = await toolSays();
    assert.equal(suspended.ok, false);
    assert.match(suspended.message, /suspended/);
    assert.deepEqual(await checkStatusIndependently(credential, ctx.tool.url), [{ purpose: 'revocation', set: false }]);
    const page = await request(ctx.tool.url).get('/app/registrar').query({ s: registrar }).set('Accept', 'text/html');
    assert.match(page.text, /shows as suspended only on this tool’s own verification page/);
    const lp = 'https://purl.imsglobal.org/spec/lti/claim/launch_presentation';
    const lvToken = (await launchAs(ctx.tool, ctx.sim, 'admin', { [lp]: { locale: 'lv', document_target: 'window' } })).token;
    const lv = await request(ctx.tool.url).get('/app/registrar').query({ s: lvToken }).set('Accept', 'text/html');
    assert.match(lv.text, /redzams tikai šī rīka pārbaudes lapā/);
    await change('reinstate');
    assert.equal((await toolSays()).ok, true);
    assert.deepEqual(await checkStatusIndependently(credential, ctx.tool.url), [{ purpose: 'revocation', set: false }]);
  });

  it('revoked: independent verifiers see it (the revocation bit of the list the credential names)', async () => {
    await change('revoke');
    assert.deepEqual(await checkStatusIndependently(credential, ctx.tool.url), [{ purpose: 'revocation', set: true }]);
    assert.equal((await toolSays()).ok, false);
  });

  describe('evidence that no schema-valid entry carries suspension to these verifiers', () => {
    it('the official OB 3.0 schema refuses an array of status entries (one revocation, one suspension)', () => {
      const { proof: _proof, ...unsigned } = credential;
      assert.doesNotThrow(() => assertValidCredential(unsigned));
      const both = { ...unsigned, credentialStatus: [unsigned.credentialStatus, { ...unsigned.credentialStatus, statusPurpose: 'suspension' }] };
      assert.throws(() => assertValidCredential(both), /credentialStatus/);
    });

    it('checkStatus ignores statusSize: a 2-bit "message" entry is read as the single bit at its index, with no message', async () => {
      // index 3 holds 0x1 ("suspended" in the entry's statusMessage) in bits 6-7; bit 3 belongs to entry 1
      const list = await createList({ length: 16 });
      list.setStatus(7, true);
      const url = 'https://status.example/list/1';
      const listCredential = { ...(await createCredential({ id: url, list, statusPurpose: 'message' })), issuer: 'did:example:issuer' };
      const entry = {
        id: `${url}#3`,
        type: 'BitstringStatusListEntry',
        statusPurpose: 'message',
        statusListIndex: '3',
        statusSize: 2,
        statusMessage: [
          { status: '0x0', message: 'valid' },
          { status: '0x1', message: 'suspended' },
        ],
        statusListCredential: url,
      };
      const documentLoader = async (u: string) => ({ contextUrl: null, documentUrl: u, document: u === url ? listCredential : {} });
      const read = await bsl.checkStatus({
        credential: { '@context': ['https://www.w3.org/ns/credentials/v2'], issuer: 'did:example:issuer', credentialStatus: entry },
        documentLoader,
        verifyBitstringStatusListCredential: false,
      });
      assert.equal(read.verified, true);
      assert.equal(read.results![0]!.status, false, 'the suspended value at entry 3 is not what it reads');
      assert.deepEqual(Object.keys(read.results![0]!).sort(), ['credentialStatus', 'status', 'verified'], 'a boolean, no message');
    });
  });
});
