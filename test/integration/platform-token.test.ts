import assert from 'node:assert/strict';
import { type AppError } from '../../src/errors';
import { PlatformClients } from '../../src/lms/platform-clients';
import { NRPS_SCOPE_MEMBERSHIP_READONLY } from '../../src/lms/platform-services';
import { useRegisteredTool } from '../support/registered-tool';

describe('access tokens from Moodle with the tool key ltijs made for the platform', () => {
  const ctx = useRegisteredTool();

  it('works when the tool clock is 2 s ahead of Moodle (client assertion iat backdated)', async () => {
    ctx.sim.now = () => Date.now() - 2_000; // Moodle's token endpoint allows zero skew
    const platform = (await ctx.tool.platforms.findByIssuerAndClient(ctx.sim.issuer, ctx.sim.clientId))!;
    const services = await ctx.tool.platformClients.forPlatform(platform);
    const token = await services.getAccessToken([NRPS_SCOPE_MEMBERSHIP_READONLY]);
    assert.match(token, /^[0-9a-f]{32}$/);
  });

  it('without backdating the same request is refused, as ltijs 5.9.9 was (LTIJS-WITH-MOODLE row 3)', async () => {
    ctx.sim.now = () => Date.now() - 2_000;
    const platform = (await ctx.tool.platforms.findByIssuerAndClient(ctx.sim.issuer, ctx.sim.clientId))!;
    const unpatched = new PlatformClients(ctx.tool.registry, { timeoutMs: 5_000, iatBackdateSeconds: 0 });
    const services = await unpatched.forPlatform(platform);
    await assert.rejects(services.getAccessToken([NRPS_SCOPE_MEMBERSHIP_READONLY]), (err: AppError) => {
      assert.equal(err.code, 'PLATFORM_TOKEN_REJECTED');
      assert.match(JSON.stringify(err.details), /Cannot handle token with iat prior to/);
      return true;
    });
  });
});
