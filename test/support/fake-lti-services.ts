/**
 * A fake Moodle 4.5 LTI Advantage platform (token endpoint + AGS + NRPS) on 127.0.0.1, for tests.
 *
 * Built from real captures (copied into test/unit/platform-services/fixtures, source:
 * /work/shared/moodle-fixtures/ags-nrps-service-exchanges.json and token-endpoint-clock-skew-and-replay.json).
 * It reproduces the quirks a tool must survive:
 *  - token.php: form body only (JSON → 400 `{"error" : "invalid_request"}`), JSON answers sent as
 *    `text/html`, client assertion checked like php-jwt with leeway 0 (iat in the future → 400
 *    "Cannot handle token with iat prior to …", exp passed → "Expired token"), jti not checked,
 *    granted scopes = requested ∩ permitted, unknown-only scope → 400 invalid_scope;
 *  - AGS line items paged with a malformed Link header (`&amp;`, curly quotes) written as raw UTF-8 bytes;
 *  - AGS results: `limit` → HTML 404 (the HTML body is synthesized: the capture has no such exchange);
 *  - AGS score POST: 200, empty body, Content-Type application/vnd.ims.lis.v1.score+json; scores are
 *    rescaled to the line item maximum;
 *  - NRPS paged with a normal Link header;
 *  - a missing scope on a service call → 401 JSON in Moodle's shape.
 * Plus test hooks: queued canned responses, endpoints that never answer, a request log.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { randomBytes, type KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import { compactVerify, decodeProtectedHeader } from 'jose';
import agsFixture from '../unit/platform-services/fixtures/moodle-ags.json';
import nrpsFixture from '../unit/platform-services/fixtures/moodle-nrps.json';
import tokenFixture from '../unit/platform-services/fixtures/moodle-token-endpoint.json';

export const SCOPES = {
  lineitem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineitemReadonly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  resultReadonly: 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  nrps: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
  toolSettings: 'https://purl.imsglobal.org/spec/lti-ts/scope/toolsetting',
  basicOutcome: 'https://purl.imsglobal.org/spec/lti-bo/scope/basicoutcome',
} as const;

/** The issuer the captures were made against; rewritten to the fake's own base URL. */
const CAPTURED_ISSUER = 'http://127.0.0.1:8080';

export interface FakeMoodleOptions {
  clientId?: string;
  kid: string;
  /** The tool's public key (what Moodle fetches from the tool's JWKS). */
  publicKey: KeyObject;
  /** Moodle's clock, epoch ms. Default Date.now. */
  now?: () => number;
  /** Scopes the tool registration allows. Default: everything "grade sync and column management" + NRPS grants. */
  permittedScopes?: string[];
  tokenLifetimeSeconds?: number;
}

export interface RecordedRequest {
  method: string;
  /** Path + query as received. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RecordedAssertion {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** Seconds on Moodle's clock when it was received. */
  receivedAt: number;
}

