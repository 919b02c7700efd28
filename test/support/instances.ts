import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { TEST_SECRETS, type RunningTool } from './tool';

/** Another instance of the tool in its own process, on the database of `tool` (see instance-process.ts). */
export interface Instance {
  url: string;
  child: ChildProcess;
  /** Credentials it has stored so far. */
  stored: number;
  /** Resolves once it has stored at least `n` credentials. */
  storedAtLeast(n: number): Promise<void>;
  kill9(): Promise<void>;
  /** Bulk issuance jobs it is running now. */
  activeJobs(): Promise<number>;
}

export async function startInstance(tool: RunningTool, env: Record<string, string> = {}): Promise<Instance> {
  const base = new URL(process.env.MONGODB_URI!);
  base.pathname = `/${tool.db.connection.name}`;
  const child = fork(path.join(__dirname, 'instance-process.ts'), [], {
    execArgv: ['--require', require.resolve('tsx/cjs')],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PUBLIC_URL: tool.url, // the instances of one deployment share its public address
      LOG_LEVEL: 'warn',
      ...TEST_SECRETS,
      INSTANCE_DB_URL: base.toString(),
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiters: Array<{ n: number; resolve(): void }> = [];
  const asking: Array<(n: number) => void> = [];
  const instance: Instance = {
    url: '',
    child,
    stored: 0,
    storedAtLeast: (n) => (instance.stored >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
    activeJobs: () =>
      new Promise((resolve) => {
        asking.push(resolve);
        child.send({ kind: 'active?' });
      }),
    kill9: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await gone;
    },
  };
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`instance exited with ${code} before it listened`)));
    child.on('message', (m: { kind: string; port?: number; n?: number }) => {
      if (m.kind === 'ready') {
        instance.url = `http://127.0.0.1:${m.port}`;
        resolve();
      } else if (m.kind === 'active') {
        asking.shift()?.(m.n!);
      } else if (m.kind === 'stored') {
        instance.stored += m.n!;
        for (const w of waiters.splice(0)) (instance.stored >= w.n ? w.resolve : () => waiters.push(w))();
      }
    });
  });
  return instance;
}
