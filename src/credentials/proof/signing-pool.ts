import type { Worker } from 'node:worker_threads';
import { AppError } from '../../errors';
import type { DataIntegritySigner, IssuerKeys } from '../keys/issuer-keys';
import type { JsonObject } from './libs';
import type { SigningThreadData, ToPool, ToThread } from './signing-messages';
import { dataIntegrityVerificationMethod } from './sign-data-integrity';
import { startThreadFile } from './thread-file';

interface Thread {
  worker: Worker;
  jobs: Set<number>;
}

interface Job {
  thread: Thread;
  signer: DataIntegritySigner;
  resolve(signed: JsonObject): void;
  reject(err: Error): void;
}

/**
 * eddsa-rdfc-2022 signing on other cores. The JSON-LD work (milliseconds of CPU per credential) runs in worker
 * threads, so issuing uses every core and the event loop stays free for requests; the Ed25519 signature over
 * the 64-byte verify data (microseconds) is made here, with the key that never leaves this thread. Threads
 * start on first use; one that dies fails only its own jobs and is replaced on the next.
 */
export class DataIntegritySigningPool {
  readonly #threads: Thread[] = [];
  readonly #jobs = new Map<number, Job>();
  #nextJob = 0;
  #closed = false;

  constructor(private readonly options: { threads: number; documents: ReadonlyMap<string, unknown> }) {
    if (!Number.isInteger(options.threads) || options.threads < 1) throw new Error('a signing pool needs at least one thread');
  }

  get threads(): number {
    return this.options.threads;
  }

  sign<T extends object>(credential: T, options: { issuerKeys: IssuerKeys; now?: Date }): Promise<T & { proof: JsonObject[] }> {
    if (this.#closed) return Promise.reject(new AppError('credential_sign_failed', 'The signing threads are shut down.', { status: 503 }));
    const verificationMethod = dataIntegrityVerificationMethod(credential, options.issuerKeys);
    const signer = options.issuerKeys.dataIntegritySigner(verificationMethod);
    const thread = this.#leastBusy();
    const job = this.#nextJob++;
    return new Promise((resolve, reject) => {
      this.#jobs.set(job, { thread, signer, resolve: resolve as (signed: JsonObject) => void, reject });
      if (thread.jobs.size === 0) thread.worker.ref(); // a pending job keeps the process alive; an idle thread does not
      thread.jobs.add(job);
      try {
        this.#send(thread, { kind: 'sign', job, credential, verificationMethod, now: (options.now ?? new Date()).toISOString() });
      } catch (err) {
        // not plain data (structured clone refused it): this job only
        this.#finish(job);
        reject(new AppError('credential_sign_failed', `The credential could not be signed: ${(err as Error).message}`, { status: 500 }));
      }
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#threads.splice(0).map((t) => t.worker.terminate()));
  }

  #leastBusy(): Thread {
    if (this.#threads.length < this.options.threads) {
      const idle = this.#threads.find((t) => t.jobs.size === 0);
      return idle ?? this.#start();
    }
    return this.#threads.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
  }

  #start(): Thread {
    const data: SigningThreadData = { documents: [...this.options.documents] };
    const thread: Thread = { worker: startWorker(data), jobs: new Set() };
    thread.worker.unref();
    thread.worker.on('message', (message: ToPool) => this.#onMessage(thread, message));
    const fail = (reason: string) => {
      const at = this.#threads.indexOf(thread);
      if (at >= 0) this.#threads.splice(at, 1);
      for (const job of thread.jobs)
        this.#finish(job)?.reject(new AppError('credential_sign_failed', `The credential could not be signed: ${reason}`, { status: 500 }));
    };
    thread.worker.on('error', (err) => fail(err.message));
    thread.worker.on('exit', (code) => fail(`the signing thread stopped (exit code ${code})`));
    this.#threads.push(thread);
    return thread;
  }

  #onMessage(thread: Thread, message: ToPool): void {
    if (message.kind === 'sign-data') {
      const job = this.#jobs.get(message.job);
      if (!job) return;
      job.signer.sign({ data: message.data }).then(
        (signature) => this.#send(thread, { kind: 'signature', request: message.request, signature }),
        (err: Error) => this.#send(thread, { kind: 'signature', request: message.request, error: err.message }),
      );
      return;
    }
    const job = this.#finish(message.job);
    if (!job) return;
    if (message.kind === 'done') job.resolve(message.signed);
    else job.reject(new AppError(message.code, message.message, { status: 500 }));
  }

  #finish(id: number): Job | undefined {
    const job = this.#jobs.get(id);
    if (!job) return undefined;
    this.#jobs.delete(id);
    job.thread.jobs.delete(id);
    if (job.thread.jobs.size === 0) job.thread.worker.unref();
    return job;
  }

  #send(thread: Thread, message: ToThread): void {
    thread.worker.postMessage(message);
  }
}

/** The thread runs signing-worker.js; from TypeScript sources (tests, tsx) it loads it through tsx's hook. */
function startWorker(workerData: SigningThreadData): Worker {
  return startThreadFile(__filename, 'signing-worker', workerData);
}