export interface CannedResponse {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

export interface FakeLineItem {
  id: string;
  label: string;
  scoreMaximum: number;
  resourceId?: string;
  tag?: string;
  resourceLinkId?: string;
  ltiLinkId?: string;
  [key: string]: unknown;
}

export interface FakeMoodle {
  baseUrl: string;
  tokenEndpoint: string;
  /** `…/mod/lti/services.php/2/lineitems?type_id=1` (the AGS claim's `lineitems`). */
  lineItemsUrl: string;
  /** `…/mod/lti/services.php/CourseSection/2/bindings/1/memberships`. */
  membershipsUrl: string;
  lineItemUrl(itemId: number): string;
  lineItems: Map<number, FakeLineItem>;
  results: Map<number, Record<string, unknown>[]>;
  members: Record<string, unknown>[];
  requests: RecordedRequest[];
  assertions: RecordedAssertion[];
  issuedTokens: string[];
  /** The next `count` requests whose path matches get these responses, in order. */
  queue(pathPattern: RegExp, ...responses: CannedResponse[]): void;
  /** Requests whose path matches are accepted and never answered. */
  hang(pathPattern: RegExp): void;
  /** Forget an issued token (as Moodle's cleanup would). */
  revokeTokens(): void;
  addLineItem(item: Omit<FakeLineItem, 'id'>): FakeLineItem;
  close(): Promise<void>;
}

function rewrite<T>(value: T, base: string): T {
  return JSON.parse(JSON.stringify(value).split(CAPTURED_ISSUER).join(base)) as T;
}

/** php-jwt formats the date with DateTime::ISO8601: 2026-11-28T10:13:03+0000. */
function phpIso8601(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}+0000`;
}

const HTML_404 =
  '<!DOCTYPE html>\n<html><head><title>Error</title></head><body><div class="errorbox"><p class="errormessage">' + 'Not Found</p></div></body></html>';

export async function startFakeMoodle(options: FakeMoodleOptions): Promise<FakeMoodle> {
  const clientId = options.clientId ?? tokenFixture.clientId;
  const now = options.now ?? Date.now;
  const permitted = new Set(options.permittedScopes ?? Object.values(SCOPES));
  const lifetime = options.tokenLifetimeSeconds ?? tokenFixture.success.expires_in;
  const tokens = new Map<string, { scopes: Set<string>; expiresAt: number }>();
  const canned: { pattern: RegExp; response: CannedResponse }[] = [];
  const hanging: RegExp[] = [];

  const app = express();
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  const lineItems = new Map<number, FakeLineItem>();
  for (const item of rewrite(agsFixture.listLineItems.response.body, baseUrl) as FakeLineItem[]) {
    lineItems.set(Number(/lineitems\/(\d+)\/lineitem/.exec(item.id)?.[1]), item);
  }
  const results = new Map<number, Record<string, unknown>[]>([[4, rewrite(agsFixture.results.response.body, baseUrl) as Record<string, unknown>[]]]);
  const membersBody = rewrite(nrpsFixture.members.response.body, baseUrl);
  const lineItemUrl = (id: number) => `${baseUrl}/mod/lti/services.php/2/lineitems/${id}/lineitem?type_id=1`;

  const fake: FakeMoodle = {
    baseUrl,
    tokenEndpoint: `${baseUrl}/mod/lti/token.php`,
    lineItemsUrl: `${baseUrl}/mod/lti/services.php/2/lineitems?type_id=1`,
    membershipsUrl: membersBody.id,
    lineItemUrl,
    lineItems,
    results,
    members: membersBody.members as Record<string, unknown>[],
    requests: [],
    assertions: [],
    issuedTokens: [],
    queue(pattern, ...responses) {
      for (const response of responses) canned.push({ pattern, response });
    },
    hang(pattern) {
      hanging.push(pattern);
    },
    revokeTokens() {
      tokens.clear();
    },
    addLineItem(item) {
      const id = Math.max(0, ...lineItems.keys()) + 1;
      const created = { ...item, id: lineItemUrl(id) } as FakeLineItem;
      lineItems.set(id, created);
      return created;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };

  // Raw bodies everywhere: the fake decides itself what a body means, like PHP reading php://input.
  app.use(express.raw({ type: () => true, limit: '1mb' }));
  app.use((req, res, next) => {
    const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    fake.requests.push({ method: req.method, url: req.originalUrl, headers: req.headers, body });
    if (hanging.some((p) => p.test(req.path))) return; // never answer
    const i = canned.findIndex((c) => c.pattern.test(req.path));
    if (i >= 0) {
      const { response } = canned.splice(i, 1)[0]!;
      res.status(response.status).set(response.headers ?? {});
      res.end(Buffer.from(response.body ?? ''));
      return;
    }
    next();
  });

  // ---- token endpoint -------------------------------------------------------------------------
  app.post('/mod/lti/token.php', async (req: Request, res: Response) => {
    const reply = (status: number, body: string) => res.status(status).set('Content-Type', tokenFixture.responseContentType).end(Buffer.from(body));
    const error = (message: string) => reply(400, JSON.stringify({ error: message }));

    const contentType = req.headers['content-type'] ?? '';
    if (!contentType.startsWith('application/x-www-form-urlencoded')) {
      return reply(tokenFixture.jsonBodyRejected.status, tokenFixture.jsonBodyRejected.rawBody);
    }
    const form = new URLSearchParams((req.body as Buffer).toString('utf8'));
    const assertion = form.get('client_assertion');
    const scope = form.get('scope');
    if (
      form.get('grant_type') !== 'client_credentials' ||
      form.get('client_assertion_type') !== tokenFixture.requestFormFields.client_assertion_type ||
      !assertion ||
      !scope
    ) {
      return reply(400, tokenFixture.jsonBodyRejected.rawBody);
    }

    let header: Record<string, unknown>;
    let payload: Record<string, unknown>;
    try {
      header = decodeProtectedHeader(assertion) as Record<string, unknown>;
      if (header['kid'] !== options.kid) return error('Unable to find key'); // (message assumed, not captured)
      const verified = await compactVerify(assertion, options.publicKey, { algorithms: ['RS256'] });
      payload = JSON.parse(new TextDecoder().decode(verified.payload)) as Record<string, unknown>;
    } catch {
      return error('Signature verification failed'); // php-jwt's message (not captured)
    }
    const timestamp = Math.floor(now() / 1000);
    fake.assertions.push({ header, payload, receivedAt: timestamp });
    if (payload['iss'] !== clientId || payload['sub'] !== clientId) return reply(400, JSON.stringify({ error: 'invalid_client' }));

    // firebase/php-jwt JWT::decode with $leeway = 0, in its order: nbf, iat, exp.
    const nbf = payload['nbf'];
    if (typeof nbf === 'number' && nbf > timestamp) return error(`Cannot handle token with nbf prior to ${phpIso8601(nbf)}`);
    const iat = payload['iat'];
    if (typeof iat === 'number' && iat > timestamp) return error(`Cannot handle token with iat prior to ${phpIso8601(iat)}`);
    const exp = payload['exp'];
    if (typeof exp === 'number' && timestamp >= exp) return error(tokenFixture.expired.body.error);

    const granted = scope.split(/\s+/).filter((s) => permitted.has(s));
    if (granted.length === 0) return reply(400, JSON.stringify(tokenFixture.invalidScope));
    const accessToken = `fake-at-${randomBytes(18).toString('hex')}`;
    tokens.set(accessToken, { scopes: new Set(granted), expiresAt: timestamp + lifetime });
    fake.issuedTokens.push(accessToken);
    return reply(200, JSON.stringify({ access_token: accessToken, token_type: 'Bearer', expires_in: lifetime, scope: granted.join(' ') }));
  });

  // ---- services ---------------------------------------------------------------------------------
  /** Moodle's 401 for a missing/unknown token or a scope the token lacks. */
  const authorized = (req: Request, res: Response, anyOf: string[]): boolean => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const entry = token ? tokens.get(token) : undefined;
    if (entry && entry.expiresAt > Math.floor(now() / 1000) && anyOf.some((s) => entry.scopes.has(s))) return true;
    res
      .status(401)
      .set('Content-Type', 'application/json; charset=utf-8')
      .end(
        Buffer.from(
          JSON.stringify({
            status: 401,
            reason: 'Unauthorized',
            request: {
              method: req.method,
              url: req.originalUrl,
              accept: req.headers.accept ?? '',
              contentType: req.headers['content-type'] ?? '',
            },
          }),
        ),
      );
    return false;
  };
  const json = (res: Response, status: number, contentType: string, body: unknown) =>
    res
      .status(status)
      .set('Content-Type', `${contentType}; charset=utf-8`)
      .end(Buffer.from(JSON.stringify(body)));
  const bodyJson = (req: Request): Record<string, unknown> => JSON.parse((req.body as Buffer).toString('utf8')) as Record<string, unknown>;

  app.get('/mod/lti/services.php/:course/lineitems', (req, res) => {
    if (!authorized(req, res, [SCOPES.lineitem, SCOPES.lineitemReadonly])) return;
    const q = req.query as Record<string, string | undefined>;
    let items = [...lineItems.values()];
    if (q['resource_link_id'] !== undefined) items = items.filter((i) => i.resourceLinkId === q['resource_link_id']);
    if (q['resource_id'] !== undefined) items = items.filter((i) => i.resourceId === q['resource_id']);
    if (q['tag'] !== undefined) items = items.filter((i) => i.tag === q['tag']);
    const limit = Number(q['limit'] ?? 0);
    const from = Number(q['from'] ?? 0);
    if (limit > 0) {
      const total = items.length;
      items = items.slice(from, from + limit);
      const keep = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
      keep.delete('limit');
      keep.delete('from');
      const base = `${baseUrl}${req.path}?${keep.toString() ? `${keep.toString()}&` : ''}`;
      const page = (f: number) => `${base}limit=${limit}&from=${f}`.replace(/&/g, '&amp;');
      // Same shape as the capture (incl. Moodle's "last" = floor(total/limit)*limit).
      const links = [`<${page(0)}>; rel=“first”`, `<${page(from)}>; rel=“canonical”`];
      if (from + limit < total) links.push(`<${page(from + limit)}>; rel=“next”`);
      links.push(`<${page(Math.floor(total / limit) * limit)}>; rel=“last”`);
      // Node writes header strings latin1 when the body is a Buffer: this puts the raw UTF-8 bytes
      // of the curly quotes (E2 80 9C / E2 80 9D) on the wire, as PHP does.
      res.set('Link', Buffer.from(links.join(', '), 'utf8').toString('latin1'));
    }
    json(res, 200, 'application/vnd.ims.lis.v2.lineitemcontainer+json', items);
  });

  app.post('/mod/lti/services.php/:course/lineitems', (req, res) => {
    if (!authorized(req, res, [SCOPES.lineitem])) return;
    if (!(req.headers['content-type'] ?? '').startsWith('application/vnd.ims.lis.v2.lineitem+json')) {
      return res.status(400).set('Content-Type', 'text/html; charset=utf-8').end(Buffer.from('Bad Request'));
    }
    const created = fake.addLineItem(bodyJson(req) as Omit<FakeLineItem, 'id'>);
    json(res, 201, 'application/vnd.ims.lis.v2.lineitem+json', created);
  });

  app.get('/mod/lti/services.php/:course/lineitems/:id/lineitem', (req, res) => {
    if (!authorized(req, res, [SCOPES.lineitem, SCOPES.lineitemReadonly])) return;
    const item = lineItems.get(Number(req.params['id']));
    if (!item) return res.status(404).set('Content-Type', 'text/html; charset=utf-8').end(Buffer.from(HTML_404));
    json(res, 200, 'application/vnd.ims.lis.v2.lineitem+json', item);
  });

  app.get('/mod/lti/services.php/:course/lineitems/:id/lineitem/results', (req, res) => {
    if (!authorized(req, res, [SCOPES.resultReadonly])) return;
    // Moodle bug the client must avoid: `limit` on results → HTML 404.
    if ('limit' in req.query) return res.status(404).set('Content-Type', 'text/html; charset=utf-8').end(Buffer.from(HTML_404));
    const id = Number(req.params['id']);
    if (!lineItems.has(id)) return res.status(404).set('Content-Type', 'text/html; charset=utf-8').end(Buffer.from(HTML_404));
    const userId = req.query['user_id'];
    const list = (results.get(id) ?? []).filter((r) => userId === undefined || r['userId'] === userId);
    json(res, 200, 'application/vnd.ims.lis.v2.resultcontainer+json', list);
  });

  app.post('/mod/lti/services.php/:course/lineitems/:id/lineitem/scores', (req, res) => {
    if (!authorized(req, res, [SCOPES.score])) return;
    const id = Number(req.params['id']);
    const item = lineItems.get(id);
    if (!item) return res.status(404).set('Content-Type', 'text/html; charset=utf-8').end(Buffer.from(HTML_404));
    if (!(req.headers['content-type'] ?? '').startsWith('application/vnd.ims.lis.v1.score+json')) {
      return res.status(400).set('Content-Type', 'text/html; charset=utf-8').end(Buffer.from('Bad Request'));
    }
    const score = bodyJson(req);
    const list = (results.get(id) ?? []).filter((r) => r['userId'] !== score['userId']);
    if (typeof score['scoreGiven'] === 'number' && typeof score['scoreMaximum'] === 'number') {
      list.push({
        id: `${baseUrl}/mod/lti/services.php/2/lineitems/${id}/lineitem/results?type_id=1&user_id=${String(score['userId'])}`,
        userId: score['userId'],
        // Moodle rescales to the line item maximum (8/10 on a max-100 item → 80).
        resultScore: (score['scoreGiven'] / score['scoreMaximum']) * item.scoreMaximum,
        resultMaximum: item.scoreMaximum,
        ...(typeof score['comment'] === 'string' ? { comment: score['comment'] } : {}),
        scoreOf: item.id,
        timestamp: `${String(score['timestamp']).slice(0, 19)}+00:00`,
      });
    }
    results.set(id, list);
    // 200, EMPTY body, score+json content type (as captured).
    res.status(200).set('Content-Type', agsFixture.postScore.response.headers['content-type']).end(Buffer.alloc(0));
  });

  app.get('/mod/lti/services.php/CourseSection/:course/bindings/:type/memberships', (req, res) => {
    if (!authorized(req, res, [SCOPES.nrps])) return;
    const q = req.query as Record<string, string | undefined>;
    let members = fake.members;
    const role = q['role'];
    if (role !== undefined) {
      const short = role.includes('#') ? role.slice(role.indexOf('#') + 1) : role;
      members = members.filter((m) => Array.isArray(m['roles']) && (m['roles'].includes(short) || m['roles'].includes(role)));
    }
    const limit = Number(q['limit'] ?? 0);
    const from = Number(q['from'] ?? 0);
    if (limit > 0) {
      const total = members.length;
      members = members.slice(from, from + limit);
      if (from + limit < total) {
        const next = new URLSearchParams();
        if (role !== undefined) next.set('role', role);
        next.set('limit', String(limit));
        next.set('from', String(from + limit));
        // Normal RFC 8288 header, like the captured `<…memberships?limit=2&from=2>; rel="next"`.
        res.set('Link', `<${baseUrl}${req.path}?${next.toString()}>; rel="next"`);
      }
    }
    json(res, 200, 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json', { ...membersBody, members });
  });

  return fake;
}
