import assert from 'node:assert/strict';
import fc from 'fast-check';
import request from 'supertest';
import { useRegisteredTool } from '../support/registered-tool';

/** JSON of any shape, including deep nesting, plus text that is almost JSON. */
const jsonText = fc.oneof(
  fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)),
  fc.integer({ min: 1, max: 3000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: 1, max: 3000 }).map((n) => '{"a":'.repeat(n) + 'null' + '}'.repeat(n)),
  fc.string({ maxLength: 200 }),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v).slice(0, -1)),
  fc
    .record({ '@context': fc.oneof(fc.string(), fc.array(fc.oneof(fc.string(), fc.object()), { maxLength: 30 })), proof: fc.jsonValue({ maxDepth: 3 }) })
    .map((v) => JSON.stringify(v)),
);

describe('fuzzing the public JSON endpoints: no 500 for anything a stranger sends', () => {
  const ctx = useRegisteredTool({ env: { RATE_LIMIT_VERIFY_PER_MINUTE: '0', RATE_LIMIT_WALLET_PER_MINUTE: '0', RATE_LIMIT_PUBLIC_PER_MINUTE: '0' } });

  const endpoints: Array<{ path: string; type: string }> = [
    { path: '/api/verify', type: 'application/json' },
    { path: '/api/verify', type: 'text/plain' },
    { path: '/wallet/credential', type: 'application/json' },
    { path: '/wallet/token', type: 'application/x-www-form-urlencoded' },
    { path: '/wallet/nonce', type: 'application/json' },
    { path: '/app/student', type: 'application/json' },
    { path: '/lti/launch', type: 'application/x-www-form-urlencoded' },
    { path: '/lti/login', type: 'application/x-www-form-urlencoded' },
  ];

  for (const { path, type } of endpoints) {
    it(`POST ${path} (${type})`, async () => {
      await fc.assert(
        fc.asyncProperty(jsonText, async (body) => {
          const res = await request(ctx.tool.url).post(path).set('Content-Type', type).set('Authorization', 'Bearer x').send(body);
          assert.ok(res.status < 500, `${res.status} for ${JSON.stringify(body.slice(0, 200))}: ${res.text.slice(0, 300)}`);
        }),
        { numRuns: 40 },
      );
    });
  }

  // fixed examples of what the property below once found: an id that cannot be part of a did:web URL
  for (const id of ['x?y', 'x#y', 'a b', '..', 'user:pass@host']) {
    it(`GET /issuers/${JSON.stringify(id)} (and its DID document) is a 404, not a 500`, async () => {
      for (const suffix of ['', '/did.json']) {
        const res = await request(ctx.tool.url).get(`/issuers/${encodeURIComponent(id)}${suffix}`);
        assert.equal(res.status, 404, `${suffix}: ${res.status} ${res.text.slice(0, 200)}`);
      }
    });
  }

  it('GET of public credential, status and issuer paths with arbitrary segments', async () => {
    const segment = fc.oneof(
      fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 24, maxLength: 24 }),
      fc.string({ maxLength: 40 }).map(encodeURIComponent),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/credentials/', '/issuers/', '/status/', '/wallet/offers/'),
        segment,
        fc.constantFrom('', '/credential.json', '/did.json', '/1/revocation', '/badge.png'),
        async (prefix, id, suffix) => {
          const res = await request(ctx.tool.url).get(`${prefix}${id}${suffix}`);
          assert.ok(res.status < 500, `${res.status} for ${prefix}${id}${suffix}`);
        },
      ),
      { numRuns: 60 },
    );
  });
});
