import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { unbakePng } from '../../src/credentials/bake/png';
import { unbakeSvg } from '../../src/credentials/bake/svg';
import { decodeList } from '@digitalbazaar/vc-bitstring-status-list';
import { keysCommand, verifyCommand } from '../../src/cli/credentials';
import { issueCredential } from '../../src/issuance/pipeline';
import { recordEarnedDecision, seedEarnedBadge } from '../support/award';
import { launchAs } from '../support/launch';
import { useRegisteredTool } from '../support/registered-tool';

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('issuing Open Badges 3.0 credentials', () => {
  const ctx = useRegisteredTool();
  let badgeId: string;
  let credentialPath: string;

  before(async () => {
    ({
      badge: { id: badgeId },
    } = await seedEarnedBadge(ctx.tool));
  });

  it('a student who earned the badge claims it and lands on its verified credential page', async () => {
    const { token } = await launchAs(ctx.tool, ctx.sim, 'student');
    const page = await request(ctx.tool.url).get('/app/student').query({ s: token });
    assert.match(page.text, /Claim this badge/);
    const claim = await request(ctx.tool.url).post(`/app/student/badges/${badgeId}/claim`).type('form').send({ s: token, showName: '1' });
    assert.equal(claim.status, 303, claim.text);
    credentialPath = new URL(claim.headers.location!, ctx.tool.url).pathname;
    const html = await request(ctx.tool.url).get(credentialPath).set('Accept', 'text/html');
    assert.equal(html.status, 200);
    assert.match(html.text, /Verified: this credential is authentic and valid/);
    assert.match(html.text, /Academic writing/);
    assert.match(html.text, /University of Latvia \(Latvia\)/);
    assert.match(html.text, /Sam Student|Tina Teacher|Student/);
    const lv = await request(ctx.tool.url).get(credentialPath).query({ lang: 'lv' }).set('Accept', 'text/html');
    assert.match(lv.text, /Akadēmiskā rakstīšana/);
    assert.match(lv.text, /Pārbaudīts/);
  });

  it('the claim preview says what the credential will state; the page offers sharing and LinkedIn', async () => {
    const { token } = await launchAs(ctx.tool, ctx.sim, 'student');
    const preview = await request(ctx.tool.url).get(`/app/student/badges/${badgeId}/claim`).query({ s: token });
    assert.equal(preview.status, 200);
    assert.match(preview.text, /Claim “Academic writing”/);
    assert.match(preview.text, /student1@example.com/);
    assert.match(preview.text, /salted hashes/);
    assert.match(preview.text, /Essay 1: 85 \/ 100/);
    const notEarned = await launchAs(ctx.tool, ctx.sim, 'student', { sub: '5' });
    const refused = await request(ctx.tool.url).get(`/app/student/badges/${badgeId}/claim`).query({ s: notEarned.token }).set('Accept', 'application/json');
    assert.equal(refused.status, 409);
    const page = await request(ctx.tool.url).get(credentialPath).set('Accept', 'text/html');
    const linkedIn = /href="(https:\/\/www\.linkedin\.com\/profile\/add\?[^"]+)"/.exec(page.text)![1]!.replaceAll('&amp;', '&');
    const params = new URL(linkedIn).searchParams;
    assert.equal(params.get('name'), 'Academic writing');
    assert.equal(params.get('organizationName'), 'University of Latvia');
    assert.equal(params.get('certUrl'), `${ctx.tool.url}${credentialPath}`);
    assert.match(params.get('issueYear')!, /^20\d\d$/);
    assert.match(page.text, new RegExp(`value="${ctx.tool.url.replace(/\./g, '\\.')}${credentialPath}"`));
  });

  it('serves the credential as JSON by content negotiation, with both proofs available', async () => {
    const res = await request(ctx.tool.url).get(credentialPath).set('Accept', 'application/ld+json');
    assert.equal(res.status, 200);
    const credential = JSON.parse(res.text);
    assert.deepEqual(credential.type, ['VerifiableCredential', 'OpenBadgeCredential']);
    assert.equal(credential.proof[0].cryptosuite, 'eddsa-rdfc-2022');
    assert.equal(credential.credentialStatus.type, 'BitstringStatusListEntry');
    assert.ok(credential.issuer.id.startsWith('did:web:127.0.0.1%3A'));
    const jwt = await request(ctx.tool.url).get(`${credentialPath}/credential.jwt`);
    assert.match(jwt.text, /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  for (const form of ['credential.json', 'credential.jwt', 'badge.png', 'badge.svg', 'badge.png?format=jwt', 'badge.svg?format=jwt']) {
    it(`the ${form} download verifies through the verify API`, async () => {
      const file = await request(ctx.tool.url).get(`${credentialPath}/${form}`).buffer(true).parse(binary);
      assert.equal(file.status, 200);
      const body = file.body as Buffer;
      if (form.startsWith('badge.png')) assert.ok(unbakePng(body).found);
      if (form.startsWith('badge.svg')) assert.ok(unbakeSvg(body.toString('utf8')).found);
      const verified = await request(ctx.tool.url).post('/api/verify').set('Content-Type', 'application/octet-stream').send(body);
      assert.equal(verified.status, 200);
      assert.equal(verified.body.verified, true, JSON.stringify(verified.body.checks));
      assert.ok(verified.body.checks.some((c: { check: string; ok: boolean }) => c.check === 'schema' && c.ok));
    });
  }

  it('a tampered credential fails verification', async () => {
    const res = await request(ctx.tool.url).get(`${credentialPath}/credential.json`);
    const credential = JSON.parse(res.text);
    credential.credentialSubject.achievement.name = 'Something I did not earn';
    const verified = await request(ctx.tool.url).post('/api/verify').send(JSON.stringify(credential)).set('Content-Type', 'application/json');
    assert.equal(verified.body.verified, false);
    const garbage = await request(ctx.tool.url).post('/api/verify').send('hello').set('Content-Type', 'text/plain');
    assert.equal(garbage.status, 200);
    assert.equal(garbage.body.verified, false);
  });

  it('claiming again (double click, two tabs) gives the same single credential; fifty at once give one', async () => {
    const { token } = await launchAs(ctx.tool, ctx.sim, 'student');
    const results = await Promise.all(
      Array.from({ length: 50 }, () => request(ctx.tool.url).post(`/app/student/badges/${badgeId}/claim`).type('form').send({ s: token })),
    );
    for (const r of results) assert.equal(r.status, 303, r.text);
    assert.equal(new Set(results.map((r) => r.headers.location!.split('?')[0])).size, 1);
    assert.equal(await ctx.tool.db.connection.collection('credentials').countDocuments({ badgeId }), 1);
  });

  it('a learner who has not earned it cannot claim it', async () => {
    const { token } = await launchAs(ctx.tool, ctx.sim, 'student', { sub: '5' });
    const res = await request(ctx.tool.url).post(`/app/student/badges/${badgeId}/claim`).type('form').send({ s: token }).set('Accept', 'application/json');
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'BADGE_NOT_EARNED');
  });

  it('publishes the issuer profile, DID document, JWKS and a signed status list', async () => {
    const [platform] = await ctx.tool.registry.list();
    const profile = await request(ctx.tool.url).get(`/issuers/${platform!.id}`);
    assert.equal(profile.status, 200);
    assert.equal(JSON.parse(profile.text).address.addressCountryCode, 'LV');
    const did = JSON.parse((await request(ctx.tool.url).get(`/issuers/${platform!.id}/did.json`)).text);
    assert.equal(did.id, JSON.parse(profile.text).id);
    assert.ok(did.assertionMethod.length >= 2);
    const jwks = JSON.parse((await request(ctx.tool.url).get(`/issuers/${platform!.id}/jwks.json`)).text);
    assert.ok(
      jwks.keys.every((k: Record<string, unknown>) => !('d' in k)),
      'no private parts',
    );
    const credential = JSON.parse((await request(ctx.tool.url).get(`${credentialPath}/credential.json`)).text);
    const listUrl = new URL(credential.credentialStatus.statusListCredential);
    const list = JSON.parse((await request(ctx.tool.url).get(listUrl.pathname)).text);
    assert.deepEqual(list.type, ['VerifiableCredential', 'BitstringStatusListCredential']);
    const verified = await request(ctx.tool.url).post('/api/verify').send(JSON.stringify(list)).set('Content-Type', 'application/json');
    assert.ok(
      verified.body.checks.find((c: { check: string; ok: boolean }) => c.check === 'signature' || c.check === 'proof')?.ok,
      JSON.stringify(verified.body.checks),
    );
  });

  it('a revoked credential fails verification; the status list and the 1EdTech revocation list say so', async () => {
    const id = credentialPath.split('/').pop()!;
    const { token } = await launchAs(ctx.tool, ctx.sim, 'admin');
    const student = await launchAs(ctx.tool, ctx.sim, 'student');
    const denied = await request(ctx.tool.url)
      .post(`/app/registrar/credentials/${id}/status`)
      .type('form')
      .send({ s: student.token, action: 'revoke', reason: 'x' });
    assert.equal(denied.status, 403, 'a student cannot revoke');
    const noReason = await request(ctx.tool.url).post(`/app/registrar/credentials/${id}/status`).type('form').send({ s: token, action: 'revoke' });
    assert.equal(noReason.status, 400);
    const res = await request(ctx.tool.url)
      .post(`/app/registrar/credentials/${id}/status`)
      .type('form')
      .send({ s: token, action: 'revoke', reason: 'Academic misconduct' });
    assert.equal(res.status, 200, res.text);
    const file = await request(ctx.tool.url).get(`${credentialPath}/credential.json`);
    const verified = await request(ctx.tool.url).post('/api/verify').send(file.text).set('Content-Type', 'application/json');
    assert.equal(verified.body.verified, false);
    assert.ok(verified.body.checks.some((c: { check: string; ok: boolean }) => c.check === 'status' && !c.ok));
    const credential = JSON.parse(file.text);
    const list = JSON.parse((await request(ctx.tool.url).get(new URL(credential.credentialStatus.statusListCredential).pathname)).text);
    const bits = await decodeList({ encodedList: list.credentialSubject.encodedList });
    assert.equal(bits.getStatus(Number(credential.credentialStatus.statusListIndex)), true);
    const [platform] = await ctx.tool.registry.list();
    const revocations = JSON.parse((await request(ctx.tool.url).get(`/status/${platform!.id}/revocations`)).text);
    assert.equal(revocations.revokedCredential[0].id, credential.id);
    assert.deepEqual(revocations.revokedCredentials, revocations.revokedCredential);
    const page = await request(ctx.tool.url).get(credentialPath).set('Accept', 'text/html');
    assert.match(page.text, /revoked by the issuer/);
    const audit = await ctx.tool.db.connection.collection('audit_log').findOne({ action: 'credential.revoke' });
    assert.equal(audit?.reason, 'Academic misconduct');
  });

  it('old credentials still verify after the issuer keys are rotated', async () => {
    const [platform] = await ctx.tool.registry.list();
    const id = credentialPath.split('/').pop()!;
    const { token } = await launchAs(ctx.tool, ctx.sim, 'admin');
    await request(ctx.tool.url).post(`/app/registrar/credentials/${id}/status`).type('form').send({ s: token, action: 'reinstate' }).expect(200);
    await ctx.tool.issuance.keys.rotateIssuerKeys(platform!.id);
    for (const form of ['credential.json', 'credential.jwt']) {
      const file = await request(ctx.tool.url).get(`${credentialPath}/${form}`);
      const verified = await request(ctx.tool.url).post('/api/verify').send(file.text).set('Content-Type', 'text/plain');
      assert.equal(verified.body.verified, true, `${form}: ${JSON.stringify(verified.body.checks)}`);
    }
  });
});

