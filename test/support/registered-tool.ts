import { PlatformSimulator } from './platform-simulator';
import { startTool, type RunningTool } from './tool';

/**
 * Mocha hooks for the common set-up: a simulated Moodle registered with a running tool.
 * Returns an object whose fields are filled before the suite's tests run.
 */
export function useRegisteredTool(options: Parameters<typeof startTool>[0] = {}) {
  const ctx = {} as { sim: PlatformSimulator; tool: RunningTool };
  before(async () => {
    ctx.sim = await PlatformSimulator.start();
    ctx.tool = await startTool(options);
    ctx.sim.toolUrl = ctx.tool.url;
    await ctx.tool.registry.register(ctx.sim.platformRegistration());
  });
  after(async () => {
    await ctx.tool?.stop();
    await ctx.sim?.stop();
  });
  return ctx;
}
