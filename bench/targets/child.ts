/**
 * Child-process side of a bench target: answers the parent's commands over the IPC channel and samples
 * this process's RSS, so the memory figure is the server's own and not the load generator's.
 */
export type Handler = (arg: unknown) => unknown | Promise<unknown>;

export interface RpcRequest {
  id: number;
  cmd: string;
  arg?: unknown;
}
export interface RpcResponse {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

export function serveCommands(handlers: Record<string, Handler>) {
  if (!process.send) throw new Error('a bench target must run as a child process with an IPC channel');
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > peakRss) peakRss = rss;
  }, 20);
  sampler.unref();

  const all: Record<string, Handler> = {
    ...handlers,
    resetPeakRss: () => {
      peakRss = process.memoryUsage.rss();
      return peakRss;
    },
    peakRss: () => Math.max(peakRss, process.memoryUsage.rss()),
    /** CPU time this process has used so far (user + system), in ms. */
    cpuMs: () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    },
  };

  process.on('message', async (msg: RpcRequest) => {
    const handler = all[msg.cmd];
    let answer: RpcResponse;
    try {
      if (!handler) throw new Error(`unknown command ${msg.cmd}`);
      answer = { id: msg.id, ok: true, result: await handler(msg.arg) };
    } catch (err) {
      answer = { id: msg.id, ok: false, error: (err as Error).stack ?? String(err) };
    }
    process.send!(answer);
  });
  // the parent went away: do not linger
  process.on('disconnect', () => process.exit(0));
  process.send({ id: 0, ok: true, result: 'loaded' } satisfies RpcResponse);
}
