/**
 * BENCH_ISSUE_EXPERIMENTS=1: what would bring eddsa-rdfc-2022 issuing closer to the target, measured
 * on the product's own credential, without changing src/:
 * - worker threads: signDataIntegrity in 1 and in N (= CPUs) worker threads at once;
 * - jsonld context sharing (src/credentials/proof/jsonld-context-sharing.ts, on in the product) and stock, in the same
 *   workers, after checking that it signs byte-identical credentials.
 * Rates are signatures per second of wall time, summed over the workers; CPU is the whole process's.
 */
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ownCpuMs, note, round1, round2, type Figure } from './common';
import type { DiWorkerData, DiWorkerMessage } from './di-sign-worker';

function startWorker(data: DiWorkerData): Promise<{ worker: Worker; digest: string }> {
  // tsx's ESM loader does not reach worker threads on Node 20: load the worker through its CommonJS hook
  const bootstrap = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(path.join(__dirname, 'di-sign-worker.ts'))});`;
  const worker = new Worker(bootstrap, { eval: true, workerData: data });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (m: DiWorkerMessage) => ('ready' in m ? resolve({ worker, digest: m.digest }) : reject(new Error('unexpected message'))));
  });
}

async function run(workers: Worker[], ms: number): Promise<{ rate: number; cpuMsPerSignature: number }> {
  const cpu0 = ownCpuMs();
  const t0 = performance.now();
  const counts = await Promise.all(
    workers.map(
      (w) =>
        new Promise<number>((resolve, reject) => {
          w.once('error', reject);
          w.once('message', (m: DiWorkerMessage) => resolve('count' in m ? m.count : 0));
          w.postMessage({ runMs: ms });
        }),
    ),
  );
  const seconds = (performance.now() - t0) / 1000;
  const total = counts.reduce((a, b) => a + b, 0);
  return { rate: total / seconds, cpuMsPerSignature: (ownCpuMs() - cpu0) / total };
}

export async function diSigningExperiments(unsigned: Record<string, unknown>, publicUrl: string, ms: number): Promise<Figure[]> {
  const cores = os.cpus().length;
  const figures: Figure[] = [];
  let stockDigest: string | null = null;
  for (const sharing of [false, true]) {
    const started = await Promise.all(Array.from({ length: cores }, () => startWorker({ unsigned, publicUrl, sharing })));
    try {
      const digests = new Set(started.map((s) => s.digest));
      if (digests.size !== 1) throw new Error('bench: workers signed the same credential differently');
      const digest = [...digests][0]!;
      if (!sharing) stockDigest = digest;
      else if (digest !== stockDigest) throw new Error('bench: jsonld context sharing changes the signed credential; its rates are not reported');
      const label = sharing ? 'sharing' : 'stock';
      for (const n of [...new Set([1, cores])]) {
        const r = await run(
          started.slice(0, n).map((s) => s.worker),
          ms,
        );
        note(
          `experiment: eddsa-rdfc-2022 in ${n} worker thread(s), jsonld ${sharing ? 'with context sharing (output identical to stock)' : 'stock'}: ` +
            `${round1(r.rate)}/s (${round2(r.cpuMsPerSignature)} ms CPU per signature)`,
        );
        figures.push({ name: `experiment_sign_eddsa_${n}w_${label}`, value: round1(r.rate), unit: 'credentials/s' });
        if (n === 1) figures.push({ name: `experiment_sign_eddsa_cpu_${label}`, value: round2(r.cpuMsPerSignature), unit: 'ms/credential' });
      }
    } finally {
      await Promise.all(started.map((s) => s.worker.terminate()));
    }
  }
  return figures;
}
