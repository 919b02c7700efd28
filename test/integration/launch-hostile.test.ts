import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import request from 'supertest';
import { CLAIM } from '../../src/lti/claims';
import { initiateLogin, launchAs, postLaunch, type LoginResult } from '../support/launch';
import { PlatformSimulator } from '../support/platform-simulator';
import { startTool, type RunningTool } from '../support/tool';

type Claims = Record<string, unknown>;

/** The client id of a second registration (another Moodle "External tool") of the same site. */
const SECOND_CLIENT_ID = 'second-registration';

describe('hostile launches are refused with a clear 4xx, no session and no stored launch', () => {
  let sim: PlatformSimulator;
  let other: PlatformSimulator;
  let tool: RunningTool;

  before(async () => {
    sim = await PlatformSimulator.start();
    other = await PlatformSimulator.start();
    tool = await startTool();
    sim.toolUrl = other.toolUrl = tool.url;
    await tool.registry.register(sim.platformRegistration());
    await tool.registry.register(other.platformRegistration());
    await tool.registry.register({ ...sim.platformRegistration(), clientId: SECOND_CLIENT_ID });
  });
  after(async () => {
    await tool.stop();
    await sim.stop();
    await other.stop();
  });

  const storedLaunches = () => tool.db.connection.collection('ltijs_idtoken').countDocuments();

  /** Posts a forged launch and checks the refusal leaves nothing behind. */
  async function expectRefused(forge: (login: LoginResult) => Promise<{ idToken: string; state?: string; cookie?: string }>, status: number, code: string) {
    const sessionsBefore = await tool.sessions.count();
    const launchesBefore = await storedLaunches();
    const login = await initiateLogin(tool, sim);
    const forged = await forge(login);
    const res = await postLaunch(tool, forged.idToken, forged.state ?? login.state, forged.cookie ?? login.cookie).set('Accept', 'application/json');
    assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status} ${res.text}`);
    assert.equal(res.body.error.code, code, res.text);
    assert.ok(res.body.error.message.length > 10, 'the error says what went wrong');
    assert.equal(res.headers.location, undefined, 'no redirect into the app');
    assert.equal(await tool.sessions.count(), sessionsBefore, 'no session was created');
    assert.equal(await storedLaunches(), launchesBefore, 'no launch was stored');
  }

  const signed = (claims: Claims) => sim.sign(claims);
  const valid = (login: LoginResult, overrides: Claims = {}) => sim.claims('student', login.nonce, overrides);
  const nowS = () => Math.floor(Date.now() / 1000);

  const cases: Array<[string, (l: LoginResult) => Promise<{ idToken: string; state?: string; cookie?: string }>, number, string]> = [
    [
      'bad signature (another key, same kid)',
      async (l) => {
        const { privateKey } = await generateKeyPair('RS256');
        const idToken = await new SignJWT(valid(l)).setProtectedHeader({ alg: 'RS256', kid: sim.signingKey.kid }).sign(privateKey);
        return { idToken };
      },
      401,
      'LTI_SIGNATURE_INVALID',
    ],
    [
      'unknown kid',
      async (l) => {
        const { privateKey } = await generateKeyPair('RS256');
        const idToken = await new SignJWT(valid(l)).setProtectedHeader({ alg: 'RS256', kid: 'not-published' }).sign(privateKey);
        return { idToken };
      },
      401,
      'LTI_KEY_UNKNOWN',
    ],
    ['alg none', async (l) => ({ idToken: sim.unsigned(valid(l)) }), 401, 'LTI_ALGORITHM_REFUSED'],
    ['HS256 signed with the platform public key', async (l) => ({ idToken: await sim.signHs256WithPublicKey(valid(l)) }), 401, 'LTI_ALGORITHM_REFUSED'],
    ['wrong iss', async (l) => ({ idToken: await signed(valid(l, { iss: 'https://evil.example' })) }), 401, 'LTI_CLAIM_INVALID'],
    ['wrong aud', async (l) => ({ idToken: await signed(valid(l, { aud: 'someone-else' })) }), 401, 'LTI_CLAIM_INVALID'],
    ['several audiences without azp', async (l) => ({ idToken: await signed(valid(l, { aud: [sim.clientId, 'other-tool'] })) }), 401, 'LTI_AZP_MISMATCH'],
    [
      'several audiences with azp naming another tool',
      async (l) => ({ idToken: await signed(valid(l, { aud: [sim.clientId, 'other-tool'], azp: 'other-tool' })) }),
      401,
      'LTI_AZP_MISMATCH',
    ],
    [
      'several audiences: this tool and an untrusted client, azp = this tool',
      async (l) => ({ idToken: await signed(valid(l, { aud: [sim.clientId, 'other-tool'], azp: sim.clientId })) }),
      401,
      'LTI_AUD_UNTRUSTED',
    ],
    [
      'several audiences: this tool and another registration of the same Moodle, azp = this tool',
      async (l) => ({ idToken: await signed(valid(l, { aud: [sim.clientId, SECOND_CLIENT_ID], azp: sim.clientId })) }),
      401,
      'LTI_AUD_UNTRUSTED',
    ],
    [
      'target_link_uri on another host',
      async (l) => ({ idToken: await signed(valid(l, { [CLAIM.targetLinkUri]: 'https://evil.example/lti/launch' })) }),
      401,
      'LTI_TARGET_LINK_INVALID',
    ],
    [
      'target_link_uri that only starts with the tool URL',
      async (l) => ({ idToken: await signed(valid(l, { [CLAIM.targetLinkUri]: `${tool.url}.evil.example/lti/launch` })) }),
      401,
      'LTI_TARGET_LINK_INVALID',
    ],
    [
      'target_link_uri on the tool host but another port',
      async (l) => ({ idToken: await signed(valid(l, { [CLAIM.targetLinkUri]: `http://127.0.0.1:1/lti/launch` })) }),
      401,
      'LTI_TARGET_LINK_INVALID',
    ],
    [
      'deep linking request with target_link_uri on another host',
      async (l) => ({ idToken: await signed(sim.claims('deepLinking', l.nonce, { [CLAIM.targetLinkUri]: 'https://evil.example/lti/launch' })) }),
      401,
      'LTI_TARGET_LINK_INVALID',
    ],
    [
      'resource link launch without target_link_uri',
      async (l) => ({ idToken: await signed({ ...valid(l), [CLAIM.targetLinkUri]: undefined }) }),
      400,
      'LTI_CLAIM_MISSING',
    ],
    ['unregistered deployment', async (l) => ({ idToken: await signed(valid(l, { [CLAIM.deploymentId]: '99' })) }), 403, 'LTI_DEPLOYMENT_UNKNOWN'],
    ['expired', async (l) => ({ idToken: await signed(valid(l, { iat: nowS() - 200, exp: nowS() - 140 })) }), 401, 'LTI_TOKEN_EXPIRED'],
    [
      'older than the accepted token age',
      async (l) => ({ idToken: await signed(valid(l, { iat: nowS() - 100, exp: nowS() + 100 })) }),
      401,
      'LTI_TOKEN_EXPIRED',
    ],
    ['iat in the future', async (l) => ({ idToken: await signed(valid(l, { iat: nowS() + 120, exp: nowS() + 180 })) }), 401, 'LTI_TOKEN_IAT_INVALID'],
    ['nonce not the one sent with this login', async (l) => ({ idToken: await signed(valid(l, { nonce: 'another-nonce' })) }), 401, 'LTI_NONCE_MISMATCH'],
    ['state not issued by the tool', async (l) => ({ idToken: await signed(valid(l)), state: 'f'.repeat(50) }), 401, 'LTI_STATE_UNKNOWN'],
    ['state missing', async (l) => ({ idToken: await signed(valid(l)), state: '' }), 401, 'LTI_STATE_MISSING'],
    [
      'state cookie missing (launch not from this browser)',
      async (l) => ({ idToken: await signed(valid(l)), cookie: '' }),
      401,
      'LTI_MISSING_VALIDATION_COOKIE',
    ],
    [
      'wrong message type',
      async (l) => ({ idToken: await signed(valid(l, { [CLAIM.messageType]: 'LtiSubmissionReviewRequest' })) }),
      400,
      'LTI_MESSAGE_TYPE_UNSUPPORTED',
    ],
    ['wrong LTI version', async (l) => ({ idToken: await signed(valid(l, { [CLAIM.version]: '1.1' })) }), 400, 'LTI_VERSION_UNSUPPORTED'],
    ['missing sub', async (l) => ({ idToken: await signed({ ...valid(l), sub: undefined }) }), 401, 'LTI_CLAIM_INVALID'],
    ['missing roles', async (l) => ({ idToken: await signed({ ...valid(l), [CLAIM.roles]: undefined }) }), 400, 'LTI_CLAIM_MISSING'],
    ['missing course context', async (l) => ({ idToken: await signed({ ...valid(l), [CLAIM.context]: undefined }) }), 400, 'LTI_CLAIM_MISSING'],
    [
      'resource link launch without resource_link.id',
      async (l) => ({ idToken: await signed({ ...valid(l), [CLAIM.resourceLink]: { title: 'x' } }) }),
      400,
      'LTI_CLAIM_MISSING',
    ],
    [
      'a launch of platform B replayed against a login of platform A',
      async (l) => ({ idToken: await other.sign(other.claims('student', l.nonce)) }),
      401,
      'LTI_KEY_UNKNOWN',
    ],
  ];

  for (const [name, forge, status, code] of cases) {
    it(`${name} → ${status} ${code}`, () => expectRefused(forge, status, code));
  }

  it('a malformed id_token → 400 LTI_ID_TOKEN_MALFORMED', () => expectRefused(async () => ({ idToken: 'not-a-jwt' }), 400, 'LTI_ID_TOKEN_MALFORMED'));

  it('the same launch posted twice (replay) is refused the second time', async () => {
    const first = await launchAs(tool, sim, 'student');
    const sessions = await tool.sessions.count();
    const replay = await postLaunch(tool, first.idToken, first.login.state, first.login.cookie).set('Accept', 'application/json');
    assert.equal(replay.status, 401);
    assert.equal(replay.body.error.code, 'LTI_STATE_UNKNOWN');
    assert.equal(await tool.sessions.count(), sessions);
  });

  it('ten concurrent posts of one launch give exactly one session', async () => {
    const login = await initiateLogin(tool, sim);
    const idToken = await sim.sign(sim.claims('student', login.nonce));
    const sessions = await tool.sessions.count();
    const results = await Promise.all(Array.from({ length: 10 }, () => postLaunch(tool, idToken, login.state, login.cookie)));
    assert.equal(results.filter((r) => r.status === 303).length, 1, results.map((r) => r.status).join(','));
    assert.equal(await tool.sessions.count(), sessions + 1);
  });

  it('a replayed id_token with a fresh login state is refused (nonce bound to its own login)', async () => {
    const first = await launchAs(tool, sim, 'student');
    const fresh = await initiateLogin(tool, sim);
    const res = await postLaunch(tool, first.idToken, fresh.state, fresh.cookie).set('Accept', 'application/json');
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, 'LTI_NONCE_MISMATCH');
  });

  it('a launch whose iat is within the configured skew ahead of the tool clock is accepted', async () => {
    const login = await initiateLogin(tool, sim);
    const res = await postLaunch(tool, await signed(valid(login, { iat: nowS() + 3, exp: nowS() + 63 })), login.state, login.cookie);
    assert.equal(res.status, 303, res.text);
  });

  it('aud as a string or as a list naming only this tool (with or without azp) is accepted', async () => {
    for (const claims of [{ aud: sim.clientId }, { aud: [sim.clientId] }, { aud: [sim.clientId], azp: sim.clientId }]) {
      const login = await initiateLogin(tool, sim);
      const res = await postLaunch(tool, await signed(valid(login, claims)), login.state, login.cookie);
      assert.equal(res.status, 303, `${JSON.stringify(claims)}: ${res.text}`);
    }
  });

  it('target_link_uri on the tool with another path or query is accepted (resource link and deep linking)', async () => {
    const targets = [`${tool.url}/lti/launch`, `${tool.url}/lti/launch?badge=7`, `${tool.url}/launch`, `${tool.url}/app/deep-linking#x`];
    for (const kind of ['student', 'deepLinking'] as const) {
      for (const target of targets) {
        const login = await initiateLogin(tool, sim, kind === 'student' ? '4' : '3');
        const res = await postLaunch(tool, await signed(sim.claims(kind, login.nonce, { [CLAIM.targetLinkUri]: target })), login.state, login.cookie);
        assert.equal(res.status, 303, `${kind} ${target}: ${res.text}`);
      }
    }
  });

  it("Moodle's captured launches pass as captured: one aud string, no azp, target_link_uri /launch on the tool's origin", async () => {
    const fixtures = [
      'id-token-student-resource-link',
      'id-token-teacher-resource-link',
      'id-token-deep-linking-request',
      'id-token-student-new-window-dynamic-tool',
    ];
    for (const name of fixtures) {
      const captured = JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'moodle', `${name}.json`), 'utf8')).id_token.payload as Claims;
      assert.equal(typeof captured.aud, 'string', name);
      assert.equal(captured.azp, undefined, name);
      const origin = new URL(String(captured[CLAIM.targetLinkUri])).origin;
      const login = await initiateLogin(tool, sim, String(captured.sub));
      // the capture's Moodle and tool origins are this test's simulator and tool; everything else is as Moodle sent it
      const claims = JSON.parse(JSON.stringify(captured).replaceAll(String(captured.iss), sim.issuer).replaceAll(origin, tool.url)) as Claims;
      const iat = Math.floor(Date.now() / 1000);
      Object.assign(claims, { aud: sim.clientId, nonce: login.nonce, iat, exp: iat + 60, [CLAIM.deploymentId]: sim.deploymentId });
      assert.equal(claims[CLAIM.targetLinkUri], `${tool.url}/launch`, name);
      const res = await postLaunch(tool, await signed(claims), login.state, login.cookie);
      assert.equal(res.status, 303, `${name}: ${res.text}`);
    }
  });

  it('login initiation from an unregistered platform or deployment is refused before anything is stored', async () => {
    const unknown = await request(tool.url)
      .post('/lti/login')
      .type('form')
      .send({ ...sim.loginForm('4'), iss: 'https://unknown.example' })
      .set('Accept', 'application/json');
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.code, 'LTI_PLATFORM_UNKNOWN');
    const deployment = await request(tool.url)
      .post('/lti/login')
      .type('form')
      .send(sim.loginForm('4', { lti_deployment_id: '42' }))
      .set('Accept', 'application/json');
    assert.equal(deployment.status, 403);
    assert.equal(deployment.body.error.code, 'LTI_DEPLOYMENT_UNKNOWN');
    const missing = await request(tool.url).post('/lti/login').type('form').send({ iss: sim.issuer }).set('Accept', 'application/json');
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.code, 'LTI_LOGIN_PARAMS_MISSING');
    const foreignTarget = await request(tool.url)
      .post('/lti/login')
      .type('form')
      .send(sim.loginForm('4', { target_link_uri: 'https://evil.example/launch' }))
      .set('Accept', 'application/json');
    assert.equal(foreignTarget.status, 400);
    assert.equal(foreignTarget.body.error.code, 'LTI_TARGET_LINK_INVALID');
  });

  it('an unknown public JWK is not trusted even when inlined in the header', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const login = await initiateLogin(tool, sim);
    const idToken = await new SignJWT(valid(login))
      .setProtectedHeader({ alg: 'RS256', kid: sim.signingKey.kid, jwk: await exportJWK(publicKey) })
      .sign(privateKey);
    const res = await postLaunch(tool, idToken, login.state, login.cookie).set('Accept', 'application/json');
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, 'LTI_SIGNATURE_INVALID');
  });
});