describe('CLI: verify FILE|URL and key rotation', () => {
  const ctx = useRegisteredTool();
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
  };

  it('verifies a baked PNG file and a credential URL; a tampered file fails with exit code 1', async () => {
    const { badge } = await seedEarnedBadge(ctx.tool);
    const { token } = await launchAs(ctx.tool, ctx.sim, 'student');
    const claim = await request(ctx.tool.url).post(`/app/student/badges/${badge.id}/claim`).type('form').send({ s: token });
    const url = `${ctx.tool.url}${new URL(claim.headers.location!, ctx.tool.url).pathname}`;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'verify-'));
    const png = await request(url).get('/badge.png').buffer(true).parse(binary);
    await writeFile(path.join(dir, 'badge.png'), png.body as Buffer);

    let r = io();
    assert.equal(await verifyCommand([path.join(dir, 'badge.png')], ctx.tool.issuance, r.io), 0, r.out.join('\n'));
    assert.equal(JSON.parse(r.out[0]!).input, 'png');
    r = io();
    assert.equal(await verifyCommand([url], ctx.tool.issuance, r.io), 0, r.out.join('\n'));

    const json = JSON.parse((await request(url).get('/credential.json')).text);
    json.validFrom = '2020-01-01T00:00:00Z';
    await writeFile(path.join(dir, 'tampered.json'), JSON.stringify(json));
    r = io();
    assert.equal(await verifyCommand([path.join(dir, 'tampered.json')], ctx.tool.issuance, r.io), 1);
    assert.equal(JSON.parse(r.out[0]!).verified, false);
    r = io();
    assert.equal(await verifyCommand([path.join(dir, 'missing.json')], ctx.tool.issuance, r.io), 1, 'a missing file is reported, not thrown');

    const [platform] = await ctx.tool.registry.list();
    r = io();
    assert.equal(await keysCommand(['rotate', '--platform', platform!.id], ctx.tool.issuance, r.io), 0);
    assert.match(r.out[0]!, /Rotated/);
    r = io();
    assert.equal(await verifyCommand([path.join(dir, 'badge.png')], ctx.tool.issuance, r.io), 0, 'still verifies after rotation');
  });
});

