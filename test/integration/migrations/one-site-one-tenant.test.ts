import assert from 'node:assert/strict';
import { decodeList } from '@digitalbazaar/vc-bitstring-status-list';
import { Types } from 'mongoose';
import request from 'supertest';
import type { IssueRequest } from '../../../src/issuance/context';
import { issueCredential } from '../../../src/issuance/pipeline';
import { changeCredentialStatus } from '../../../src/issuance/revocation';
import { AuditLogRepository } from '../../../src/store/audit-log';
import type { IssuedCredential } from '../../../src/store/issued-credentials';
import { runMigrations } from '../../../src/store/migrations';
import { INSTITUTION, defineBadge, recordEarnedDecision } from '../../support/award';
import { startTool, type RunningTool } from '../../support/tool';

const ISSUER = 'https://moodle.example.lv';
const OTHER_ISSUER = 'https://moodle.other.example';

/**
 * Data in the layout before sites: each registration of a Moodle site was a tenant keyed by the registration's
 * `_id` (its own badges, credentials, issuer DID, keys and status lists), and awards were keyed with the
 * deployment id. Site X was registered twice (A, then B), site Y once (C).
 */
describe('migration: the registrations of one Moodle site become one institution', () => {
  let tool: RunningTool;
  const A = new Types.ObjectId().toHexString();
  const B = new Types.ObjectId().toHexString();
  const C = new Types.ObjectId().toHexString();
  const issued: Record<string, IssuedCredential[]> = { [A]: [], [B]: [], [C]: [] };
  const badgeOf: Record<string, string> = {};
  const col = (name: string) => tool.db.connection.collection(name);
  const requestFor = (platformId: string, userId: string, deploymentId: string): IssueRequest => ({
    platformId,
    platformIssuer: platformId === C ? OTHER_ISSUER : ISSUER,
    deploymentId,
    courseId: '2',
    courseTitle: 'Open Badges Demo Course',
    userId,
    badgeId: badgeOf[platformId]!,
    learner: { name: `Learner ${userId}`, email: `learner${userId}@example.com`, showName: true },
  });
  const deploymentOf = (id: string) => (id === A ? '1' : id === B ? '7' : '3');
  const slotKey = (c: { platformId: string; statusSlot: IssuedCredential['statusSlot'] }) =>
    `${c.statusSlot!.issuerId ?? c.platformId}/${c.statusSlot!.listId}/${c.statusSlot!.index}`;
  const statusBit = async (credential: Record<string, any>) => {
    const list = (await request(tool.url).get(new URL(credential.credentialStatus.statusListCredential).pathname)).body;
    return (await decodeList({ encodedList: list.credentialSubject.encodedList })).getStatus(Number(credential.credentialStatus.statusListIndex));
  };

  before(async () => {
    tool = await startTool();
    const audit = new AuditLogRepository(tool.db.connection);
    const profileAt = { [A]: '2026-01-01', [B]: '2026-06-01', [C]: '2026-03-01' };
    for (const id of [A, B, C]) {
      await tool.issuance.deps.institutions.save(id, { ...INSTITUTION, name: { en: `Profile of ${id}`, lv: `Profils ${id}` } }, 'registrar');
      await col('institution_profiles').updateOne({ platformId: id }, { $set: { updatedAt: new Date(profileAt[id]!) } });
      badgeOf[id] = (await defineBadge(tool, id)).badge.id;
      for (const userId of ['4', '5']) {
        await recordEarnedDecision(tool, {
          platformId: id,
          courseId: '2',
          userId,
          badgeId: badgeOf[id]!,
          badgeVersion: 1,
          learner: { name: `Learner ${userId}`, email: `learner${userId}@example.com` },
        });
        issued[id]!.push(await issueCredential(tool.issuance.deps, requestFor(id, userId, deploymentOf(id))));
      }
    }
    await col('ws_connections').insertOne({ platformId: B, siteUrl: ISSUER, token: 'sealed', checkedAt: new Date('2026-05-01'), siteName: 'X' });
    await col('learner_states').insertOne({ platformId: B, courseId: '2', userId: '4', fingerprint: 'f', readAt: new Date(), evaluated: [] });
    // learner 4 of B was revoked before the migration
    await changeCredentialStatus(tool.issuance, audit, issued[B]![0]!, 'revoked', 'plagiarism', { userId: '2', role: 'registrar' });

    // back to the old layout: no sites, registrations keyed by their own _id, awards keyed with the deployment
    await col('sites').deleteMany({});
    await col('platforms').deleteMany({});
    await col('migrations').deleteMany({});
    const registration = (id: string, issuer: string, clientId: string, createdAt: string) => ({
      _id: new Types.ObjectId(id),
      issuer,
      clientId,
      name: issuer,
      deploymentIds: [deploymentOf(id)],
      authEndpoint: `${issuer}/auth`,
      tokenEndpoint: `${issuer}/token`,
      jwksUrl: `${issuer}/jwks`,
      registeredVia: 'manual',
      createdAt: new Date(createdAt),
    });
    await col('platforms').insertMany([
      registration(A, ISSUER, 'client-a', '2025-09-01'),
      registration(B, ISSUER, 'client-b', '2026-02-01'),
      registration(C, OTHER_ISSUER, 'client-c', '2025-10-01'),
    ]);
    for (const doc of await col('credentials').find({}).toArray()) {
      const oldKey = [doc.platformId, deploymentOf(doc.platformId), doc.userId, doc.badgeId, doc.badgeVersion]
        .map((p) => encodeURIComponent(String(p)))
        .join('|');
      await col('credentials').deleteOne({ _id: doc._id });
      await col('credentials').insertOne({ ...doc, _id: oldKey as never, idempotencyKey: oldKey });
    }
  });
  after(() => tool?.stop());

  it('merges A and B into one site with A’s id, keeps Y apart, and runs again as a no-op', async () => {
    const report = await runMigrations(tool.db.connection);
    assert.deepEqual({ created: report.sitesCreated, merged: report.registrationsMerged }, { created: 2, merged: 1 });
    assert.equal(report.awardsRekeyed, 6);
    const sites = await tool.platforms.listSites();
    assert.deepEqual(
      sites.map((s) => [s.issuer, s.id, s.formerIds]),
      [
        [ISSUER, A, [B]],
        [OTHER_ISSUER, C, []],
      ],
    );
    assert.deepEqual(
      (await tool.platforms.list()).map((r) => [r.clientId, r.id]),
      [
        ['client-a', A],
        ['client-c', C],
        ['client-b', A],
      ],
    );
    const again = await runMigrations(tool.db.connection);
    assert.deepEqual(again, { sitesCreated: 0, registrationsMerged: 0, awardsRekeyed: 0, duplicateAwards: 0 });
  });

  it('loses and duplicates no credential and no status-list index', async () => {
    const all = (await col('credentials').find({}).toArray()) as unknown as IssuedCredential[];
    assert.equal(all.length, 6);
    assert.deepEqual(
      new Set(all.map((c) => c.id)),
      new Set(
        Object.values(issued)
          .flat()
          .map((c) => c.id),
      ),
    );
    assert.deepEqual(all.filter((c) => c.platformId === A).length, 4);
    assert.deepEqual(all.filter((c) => c.platformId === C).length, 2);
    const before = new Set(Object.values(issued).flat().map(slotKey));
    assert.deepEqual(new Set(all.map(slotKey)), before);
    assert.equal(before.size, 6);
    assert.equal(await col('status_list_slots').countDocuments(), 6);
    assert.equal(await col('badges').countDocuments({ platformId: A }), 2);
    assert.equal(await col('decisions').countDocuments({ platformId: A }), 4);
    assert.equal(await col('decisions').countDocuments({ platformId: B }), 0);
  });

  it('the site keeps the newest institution profile and the web-service connection; the sync cache of B is dropped', async () => {
    const profiles = await col('institution_profiles')
      .find({ platformId: { $in: [A, B] } })
      .toArray();
    assert.deepEqual(
      profiles.map((p) => [p.platformId, p.name.en]),
      [[A, `Profile of ${B}`]],
    );
    assert.equal((await col('ws_connections').findOne({ platformId: A }))?.siteName, 'X');
    assert.equal(await col('learner_states').countDocuments({ platformId: B }), 0);
    assert.equal((await col('institution_profiles').findOne({ platformId: C }))?.name.en, `Profile of ${C}`);
  });

  it('credentials issued under B still verify: B’s DID, keys and status lists keep resolving', async () => {
    const credential = issued[B]![1]!.json!;
    assert.match(String((credential.issuer as { id: string }).id), new RegExp(`:issuers:${B}$`));
    const verified = await request(tool.url).post('/api/verify').type('application/json').send(JSON.stringify(credential));
    assert.equal(verified.body.verified, true, JSON.stringify(verified.body.checks));
    const did = await request(tool.url).get(`/issuers/${B}/did.json`);
    assert.equal(did.status, 200);
    assert.equal(did.body.id, String((credential.issuer as { id: string }).id));
    assert.equal(await statusBit(issued[B]![0]!.json!), true, 'revoked before the migration, still revoked');
    assert.equal(await statusBit(credential), false);
  });

  it('revoking a credential of B after the migration sets the bit on B’s list, where the credential points', async () => {
    const record = (await tool.issuance.credentials.findById(issued[B]![1]!.id))!;
    assert.equal(record.platformId, A);
    await changeCredentialStatus(tool.issuance, new AuditLogRepository(tool.db.connection), record, 'revoked', 'error', { userId: '2', role: 'registrar' });
    assert.equal(await statusBit(issued[B]![1]!.json!), true);
    const revocations = (await request(tool.url).get(`/status/${B}/revocations`)).body;
    assert.equal(revocations.revokedCredential.length, 2);
    assert.equal((await request(tool.url).get(`/status/${A}/revocations`)).body.revokedCredential.length, 0);
  });

  it('claiming an award of B again, now through the site, answers the stored credential and takes no new slot', async () => {
    const slots = await col('status_list_slots').countDocuments();
    const again = await issueCredential(tool.issuance.deps, { ...requestFor(B, '5', '1'), platformId: A });
    assert.equal(again.id, issued[B]![1]!.id);
    assert.equal(await col('credentials').countDocuments(), 6);
    assert.equal(await col('status_list_slots').countDocuments(), slots);
  });
});
