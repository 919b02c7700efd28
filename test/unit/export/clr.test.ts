import assert from 'node:assert/strict';
import { buildClr, CLR_CONTEXT_URL, clrWriter } from '../../../src/export/clr';
import { groupByLearner } from '../../../src/export/group-by-learner';
import type { ExportRecord } from '../../../src/export/source';
import { issuerIdentity } from '../../../src/issuance/issuer-identity';
import { INSTITUTION } from '../../support/award';

const rec = (userId: string, n: number, achievementId = `https://tool.example/achievements/a${n}`): ExportRecord => ({
  id: `id-${userId}-${n}`,
  platformId: 'p',
  courseId: '2',
  userId,
  badgeId: `b${n}`,
  badgeVersion: 1,
  status: 'active',
  statusReason: null,
  achievementName: `Badge ${n}`,
  issuedAt: new Date('2026-11-20T10:00:00Z'),
  json: {
    id: `https://tool.example/credentials/${userId}-${n}`,
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: [{ type: 'IdentityObject', identityHash: `sha256$${userId}`, identityType: 'identifier', hashed: true, salt: 's' }],
      achievement: { id: achievementId, type: ['Achievement'], name: `Badge ${n}` },
    },
  },
});

async function* from<T>(items: T[]) {
  yield* items;
}

const options = {
  identity: issuerIdentity('https://tool.example', 'a'.repeat(24)),
  institution: INSTITUTION,
  partial: false,
  proof: 'none' as const,
  now: () => Date.parse('2026-11-28T12:00:00.123Z'),
};

describe('CLR export', () => {
  it('groups consecutive records by learner', async () => {
    const groups = [];
    for await (const g of groupByLearner(from([rec('1', 1), rec('1', 2), rec('2', 1), rec('3', 1), rec('3', 2), rec('3', 3)]))) groups.push(g);
    assert.deepEqual(
      groups.map((g) => [g.userId, g.records.length]),
      [
        ['1', 2],
        ['2', 1],
        ['3', 3],
      ],
    );
    const none = [];
    for await (const g of groupByLearner(from<ExportRecord>([]))) none.push(g);
    assert.equal(none.length, 0);
  });

  it('a ClrCredential bundles the learner’s credentials and their distinct achievements', () => {
    const clr = buildClr({ userId: '4', records: [rec('4', 1), rec('4', 2), rec('4', 3, 'https://tool.example/achievements/a1')] }, options) as Record<
      string,
      any
    >;
    assert.deepEqual(clr['@context'], ['https://www.w3.org/ns/credentials/v2', CLR_CONTEXT_URL, 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json']);
    assert.deepEqual(clr.type, ['VerifiableCredential', 'ClrCredential']);
    assert.match(clr.id, /^urn:uuid:[0-9a-f-]{36}$/);
    assert.equal(clr.issuer.id, options.identity.did);
    assert.equal(clr.issuer.name, 'University of Latvia');
    assert.equal(clr.validFrom, '2026-11-28T12:00:00Z');
    assert.equal(clr.partial, false);
    assert.deepEqual(clr.credentialSubject.type, ['ClrSubject']);
    assert.equal(clr.credentialSubject.verifiableCredential.length, 3);
    assert.deepEqual(
      clr.credentialSubject.achievement.map((a: { id: string }) => a.id),
      ['https://tool.example/achievements/a1', 'https://tool.example/achievements/a2'],
    );
    assert.equal(clr.credentialSubject.identifier[0].identityHash, 'sha256$4', 'the learner as the credentials identify them');
    assert.equal(clr.proof, undefined, 'unsigned: the CLR context is not available offline (src/export/README.md)');
    assert.ok(!JSON.stringify(clr).includes('"userId"'), 'no bare Moodle id');
  });

  it('partial when the export was narrowed; without an institution profile the issuer name comes from the credentials', () => {
    const r = rec('4', 1);
    (r.json as Record<string, any>).issuer = { id: 'did:web:x', name: 'From the credential' };
    const clr = buildClr({ userId: '4', records: [r] }, { ...options, institution: null, partial: true }) as Record<string, any>;
    assert.equal(clr.partial, true);
    assert.equal(clr.issuer.name, 'From the credential');
  });

  it('the writer gives one JSON line per learner', async () => {
    let text = '';
    for await (const chunk of clrWriter(options)(from([rec('1', 1), rec('1', 2), rec('2', 1)]))) text += chunk;
    const lines = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines.length, 2);
    assert.deepEqual(
      lines.map((l) => l.credentialSubject.verifiableCredential.length),
      [2, 1],
    );
  });

  it('vc-jwt without issuer keys is a programming error', () => {
    assert.throws(() => clrWriter({ ...options, proof: 'vc-jwt' }), /issuerKeys/);
  });
});
