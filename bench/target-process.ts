/** Parent side of a bench target: forks bench/targets/<name>.ts (through tsx) and sends it commands. */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { RpcRequest, RpcResponse } from './targets/child';

export class TargetProcess {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private exited: string | null = null;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (msg: RpcResponse) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new Error(`${name}: ${msg.error}`));
    });
    child.on('exit', (code, signal) => {
      this.exited = `exited with ${signal ?? code}`;
      for (const p of this.pending.values()) p.reject(new Error(`bench target ${name} ${this.exited}`));
      this.pending.clear();
    });
  }

  get pid() {
    return this.child.pid;
  }

  static async fork(name: string, options: { env?: Record<string, string>; execArgv?: string[] } = {}): Promise<TargetProcess> {
    const child = fork(path.join(__dirname, 'targets', `${name}.ts`), [], {
      // process.execArgv carries tsx's loader flags, so the child runs TypeScript like this process
      execArgv: [...process.execArgv, ...(options.execArgv ?? [])],
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const target = new TargetProcess(name, child);
    // the child's first message (id 0) says it has loaded
    await new Promise<void>((resolve, reject) => {
      target.pending.set(0, { resolve: () => resolve(), reject });
    });
    return target;
  }

  call<T = unknown>(cmd: string, arg?: unknown, timeoutMs = 60_000): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`bench target ${this.name} ${this.exited}`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`bench target ${this.name}: ${cmd} did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.child.send({ id, cmd, arg } satisfies RpcRequest);
    });
  }

  /** Asks the target to drop its database and exit; kills it if it does not. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    await this.call('stop', undefined, 15_000).catch(() => this.child.kill('SIGKILL'));
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  }

  kill() {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}