describe('teacher: manual award and revocation, both audited', () => {
  const ctx = useRegisteredTool();

  it('a manual award with a reason lets the learner claim; the reason is in the credential evidence and the audit log', async () => {
    const { badge } = await seedEarnedBadge(ctx.tool, '4');
    const teacher = await launchAs(ctx.tool, ctx.sim, 'teacher');
    const noReason = await request(ctx.tool.url)
      .post(`/app/teacher/badges/${badge.id}/award`)
      .type('form')
      .send({ s: teacher.token, userId: '6' })
      .set('Accept', 'application/json');
    assert.equal(noReason.status, 400);
    assert.equal(noReason.body.error.code, 'AWARD_REASON_REQUIRED');
    const student = await launchAs(ctx.tool, ctx.sim, 'student', { sub: '6' });
    const forbidden = await request(ctx.tool.url)
      .post(`/app/teacher/badges/${badge.id}/award`)
      .type('form')
      .send({ s: student.token, userId: '6', reason: 'self' });
    assert.equal(forbidden.status, 403);
    const award = await request(ctx.tool.url)
      .post(`/app/teacher/badges/${badge.id}/award`)
      .type('form')
      .send({ s: teacher.token, userId: '6', reason: 'Completed the work offline after an illness' });
    assert.equal(award.status, 303, award.text);
    const claim = await request(ctx.tool.url).post(`/app/student/badges/${badge.id}/claim`).type('form').send({ s: student.token });
    assert.equal(claim.status, 303, claim.text);
    const json = JSON.parse((await request(ctx.tool.url).get(`${new URL(claim.headers.location!, ctx.tool.url).pathname}/credential.json`)).text);
    assert.match(JSON.stringify(json.evidence), /Completed the work offline after an illness/);
    const audit = await ctx.tool.db.connection.collection('audit_log').findOne({ action: 'badge.award-manual' });
    assert.equal(audit?.reason, 'Completed the work offline after an illness');

    const page = await request(ctx.tool.url).get(`/app/teacher/badges/${badge.id}`).query({ s: teacher.token });
    assert.match(page.text, /Completed the work offline after an illness/);
    const id = json.id.split('/').pop();
    const revoke = await request(ctx.tool.url)
      .post(`/app/teacher/credentials/${id}/revoke`)
      .type('form')
      .send({ s: teacher.token, reason: 'Awarded by mistake' });
    assert.equal(revoke.status, 303);
    const verified = await request(ctx.tool.url).post('/api/verify').send(JSON.stringify(json)).set('Content-Type', 'application/json');
    assert.equal(verified.body.verified, false);
    assert.ok(await ctx.tool.db.connection.collection('audit_log').findOne({ action: 'credential.revoke', reason: 'Awarded by mistake' }));
  });

  it('a teacher cannot revoke a credential of another course', async () => {
    const teacher = await launchAs(ctx.tool, ctx.sim, 'teacher', {
      'https://purl.imsglobal.org/spec/lti/claim/context': { id: '99', title: 'Other course', type: ['CourseSection'] },
    });
    const [credential] = await ctx.tool.issuance.credentials.listForPlatform((await ctx.tool.registry.list())[0]!.id);
    const res = await request(ctx.tool.url)
      .post(`/app/teacher/credentials/${credential!.id}/revoke`)
      .type('form')
      .send({ s: teacher.token, reason: 'x' })
      .set('Accept', 'application/json');
    assert.equal(res.status, 404);
  });
});

