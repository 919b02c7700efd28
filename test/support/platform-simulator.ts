/**
 * An in-repo LTI 1.3 platform that behaves like the captured Moodle 4.5.6: its own RSA keys and JWKS,
 * an OIDC auth endpoint that answers with an auto-posting form, id_tokens shaped like Moodle's (built
 * from test/fixtures/moodle), a zero-skew token endpoint, dynamic registration and a deep-linking return.
 */
import { createPublicKey, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';
import teacherFixture from '../fixtures/moodle/id-token-teacher-resource-link.json';
import studentFixture from '../fixtures/moodle/id-token-student-resource-link.json';
import deepLinkingFixture from '../fixtures/moodle/id-token-deep-linking-request.json';
import registrationFixture from '../fixtures/moodle/dynamic-registration.json';

type Claims = Record<string, unknown> & JWTPayload;
export type LaunchKind = 'teacher' | 'student' | 'deepLinking' | 'admin';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

const MOODLE_ISSUER = 'http://127.0.0.1:8080';

async function newKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const kid = randomBytes(10).toString('hex');
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

/** Replaces the captured Moodle's URLs with this simulator's, recursively. */
function rebase<T>(value: T, issuer: string, toolUrl: string): T {
  return JSON.parse(JSON.stringify(value).replaceAll(MOODLE_ISSUER, issuer).replaceAll('http://127.0.0.1:3000/launch', `${toolUrl}/lti/launch`));
}

export class PlatformSimulator {
  /** Mutable: a test switches it to launch through a second registration of the same site. */
  clientId = randomBytes(8).toString('base64url');
  deploymentId = '1';
  keys: SigningKey[] = [];
  /** now in ms; tests move the platform's clock to model skew between Moodle and the tool. */
  now: () => number = Date.now;
  toolUrl = 'http://127.0.0.1:0';
  /** Registration requests received, and deep-linking JWTs posted back. */
  readonly registrations: Array<{ body: Record<string, unknown>; authorization: string | undefined }> = [];
  readonly deepLinkingReturns: string[] = [];
  /** Merged into the openid configuration it serves (a test makes it fail the tool's checks). */
  openidConfigurationOverrides: Record<string, unknown> = {};
  /** When set, the auth endpoint builds this kind of launch for the next login. */
  nextLaunch: { kind: LaunchKind; overrides?: Claims; locale?: string; documentTarget?: string } = { kind: 'student' };

  private server!: http.Server;
  issuer = '';

  static async start(): Promise<PlatformSimulator> {
    const sim = new PlatformSimulator();
    sim.keys.push(await newKey());
    await sim.listen();
    return sim;
  }

  get signingKey(): SigningKey {
    return this.keys[this.keys.length - 1]!;
  }

  /** Key rotation as Moodle would do it: a new key signs, the old one stays published. */
  async rotateKey(): Promise<void> {
    this.keys.push(await newKey());
  }

  get jwksUrl() {
    return `${this.issuer}/mod/lti/certs.php`;
  }
  get authUrl() {
    return `${this.issuer}/mod/lti/auth.php`;
  }
  get tokenUrl() {
    return `${this.issuer}/mod/lti/token.php`;
  }
  get openidConfigurationUrl() {
    return `${this.issuer}/mod/lti/openid-configuration.php`;
  }

  /** What an admin types into the tool's CLI for a manual registration. */
  platformRegistration(deploymentIds = [this.deploymentId]) {
    return {
      issuer: this.issuer,
      clientId: this.clientId,
      name: 'Simulated Moodle',
      deploymentIds,
      authEndpoint: this.authUrl,
      tokenEndpoint: this.tokenUrl,
      jwksUrl: this.jwksUrl,
      registeredVia: 'manual' as const,
    };
  }

  /** The login-initiation form Moodle posts to the tool (fixture oidc-login-initiation.json). */
  loginForm(userId: string, extra: Record<string, string> = {}) {
    return {
      iss: this.issuer,
      target_link_uri: `${this.toolUrl}/lti/launch`,
      login_hint: userId,
      lti_message_hint: JSON.stringify({ cmid: 3, launchid: `ltilaunch1_${randomBytes(4).readUInt32BE()}` }),
      client_id: this.clientId,
      lti_deployment_id: this.deploymentId,
      ...extra,
    };
  }

  /** id_token claims for a launch, shaped exactly like the captured Moodle ones. */
  claims(kind: LaunchKind, nonce: string, overrides: Claims = {}): Claims {
    const fixture = kind === 'student' ? studentFixture : kind === 'deepLinking' ? deepLinkingFixture : teacherFixture;
    const base = rebase(fixture.id_token.payload, this.issuer, this.toolUrl) as Claims;
    const iat = Math.floor(this.now() / 1000);
    const claims: Claims = {
      ...base,
      nonce,
      iat,
      exp: iat + 60,
      aud: this.clientId,
      'https://purl.imsglobal.org/spec/lti/claim/deployment_id': this.deploymentId,
    };
    if (kind === 'deepLinking') {
      claims['https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings'] = {
        ...(claims['https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings'] as object),
        deep_link_return_url: `${this.issuer}/mod/lti/contentitem_return.php?course=2&id=1&sesskey=x`,
      };
    }
    if (kind === 'admin') {
      claims.sub = '2';
      claims['https://purl.imsglobal.org/spec/lti/claim/roles'] = [
        'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator',
        'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor',
        'http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator',
      ];
    }
    return { ...claims, ...overrides };
  }

  async sign(claims: Claims, options: { kid?: string; key?: SigningKey } = {}): Promise<string> {
    const key = options.key ?? this.signingKey;
    return new SignJWT(claims).setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: options.kid ?? key.kid }).sign(key.privateKey);
  }

  /** An HS256 token "signed" with the platform's public key as HMAC secret: the classic key-confusion forgery. */
  async signHs256WithPublicKey(claims: Claims): Promise<string> {
    const pem = createPublicKey({ key: this.signingKey.publicJwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: this.signingKey.kid }).sign(Buffer.from(pem));
  }

  unsigned(claims: Claims): string {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    return `${enc({ alg: 'none', typ: 'JWT', kid: this.signingKey.kid })}.${enc(claims)}.`;
  }

  private app() {
    const app = express();
    app.use(express.urlencoded({ extended: false }));
    app.use(express.json());

    app.get('/mod/lti/certs.php', (_req, res) => {
      res.json({ keys: this.keys.map((k) => k.publicJwk) });
    });

    // OIDC authorisation endpoint (Moodle mod/lti/auth.php): answers with a form that posts to redirect_uri.
    app.get('/mod/lti/auth.php', async (req, res) => {
      const q = req.query as Record<string, string>;
      const problems = [
        q.scope !== 'openid' && 'scope',
        q.response_type !== 'id_token' && 'response_type',
        q.response_mode !== 'form_post' && 'response_mode',
        q.client_id !== this.clientId && 'client_id',
        q.redirect_uri !== `${this.toolUrl}/lti/launch` && 'redirect_uri',
        !q.nonce && 'nonce',
        !q.state && 'state',
        !q.login_hint && 'login_hint',
      ].filter(Boolean);
      if (problems.length) return res.status(400).send(`invalid request: ${problems.join(', ')}`);
      const { kind, overrides = {}, locale, documentTarget } = this.nextLaunch;
      const claims = this.claims(kind, q.nonce!, { sub: q.login_hint, ...overrides });
      const lp = 'https://purl.imsglobal.org/spec/lti/claim/launch_presentation';
      if (locale || documentTarget)
        claims[lp] = { ...(claims[lp] as object), ...(locale ? { locale } : {}), ...(documentTarget ? { document_target: documentTarget } : {}) };
      const idToken = await this.sign(claims);
      res.type('html').send(`<!doctype html><html><body><form id="f" method="post" action="${q.redirect_uri}">
<input type="hidden" name="id_token" value="${idToken}"><input type="hidden" name="state" value="${q.state}">
<noscript><button type="submit">Continue</button></noscript></form><script>document.getElementById('f').submit()</script></body></html>`);
    });

    // Token endpoint with Moodle's behaviour: form body only, text/html answer, zero clock skew.
    app.post('/mod/lti/token.php', async (req, res) => {
      res.type('html');
      if (!req.is('application/x-www-form-urlencoded')) return res.status(400).send(JSON.stringify({ error: 'invalid_request' }));
      try {
        const jwks = (await (await fetch(`${this.toolUrl}/lti/jwks`)).json()) as { keys: JWK[] };
        const assertion = String(req.body.client_assertion);
        const { payload } = await jwtVerify(
          assertion,
          async (header) =>
            importJWK(
              jwks.keys.find((k) => k.kid === header.kid)!,
              'RS256',
            ),
          { currentDate: new Date(this.now()) },
        );
        if (payload.iat! > Math.floor(this.now() / 1000))
          return res.status(400).send(JSON.stringify({ error: `Cannot handle token with iat prior to ${new Date(payload.iat! * 1000).toISOString()}` }));
        res.send(JSON.stringify({ access_token: randomBytes(16).toString('hex'), token_type: 'Bearer', expires_in: 3600, scope: req.body.scope }));
      } catch (err) {
        res.status(400).send(JSON.stringify({ error: 'invalid_client', error_description: (err as Error).message }));
      }
    });

    app.get('/mod/lti/openid-configuration.php', (_req, res) => {
      res.json({ ...rebase(registrationFixture.openid_configuration_response, this.issuer, this.toolUrl), ...this.openidConfigurationOverrides });
    });

    app.post('/mod/lti/openid-registration.php', (req, res) => {
      this.registrations.push({ body: req.body, authorization: req.headers.authorization });
      if (!req.headers.authorization?.startsWith('Bearer ')) return res.status(401).send('no token');
      const answer = rebase(registrationFixture.registration_response, this.issuer, this.toolUrl) as Record<string, any>;
      answer.client_id = this.clientId;
      answer['https://purl.imsglobal.org/spec/lti-tool-configuration'].deployment_id = this.deploymentId;
      res.json(answer);
    });

    app.post('/mod/lti/contentitem_return.php', (req, res) => {
      this.deepLinkingReturns.push(String(req.body.JWT));
      res.type('html').send('<p>Moodle received the content item.</p>');
    });

    // Browser tests (test/e2e): a Moodle-like course page that shows the tool in an iframe ("Embed") or
    // opens it in a new window, and the launch.php page that auto-posts the login initiation to the tool.
    const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    const loginFields = (userId: string) =>
      Object.entries(this.loginForm(userId))
        .map(([name, value]) => `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`)
        .join('\n');

    // ?user=<id>&container=embed|window[&probe=<url>]: probe adds a second iframe (a cookie probe of the test)
    app.get('/course/view.php', (req, res) => {
      const q = req.query as Record<string, string | undefined>;
      const userId = q.user ?? '4';
      const probe = q.probe ? `\n<iframe id="probe" title="probe" src="${esc(q.probe)}" width="400" height="60"></iframe>` : '';
      const launch =
        q.container === 'window'
          ? `<form id="launch" method="post" action="${esc(`${this.toolUrl}/lti/login`)}" target="_blank">
${loginFields(userId)}
<button type="submit">Badge tool</button></form>`
          : `<iframe id="contentframe" title="Badge tool" src="/mod/lti/launch.php?user=${encodeURIComponent(userId)}" style="width:100%;height:560px;border:1px solid #ccc" allow="microphone; camera; geolocation; midi; encrypted-media; autoplay; clipboard-write"></iframe>`;
      res.type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Course: Open Badges Demo Course</title></head>
<body style="margin:0;font-family:sans-serif"><h1 style="font-size:1rem;margin:.5rem">Open Badges Demo Course</h1>
${launch}${probe}
</body></html>`);
    });

    // Site administration > Manage tools after "Add LTI Advantage": Moodle frames the tool's registration URL with
    // its openid configuration and a registration token, and closes the panel on org.imsglobal.lti.close
    app.get('/mod/lti/toolconfigure.php', (req, res) => {
      const register = new URL(`${this.toolUrl}/lti/register`);
      register.searchParams.set('openid_configuration', this.openidConfigurationUrl);
      register.searchParams.set('registration_token', String(req.query.token ?? randomBytes(8).toString('hex')));
      res.type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Manage tools</title></head>
<body><h1>Manage tools</h1><p id="panel-state">open</p>
<iframe id="registration" title="Tool registration" src="${esc(register.href)}" style="width:100%;height:400px"></iframe>
<script>window.ltiMessages = [];
window.addEventListener('message', (e) => {
  window.ltiMessages.push({ origin: e.origin, data: e.data });
  if (e.data && e.data.subject === 'org.imsglobal.lti.close') { document.getElementById('registration').remove(); document.getElementById('panel-state').textContent = 'closed'; }
});</script></body></html>`);
    });

    // mod/lti/launch.php?user=<id>: Moodle's auto-submitting login-initiation form (POST to the tool's login URL)
    app.get('/mod/lti/launch.php', (req, res) => {
      const userId = String(req.query.user ?? '4');
      res.type('html')
        .send(`<!doctype html><html><body><form id="ltiLaunchForm" name="ltiLaunchForm" method="post" action="${esc(`${this.toolUrl}/lti/login`)}" encType="application/x-www-form-urlencoded">
${loginFields(userId)}
<noscript><button type="submit">Continue</button></noscript></form><script>document.ltiLaunchForm.submit()</script></body></html>`);
    });
    return app;
  }

  private async listen() {
    this.server = http.createServer(this.app());
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.issuer = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop() {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}
