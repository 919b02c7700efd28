/**
 * Bodies a stranger may send to POST /api/verify to stall the tool, each with the answer it must get
 * (all 4xx, refused before any JSON-LD work). Shared by test/integration/public-abuse.test.ts and the bench.
 */
const CONTEXTS = ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'];

/** An OB 3.0-looking credential with a forged proof and `results` result entries. */
function forged(results: number, extra: Record<string, unknown> = {}) {
  return {
    '@context': CONTEXTS,
    id: 'urn:uuid:8d4f1b3a-0000-4000-8000-000000000001',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: 'did:web:badges.example.edu:issuers:1', type: ['Profile'], name: 'Example' },
    validFrom: '2026-01-01T00:00:00Z',
    credentialSubject: {
      type: ['AchievementSubject'],
      achievement: { id: 'urn:uuid:1', type: ['Achievement'], name: 'A', criteria: { narrative: 'n' }, description: 'd' },
      result: Array.from({ length: results }, (_, i) => ({ type: ['Result'], resultDescription: `urn:uuid:r${i}`, value: String(i) })),
    },
    proof: [
      {
        type: 'DataIntegrityProof',
        cryptosuite: 'eddsa-rdfc-2022',
        proofPurpose: 'assertionMethod',
        verificationMethod: 'did:web:badges.example.edu:issuers:1#key-1',
        created: '2026-01-01T00:00:00Z',
        proofValue: 'z3FXQ',
      },
    ],
    ...extra,
  };
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

export interface HostileBody {
  name: string;
  body: Buffer;
  status: number;
  code: string;
}

export function hostileBodies(): HostileBody[] {
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  const deepObject = { ...forged(1), evidence: JSON.parse('{"a":'.repeat(200) + '1' + '}'.repeat(200)) };
  const bodies: Array<[string, string | Buffer, number, string]> = [
    ['1.25 MB, 20,000 results', JSON.stringify(forged(20_000)), 413, 'VERIFY_INPUT_TOO_LARGE'],
    ['0.9 MB, 12,000 results', JSON.stringify(forged(12_000)), 400, 'VERIFY_INPUT_TOO_COMPLEX'],
    ['100,000-deep array', deep, 400, 'VERIFY_INPUT_TOO_COMPLEX'],
    ['200-deep evidence', JSON.stringify(deepObject), 400, 'VERIFY_INPUT_TOO_COMPLEX'],
    ['unknown @context', JSON.stringify(forged(1, { '@context': [...CONTEXTS, 'https://attacker.example/ctx.json'] })), 400, 'VERIFY_CONTEXT_REFUSED'],
    ['inline @context', JSON.stringify(forged(1, { '@context': [...CONTEXTS, { x: 'https://attacker.example/x' }] })), 400, 'VERIFY_CONTEXT_REFUSED'],
    ['40 @context entries', JSON.stringify(forged(1, { '@context': Array.from({ length: 40 }, () => CONTEXTS[0]) })), 400, 'VERIFY_CONTEXT_REFUSED'],
    ['malformed JSON', '{"@context": ["https://www.w3.org/ns/credentials/v2", ', 400, 'VERIFY_JSON_MALFORMED'],
    [
      'JWT with a 5,000-deep payload',
      `${b64({ alg: 'ES256', kid: 'did:web:x#k' })}.${Buffer.from('['.repeat(5000) + ']'.repeat(5000)).toString('base64url')}.c2ln`,
      400,
      'VERIFY_INPUT_TOO_COMPLEX',
    ],
    ['JWT with 8,000 results', `${b64({ alg: 'ES256', kid: 'did:web:x#k' })}.${b64({ vc: forged(8_000) })}.c2ln`, 400, 'VERIFY_INPUT_TOO_COMPLEX'],
  ];
  return bodies.map(([name, body, status, code]) => ({ name, body: Buffer.isBuffer(body) ? body : Buffer.from(body), status, code }));
}
