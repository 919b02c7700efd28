import path from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * Starts the worker thread `<dir>/<name>.js` (compiled) or `<name>.ts` (sources under tsx: tests, bench),
 * loading the TypeScript through tsx's hook. `fromFile` is the caller's __filename, which tells the two apart.
 */
export function startThreadFile(fromFile: string, name: string, workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  const extension = path.extname(fromFile);
  const file = path.join(path.dirname(fromFile), `${name}${extension}`);
  if (extension !== '.ts') return new Worker(file, { workerData, resourceLimits });
  const bootstrap = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(file)});`;
  return new Worker(bootstrap, { eval: true, workerData, resourceLimits });
}
