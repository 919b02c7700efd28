/**
 * A Data Integrity signing thread (see signing-pool.ts). It does the JSON-LD work of eddsa-rdfc-2022 (expansion,
 * canonicalisation, hashing); the 64 bytes to sign go back to the thread that holds the issuer's key, so no
 * private key ever reaches this thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createDocumentLoader } from '../contexts/document-loader';
import type { DataIntegritySigner } from '../keys/issuer-keys';
import type { SigningThreadData, ToPool, ToThread } from './signing-messages';
import { signDataIntegrityWith } from './sign-data-integrity';

const port = parentPort!;
const documentLoader = createDocumentLoader({ extra: new Map((workerData as SigningThreadData).documents) });
const awaitingSignature = new Map<number, { resolve(signature: Uint8Array): void; reject(err: Error): void }>();
let nextRequest = 0;

const send = (message: ToPool) => port.postMessage(message);

/** Stands in for the issuer's key: asks the pool's thread to sign. */
function remoteSigner(job: number, verificationMethod: string): DataIntegritySigner {
  return {
    id: verificationMethod,
    algorithm: 'Ed25519',
    sign: ({ data }) =>
      new Promise<Uint8Array>((resolve, reject) => {
        const request = nextRequest++;
        awaitingSignature.set(request, { resolve, reject });
        send({ kind: 'sign-data', job, request, data });
      }),
  };
}

port.on('message', (message: ToThread) => {
  if (message.kind === 'signature') {
    const waiting = awaitingSignature.get(message.request);
    awaitingSignature.delete(message.request);
    if (message.signature) waiting?.resolve(message.signature);
    else waiting?.reject(new Error(message.error ?? 'the issuer key did not sign'));
    return;
  }
  const { job, credential, verificationMethod, now } = message;
  signDataIntegrityWith(credential, { signer: remoteSigner(job, verificationMethod), documentLoader, now: new Date(now) }).then(
    (signed) => send({ kind: 'done', job, signed }),
    (err: Error & { code?: string }) => send({ kind: 'failed', job, code: err.code ?? 'credential_sign_failed', message: err.message }),
  );
});
