import assert from 'node:assert/strict';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import request from 'supertest';
import { CLAIM } from '../../src/lti/claims';
import { initiateLogin, launchAs, postLaunch, type LoginResult } from '../support/launch';
import { PlatformSimulator } from '../support/platform-simulator';
import { startTool, type RunningTool } from '../support/tool';

type Claims = Record<string, unknown>;

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
  });
  after(async () => {
    await tool.stop();
    await sim.stop();
    await other.stop();
  });

  const storedLaunches = () => tool.db.connection.collection('ltijs_idtoken').countDocuments();

  /** Posts a forged launch and checks the refusal leaves nothing behind. */
  async function expectRefused(
    forge: (login: LoginResult) => Promise<{ idToken: string; state?: string; cookie?: string }>,
    status: number,
    code: string,
  ) {
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
    ['bad signature (another key, same kid)', async (l) => {
      const { privateKey } = await generateKeyPair('RS256');
      const idToken = await new SignJWT(valid(l)).setProtectedHeader({ alg: 'RS256', kid: sim.signingKey.kid }).sign(privateKey);
      return { idToken };
    }, 401, 'LTI_SIGNATURE_INVALID'],
    ['unknown kid', async (l) => {
      const { privateKey } = await generateKeyPair('RS256');
      const idToken = await new SignJWT(valid(l)).setProtectedHeader({ alg: 'RS256', kid: 'not-published' }).sign(privateKey);
      return { idToken };
    }, 401, 'LTI_KEY_UNKNOWN'],
    ['alg none', async (l) => ({ idToken: sim.unsigned(valid(l)) }), 401, 'LTI_ALGORITHM_REFUSED'],
    ['HS256 signed with the platform public key', async (l) => ({ idToken: await sim.signHs256WithPublicKey(valid(l)) }), 401, 'LTI_ALGORITHM_REFUSED'],
    ['wrong iss', async (l) => ({ idToken: await signed(valid(l, { iss: 'https://evil.example' })) }), 401, 'LTI_CLAIM_INVALID'],
    ['wrong aud', async (l) => ({ idToken: await signed(valid(l, { aud: 'someone-else' })) }), 401, 'LTI_CLAIM_INVALID'],
    ['several audiences without azp', async (l) => ({ idToken: await signed(valid(l, { aud: [sim.clientId, 'other-tool'] })) }), 401, 'LTI_AZP_MISMATCH'],
    ['several audiences with azp naming another tool', async (l) => ({ idToken: await signed(valid(l, { aud: [sim.clientId, 'other-tool'], azp: 'other-tool' })) }), 401, 'LTI_AZP_MISMATCH'],
    ['unregistered deployment', async (l) => ({ idToken: await signed(valid(l, { [CLAIM.deploymentId]: '99' })) }), 403, 'LTI_DEPLOYMENT_UNKNOWN'],
    ['expired', async (l) => ({ idToken: await signed(valid(l, { iat: nowS() - 200, exp: nowS() - 140 })) }), 401, 'LTI_TOKEN_EXPIRED'],
    ['older than the accepted token age', async (l) => ({ idToken: await signed(valid(l, { iat: nowS() - 100, exp: nowS() + 100 })) }), 401, 'LTI_TOKEN_EXPIRED'],
    ['iat in the future', async (l) => ({ idToken: await signed(valid(l, { iat: nowS() + 120, exp: nowS() + 180 })) }), 401, 'LTI_TOKEN_IAT_INVALID'],
    ['nonce not the one sent with this login', async (l) => ({ idToken: await signed(valid(l, { nonce: 'another-nonce' })) }), 401, 'LTI_NONCE_MISMATCH'],
    ['state not issued by the tool', async (l) => ({ idToken: await signed(valid(l)), state: 'f'.repeat(50) }), 401, 'LTI_STATE_UNKNOWN'],
    ['state missing', async (l) => ({ idToken: await signed(valid(l)), state: '' }), 401, 'LTI_STATE_MISSING'],
    ['state cookie missing (launch not from this browser)', async (l) => ({ idToken: await signed(valid(l)), cookie: '' }), 401, 'LTI_MISSING_VALIDATION_COOKIE'],
    ['wrong message type', async (l) => ({ idToken: await signed(valid(l, { [CLAIM.messageType]: 'LtiSubmissionReviewRequest' })) }), 400, 'LTI_MESSAGE_TYPE_UNSUPPORTED'],
    ['wrong LTI version', async (l) => ({ idToken: await signed(valid(l, { [CLAIM.version]: '1.1' })) }), 400, 'LTI_VERSION_UNSUPPORTED'],
    ['missing sub', async (l) => ({ idToken: await signed({ ...valid(l), sub: undefined }) }), 401, 'LTI_CLAIM_INVALID'],
    ['missing roles', async (l) => ({ idToken: await signed({ ...valid(l), [CLAIM.roles]: undefined }) }), 400, 'LTI_CLAIM_MISSING'],
    ['missing course context', async (l) => ({ idToken: await signed({ ...valid(l), [CLAIM.context]: undefined }) }), 400, 'LTI_CLAIM_MISSING'],
    ['resource link launch without resource_link.id', async (l) => ({ idToken: await signed({ ...valid(l), [CLAIM.resourceLink]: { title: 'x' } }) }), 400, 'LTI_CLAIM_MISSING'],
    ['a launch of platform B replayed against a login of platform A', async (l) => ({ idToken: await other.sign(other.claims('student', l.nonce)) }), 401, 'LTI_KEY_UNKNOWN'],
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

  it('several audiences with azp = this tool are accepted', async () => {
    const login = await initiateLogin(tool, sim);
    const res = await postLaunch(tool, await signed(valid(login, { aud: [sim.clientId, 'other-tool'], azp: sim.clientId })), login.state, login.cookie);
    assert.equal(res.status, 303, res.text);
  });

  it('login initiation from an unregistered platform or deployment is refused before anything is stored', async () => {
    const unknown = await request(tool.url).post('/lti/login').type('form').send({ ...sim.loginForm('4'), iss: 'https://unknown.example' }).set('Accept', 'application/json');
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.code, 'LTI_PLATFORM_UNKNOWN');
    const deployment = await request(tool.url).post('/lti/login').type('form').send(sim.loginForm('4', { lti_deployment_id: '42' })).set('Accept', 'application/json');
    assert.equal(deployment.status, 403);
    assert.equal(deployment.body.error.code, 'LTI_DEPLOYMENT_UNKNOWN');
    const missing = await request(tool.url).post('/lti/login').type('form').send({ iss: sim.issuer }).set('Accept', 'application/json');
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.code, 'LTI_LOGIN_PARAMS_MISSING');
    const foreignTarget = await request(tool.url).post('/lti/login').type('form').send(sim.loginForm('4', { target_link_uri: 'https://evil.example/launch' })).set('Accept', 'application/json');
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
