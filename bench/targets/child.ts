/**
 * Child-process side of a bench target: answers the parent's commands over the IPC channel and samples
 * this process's RSS, so the memory figure is the server's own and not the load generator's.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

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
  }, 50);
  sampler.unref();
  let inspector: Session | null = null;
  const post = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) => inspector!.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));

  const all: Record<string, Handler> = {
    ...handlers,
    resetPeakRss: () => {
      peakRss = process.memoryUsage.rss();
      return peakRss;
    },
    peakRss: () => Math.max(peakRss, process.memoryUsage.rss()),
    /** V8 CPU profile of this process between cpuProfileStart and cpuProfileStop (written to the given file). */
    cpuProfileStart: async () => {
      inspector = new Session();
      inspector.connect();
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 500 });
      await post('Profiler.start');
      return true;
    },
    cpuProfileStop: async (file) => {
      const { profile } = await post('Profiler.stop');
      inspector!.disconnect();
      inspector = null;
      writeFileSync(String(file), JSON.stringify(profile));
      return file;
    },
    /** CPU time this process has used so far (user + system), in ms. */
    cpuMs: () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    },
  };

  const answerOne = async (msg: RpcRequest) => {
    const handler = all[msg.cmd];
    let answer: RpcResponse;
    try {
      if (!handler) throw new Error(`unknown command ${msg.cmd}`);
      answer = { id: msg.id, ok: true, result: await handler(msg.arg) };
    } catch (err) {
      answer = { id: msg.id, ok: false, error: (err as Error).stack ?? String(err) };
    }
    process.send!(answer);
  };
  process.on('message', (msg: RpcRequest) => void answerOne(msg));
  // the parent went away: do not linger
  process.on('disconnect', () => process.exit(0));
  process.send({ id: 0, ok: true, result: 'loaded' } satisfies RpcResponse);
}
