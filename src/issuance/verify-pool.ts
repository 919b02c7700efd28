import type { Worker } from 'node:worker_threads';
import { startThreadFile } from '../credentials/proof/thread-file';
import { AppError } from '../errors';
import type { FullVerification, VerifyInput } from './verifier';
import type { FromVerifyThread, Question, ToVerifyThread, VerifyThreadData } from './verify-messages';

export interface VerifyPoolOptions {
  /** Threads (at least one); separate from the signing threads, so verifying never slows issuing. */
  threads: number;
  /** Verifications waiting for a thread; one more is refused at once (503) instead of queueing without end. */
  maxQueue: number;
  /** Budget of one verification from arrival to answer; past it the thread is stopped and the answer is 503. */
  timeoutMs: number;
  documents: ReadonlyMap<string, unknown>;
  resolveDid(did: string): Promise<unknown | null>;
  statusOf(url: string): Promise<{ revoked: boolean; suspended: boolean } | null>;
  now(): number;
}

interface Job {
  id: number;
  input: VerifyInput;
  resolve(result: FullVerification): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
  thread?: Thread;
}

interface Thread {
  worker: Worker;
  job: Job | null;
}

/** Seconds a client should wait before trying again after a 503 of the pool. */
const RETRY_AFTER_SECONDS = 5;
/** A verification that needs more heap than this is out of bounds anyway; the thread dies alone. */
const THREAD_HEAP_MB = 256;

const unavailable = (code: string, message: string) =>
  new AppError(code, message, { status: 503, expose: true, details: { retryAfterSeconds: RETRY_AFTER_SECONDS } });

/**
 * Credential verification on worker threads, one verification per thread at a time, so a stranger's
 * credential never holds the event loop. Bounded: a fixed number of threads, a bounded queue, and a time
 * budget per verification (a thread that overruns it is terminated and replaced on the next job).
 */
export class VerifyPool {
  readonly #threads: Thread[] = [];
  readonly #queue: Job[] = [];
  #nextJob = 0;
  #closed = false;

  constructor(private readonly options: VerifyPoolOptions) {
    if (!Number.isInteger(options.threads) || options.threads < 1) throw new Error('a verification pool needs at least one thread');
  }

  verify(input: VerifyInput): Promise<FullVerification> {
    if (this.#closed) return Promise.reject(unavailable('VERIFY_UNAVAILABLE', 'Verification is shut down.'));
    const free = this.#threads.some((t) => !t.job) || this.#threads.length < this.options.threads;
    if (!free && this.#queue.length >= this.options.maxQueue)
      return Promise.reject(unavailable('VERIFY_BUSY', 'Too many verifications are running; try again in a few seconds.'));
    return new Promise((resolve, reject) => {
      const job: Job = { id: this.#nextJob++, input, resolve, reject, timer: setTimeout(() => this.#timeOut(job), this.options.timeoutMs) };
      this.#queue.push(job);
      this.#dispatch();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) this.#settle(job, unavailable('VERIFY_UNAVAILABLE', 'Verification is shut down.'));
    await Promise.all(this.#threads.splice(0).map((t) => t.worker.terminate()));
  }

  #dispatch(): void {
    while (this.#queue.length) {
      const thread = this.#threads.find((t) => !t.job) ?? (this.#threads.length < this.options.threads ? this.#start() : null);
      if (!thread) return;
      const job = this.#queue.shift()!;
      thread.job = job;
      job.thread = thread;
      thread.worker.ref(); // a running verification keeps the process alive; an idle thread does not
      // a Buffer is copied once into its own memory, which then moves to the thread (no second copy)
      const input = Buffer.isBuffer(job.input) ? new Uint8Array(job.input) : (job.input as Record<string, unknown>);
      const message: ToVerifyThread = { kind: 'verify', job: job.id, input, now: new Date(this.options.now()).toISOString() };
      thread.worker.postMessage(message, input instanceof Uint8Array ? [input.buffer as ArrayBuffer] : []);
    }
  }

  #start(): Thread {
    const data: VerifyThreadData = { documents: [...this.options.documents] };
    const thread: Thread = { worker: startThreadFile(__filename, 'verify-worker', data, { maxOldGenerationSizeMb: THREAD_HEAP_MB }), job: null };
    thread.worker.unref();
    thread.worker.on('message', (message: FromVerifyThread) => this.#onMessage(thread, message));
    const fail = (reason: string) => {
      const at = this.#threads.indexOf(thread);
      if (at >= 0) this.#threads.splice(at, 1);
      if (thread.job) this.#settle(thread.job, unavailable('VERIFY_FAILED', `The verification stopped (${reason}); try again later.`));
      if (!this.#closed) this.#dispatch();
    };
    thread.worker.on('error', (err) => fail(err.message));
    thread.worker.on('exit', (code) => fail(`exit code ${code}`));
    this.#threads.push(thread);
    return thread;
  }

  #onMessage(thread: Thread, message: FromVerifyThread): void {
    if (message.kind === 'ask') {
      this.#answer(message.question).then(
        (value) => this.#send(thread, { kind: 'answer', request: message.request, value }),
        (err: Error) => this.#send(thread, { kind: 'answer', request: message.request, error: err.message }),
      );
      return;
    }
    const job = thread.job;
    if (!job || job.id !== message.job) return;
    if (message.kind === 'done') this.#settle(job, null, message.result as FullVerification);
    else this.#settle(job, new AppError(message.code, message.message, { status: message.status }));
    this.#dispatch();
  }

  #answer(question: Question): Promise<unknown> {
    return question.kind === 'did' ? this.options.resolveDid(question.did) : this.options.statusOf(question.url);
  }

  #timeOut(job: Job): void {
    const queued = this.#queue.indexOf(job);
    if (queued >= 0) this.#queue.splice(queued, 1);
    const thread = job.thread;
    // JSON-LD work cannot be interrupted inside the thread: the thread goes, a new one starts for the next job
    if (thread) this.#threads.splice(this.#threads.indexOf(thread), 1);
    this.#settle(job, unavailable('VERIFY_TIMEOUT', `The verification took longer than ${this.options.timeoutMs} ms and was stopped; try again later.`));
    if (thread) void thread.worker.terminate();
    this.#dispatch();
  }

  /** Ends a job once: clears its timer and frees its thread. */
  #settle(job: Job, err: Error | null, result?: FullVerification): void {
    clearTimeout(job.timer);
    if (job.thread?.job === job) {
      job.thread.job = null;
      job.thread.worker.unref();
    }
    if (err) job.reject(err);
    else job.resolve(result!);
    job.resolve = job.reject = () => undefined;
  }

  #send(thread: Thread, message: ToVerifyThread): void {
    thread.worker.postMessage(message);
  }
}
