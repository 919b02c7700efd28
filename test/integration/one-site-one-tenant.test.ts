import assert from 'node:assert/strict';
import request from 'supertest';
import { INSTITUTION, seedEarnedBadge } from '../support/award';
import { launchAs } from '../support/launch';
import { PlatformSimulator } from '../support/platform-simulator';
import { useRegisteredTool } from '../support/registered-tool';

/**
 * A Moodle site registered twice (a second dynamic registration, or a manual one next to it) is one institution:
 * every registration (client id, deployments) is a way in to the same site and its records.
 */
describe('one Moodle site is one institution, however often it is registered', () => {
  const ctx = useRegisteredTool();
  let firstClientId: string;
  const secondClientId = 'second-registration';
  let badgeId: string;

  /** Launches as Moodle does through the first or the second registration. */
  const through = async (registration: 'first' | 'second', kind: 'teacher' | 'student' | 'admin') => {
    ctx.sim.clientId = registration === 'first' ? firstClientId : secondClientId;
    ctx.sim.deploymentId = registration === 'first' ? '1' : '7';
    return launchAs(ctx.tool, ctx.sim, kind);
  };

  before(async () => {
    firstClientId = ctx.sim.clientId;
    ({
      badge: { id: badgeId },
    } = await seedEarnedBadge(ctx.tool));
    // the same site registered again by hand (Moodle's second tool: another client id, another deployment)
    await ctx.tool.registry.register({ ...ctx.sim.platformRegistration(['7']), clientId: secondClientId });
  });

  it('both registrations are listed and lead to one site', async () => {
    const registrations = await ctx.tool.platforms.list();
    assert.deepEqual(registrations.map((r) => r.clientId).sort(), [firstClientId, secondClientId].sort());
    assert.equal(new Set(registrations.map((r) => r.id)).size, 1);
    const sites = await ctx.tool.platforms.listSites();
    assert.equal(sites.length, 1);
    assert.equal(sites[0]!.issuer, ctx.sim.issuer);
    const a = await through('first', 'teacher');
    const b = await through('second', 'teacher');
    const sessionA = await ctx.tool.sessions.find(a.token);
    const sessionB = await ctx.tool.sessions.find(b.token);
    assert.equal(sessionA!.context.platformId, sites[0]!.id);
    assert.equal(sessionB!.context.platformId, sites[0]!.id);
    assert.equal(sessionB!.context.clientId, secondClientId);
    assert.equal(sessionB!.context.deploymentId, '7');
  });

  it('a badge defined through one registration is the course’s badge through the other', async () => {
    const { token } = await through('second', 'teacher');
    const page = await request(ctx.tool.url).get('/app/teacher').query({ s: token });
    assert.equal(page.status, 200);
    assert.match(page.text, /Academic writing/);
    assert.doesNotMatch(page.text, /No badges are defined for this course yet/);
    const detail = await request(ctx.tool.url).get(`/app/teacher/badges/${badgeId}`).query({ s: token });
    assert.equal(detail.status, 200, 'the activity’s badge_id names a badge that exists through this registration too');
  });

  it('the institution profile saved once is the profile of every registration, with one issuer DID', async () => {
    const { token } = await through('second', 'admin');
    const page = await request(ctx.tool.url).get('/app/registrar/institution').query({ s: token });
    assert.equal(page.status, 200);
    assert.match(page.text, new RegExp(INSTITUTION.name.en));
  });

  it('an award claimed through one registration is the same credential through the other', async () => {
    const first = await through('first', 'student');
    const claimA = await request(ctx.tool.url).post(`/app/student/badges/${badgeId}/claim`).type('form').send({ s: first.token, showName: '1' });
    assert.equal(claimA.status, 303, claimA.text);
    const second = await through('second', 'student');
    const claimB = await request(ctx.tool.url).post(`/app/student/badges/${badgeId}/claim`).type('form').send({ s: second.token, showName: '1' });
    assert.equal(claimB.status, 303, claimB.text);
    assert.equal(new URL(claimB.headers.location!, ctx.tool.url).pathname, new URL(claimA.headers.location!, ctx.tool.url).pathname);
    assert.equal(await ctx.tool.db.connection.collection('credentials').countDocuments(), 1);
    const json = await request(ctx.tool.url).get(new URL(claimA.headers.location!, ctx.tool.url).pathname).set('Accept', 'application/ld+json');
    const [site] = await ctx.tool.platforms.listSites();
    assert.match(String((json.body.issuer as { id: string }).id), new RegExp(`:issuers:${site!.id}$`));
  });

  it('removing one registration leaves the site and its records reachable through the other', async () => {
    await ctx.tool.registry.register({ ...ctx.sim.platformRegistration(['9']), clientId: 'third-registration' });
    assert.equal(await ctx.tool.registry.remove(ctx.sim.issuer, 'third-registration'), true);
    const { token } = await through('second', 'teacher');
    const page = await request(ctx.tool.url).get('/app/teacher').query({ s: token });
    assert.match(page.text, /Academic writing/);
    assert.equal((await ctx.tool.platforms.listSites()).length, 1);
  });

  it('another Moodle site stays a separate institution', async () => {
    const other = await PlatformSimulator.start();
    try {
      other.toolUrl = ctx.tool.url;
      await ctx.tool.registry.register(other.platformRegistration());
      const { token } = await launchAs(ctx.tool, other, 'teacher');
      const page = await request(ctx.tool.url).get('/app/teacher').query({ s: token });
      assert.match(page.text, /No badges are defined for this course yet/);
      assert.equal((await ctx.tool.platforms.listSites()).length, 2);
    } finally {
      await other.stop();
    }
  });
});
