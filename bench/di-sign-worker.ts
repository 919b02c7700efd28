/**
 * Worker thread of the eddsa-rdfc-2022 experiment (bench/issuance-experiments.ts): signs the product's credential
 * with signDataIntegrity back to back, with jsonld context sharing (src/credentials/proof/jsonld-context-sharing.ts) or stock.
 * Loaded through tsx's CommonJS hook by the eval bootstrap in issuance-experiments.ts.
 */
import { createHash, createPrivateKey } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { createDocumentLoader } from '../src/credentials/contexts/document-loader';
import { euExtensionContextDocuments } from '../src/credentials/eu-extension/context';
import { IssuerKeys } from '../src/credentials/keys/issuer-keys';
import { describeKey, generateIssuerKey } from '../src/credentials/keys/key-material';
import { signDataIntegrity } from '../src/credentials/proof';
import { allowContextSharing } from '../src/credentials/proof/jsonld-context-sharing';

export interface DiWorkerData {
  unsigned: Record<string, unknown>;
  publicUrl: string;
  sharing: boolean;
}
export type DiWorkerMessage = { ready: true; digest: string } | { count: number };

const data = workerData as DiWorkerData;

async function main() {
  allowContextSharing(data.sharing);
  // a fixed Ed25519 key (Ed25519 signatures are deterministic), so outputs can be compared between workers
  const ed25519 = createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.alloc(32, 7)]),
    format: 'der',
    type: 'pkcs8',
  });
  const issuerKeys = new IssuerKeys('bench', [
    { ...describeKey('Ed25519', ed25519), privateKey: ed25519 },
    await generateIssuerKey('RSA'),
    await generateIssuerKey('P-256'),
  ]);
  const documentLoader = createDocumentLoader({ extra: euExtensionContextDocuments(data.publicUrl) });
  const sign = (now: Date) => signDataIntegrity(data.unsigned, { issuerKeys, documentLoader, now });
  const reference = await sign(new Date('2026-11-28T10:00:00Z'));
  for (let i = 0; i < 20; i++) await sign(new Date());
  parentPort!.postMessage({ ready: true, digest: createHash('sha256').update(JSON.stringify(reference)).digest('hex') } satisfies DiWorkerMessage);
  parentPort!.on(
    'message',
    (msg: { runMs: number }) =>
      void (async () => {
        const t0 = performance.now();
        let count = 0;
        while (performance.now() - t0 < msg.runMs) {
          await sign(new Date());
          count++;
        }
        parentPort!.postMessage({ count } satisfies DiWorkerMessage);
      })(),
  );
}

void main();