describe('registrar: bulk status changes', () => {
  const ctx = useRegisteredTool();

  it('suspends several credentials at once; ids of other institutions are reported, not touched', async () => {
    const { badge } = await seedEarnedBadge(ctx.tool, '4');
    const student = await launchAs(ctx.tool, ctx.sim, 'student');
    const claim = await request(ctx.tool.url).post(`/app/student/badges/${badge.id}/claim`).type('form').send({ s: student.token });
    const id = claim.headers.location!.split('/').pop()!.split('?')[0]!;
    const { token } = await launchAs(ctx.tool, ctx.sim, 'admin');
    const missing = await request(ctx.tool.url)
      .post('/app/registrar/credentials/status')
      .send({ s: token, action: 'suspend', ids: [id] });
    assert.equal(missing.status, 400, 'a reason is required');
    const res = await request(ctx.tool.url)
      .post('/app/registrar/credentials/status')
      .send({ s: token, action: 'suspend', reason: 'Under review', ids: [id, '00000000-0000-4000-8000-000000000000'] });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.changed, [id]);
    assert.deepEqual(res.body.notFound, ['00000000-0000-4000-8000-000000000000']);
    const record = await ctx.tool.issuance.credentials.findById(id);
    assert.equal(record?.status, 'suspended');
    const teacher = await launchAs(ctx.tool, ctx.sim, 'teacher');
    const denied = await request(ctx.tool.url)
      .post('/app/registrar/credentials/status')
      .send({ s: teacher.token, action: 'revoke', reason: 'x', ids: [id] });
    assert.equal(denied.status, 403);
  });

  it('the registrar page selects several credentials and revokes them with one reason', async () => {
    const { platform, badge, version } = await seedEarnedBadge(ctx.tool, '4');
    await recordEarnedDecision(ctx.tool, {
      platformId: platform.id,
      courseId: '2',
      userId: '5',
      badgeId: badge.id,
      badgeVersion: version.version,
      learner: { name: 'Second Student', email: 'student2@example.com' },
    });
    const issued = await Promise.all(
      ['4', '5'].map((userId) =>
        issueCredential(ctx.tool.issuance.deps, {
          platformId: platform.id,
          platformIssuer: ctx.sim.issuer,
          deploymentId: ctx.sim.deploymentId,
          courseId: '2',
          courseTitle: null,
          userId,
          badgeId: badge.id,
          learner: { showName: false },
        }),
      ),
    );
    const ids = issued.map((c) => c.id);
    const { token } = await launchAs(ctx.tool, ctx.sim, 'admin');
    const page = await request(ctx.tool.url).get(`/app/registrar?s=${token}`).expect(200);
    for (const id of ids) assert.match(page.text, new RegExp(`<input type="checkbox" name="ids" value="${id}" form="bulk-status"`));
    assert.match(page.text, /<form id="bulk-status" method="post" action="\/app\/registrar\/credentials\/status">/);

    // the form as a browser sends it: one `ids` field per ticked box, the session token in the body
    const form = `s=${encodeURIComponent(token)}&action=revoke&reason=${encodeURIComponent('Awarded in error')}&ids=${ids[0]}&ids=${ids[1]}`;
    const res = await request(ctx.tool.url).post('/app/registrar/credentials/status').set('Accept', 'text/html').type('form').send(form);
    assert.equal(res.status, 303, res.text);
    const back = new URL(res.headers.location!, ctx.tool.url);
    assert.equal(back.pathname, '/app/registrar');
    assert.equal(back.searchParams.get('changed'), '2');
    const after = await request(ctx.tool.url).get(`${back.pathname}${back.search}`).expect(200);
    assert.match(after.text, /<p role="status" class="notice">Credentials changed: 2\.<\/p>/);
    for (const id of ids) assert.equal((await ctx.tool.issuance.credentials.findById(id))?.status, 'revoked');
    const audit = await ctx.tool.db.connection
      .collection('audit_log')
      .find({ 'subject.id': { $in: ids } })
      .toArray();
    assert.equal(audit.length, 2);
    assert.ok(audit.every((a) => a.reason === 'Awarded in error'));

    // nothing ticked: back to the page with the problem at the form, nothing changed
    const none = await request(ctx.tool.url)
      .post('/app/registrar/credentials/status')
      .set('Accept', 'text/html')
      .type('form')
      .send(`s=${encodeURIComponent(token)}&action=reinstate&reason=`);
    assert.equal(none.status, 303);
    const nonePage = await request(ctx.tool.url).get(none.headers.location!).expect(200);
    assert.match(nonePage.text, /<p role="alert" class="problems" id="bulk-error">Tick at least one credential\.<\/p>/);

    // suspending without a reason: the problem is named and the ticked boxes stay ticked
    const noReason = await request(ctx.tool.url)
      .post('/app/registrar/credentials/status')
      .set('Accept', 'text/html')
      .type('form')
      .send(`s=${encodeURIComponent(token)}&action=suspend&reason=&ids=${ids[0]}`);
    assert.equal(noReason.status, 303);
    const noReasonPage = await request(ctx.tool.url).get(noReason.headers.location!).expect(200);
    assert.match(noReasonPage.text, /Give a reason to revoke or suspend/);
    assert.match(noReasonPage.text, new RegExp(`value="${ids[0]}" form="bulk-status" id="pick-${ids[0]}" checked>`));
    assert.doesNotMatch(noReasonPage.text, new RegExp(`value="${ids[1]}" form="bulk-status" id="pick-${ids[1]}" checked>`));
    for (const id of ids) assert.equal((await ctx.tool.issuance.credentials.findById(id))?.status, 'revoked');
    // the API keeps answering in JSON with the status code
    const api = await request(ctx.tool.url).post('/app/registrar/credentials/status').send({ s: token, action: 'suspend', ids });
    assert.equal(api.status, 400);
    assert.equal(api.body.error.code, 'STATUS_REASON_REQUIRED');
  });
});
