/**
 * A verification thread (see verify-pool.ts): un-baking, bounds, schema, JSON-LD canonicalisation and the
 * signature check run here, off the event loop that serves every institution's launches. DID documents of our
 * issuers and credential status come from the pool's thread, which holds the database.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createDocumentLoader } from '../credentials/contexts/document-loader';
import { AppError } from '../errors';
import type { FromVerifyThread, Question, ToVerifyThread, VerifyThreadData } from './verify-messages';
import { verifyInput } from './verifier';

const port = parentPort!;
const pending = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
let nextRequest = 0;

const send = (message: FromVerifyThread) => port.postMessage(message);

function ask<T>(question: Question): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = nextRequest++;
    pending.set(request, { resolve: resolve as (value: unknown) => void, reject });
    send({ kind: 'ask', request, question });
  });
}

const documentLoader = createDocumentLoader({
  extra: new Map((workerData as VerifyThreadData).documents),
  resolveDid: (did) => ask({ kind: 'did', did }),
});

port.on('message', (message: ToVerifyThread) => {
  if (message.kind === 'answer') {
    const waiting = pending.get(message.request);
    pending.delete(message.request);
    if (message.error === undefined) waiting?.resolve(message.value);
    else waiting?.reject(new Error(message.error));
    return;
  }
  const { job, input } = message;
  // structured clone turns a Buffer into a plain Uint8Array: view the same bytes as a Buffer again
  const given = input instanceof Uint8Array ? Buffer.from(input.buffer, input.byteOffset, input.byteLength) : input;
  verifyInput(given, { documentLoader, statusOf: (url) => ask({ kind: 'status', url }), now: new Date(message.now) }).then(
    (result) => send({ kind: 'done', job, result }),
    (err: Error) =>
      err instanceof AppError
        ? send({ kind: 'refused', job, code: err.code, message: err.message, status: err.status })
        : send({ kind: 'refused', job, code: 'VERIFY_FAILED', message: `The verification failed: ${err.message}`, status: 500 }),
  );
});
