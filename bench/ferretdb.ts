/**
 * A MongoDB-protocol server for the bench: MONGODB_URI when it is set, else FerretDB from .ci/bin/ferretdb
 * on a temporary SQLite directory (src/store/embedded.ts, as the test run uses), stopped by stop().
 */
import { readFileSync } from 'node:fs';
import { startFerretDb, waitForServer } from '../src/store/embedded';

export interface MongoServer {
  uri: string;
  /** 'external' (MONGODB_URI) or 'ferretdb' (started here). */
  kind: 'external' | 'ferretdb';
  /** CPU time the server has used so far in ms (FerretDB started here, on Linux), else null. */
  cpuMs(): number | null;
  stop(): Promise<void>;
}

/** utime + stime of a process from /proc (clock ticks of 10 ms on Linux). */
function procCpuMs(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

export async function startMongoServer(): Promise<MongoServer> {
  const given = process.env.MONGODB_URI;
  if (given) {
    await waitForServer(given, 10_000);
    return { uri: given, kind: 'external', cpuMs: () => null, async stop() {} };
  }
  const ferret = await startFerretDb({ database: 'bench', tmpPrefix: 'bench-ferretdb-' });
  return { uri: ferret.uri, kind: 'ferretdb', cpuMs: () => procCpuMs(ferret.pid), stop: () => ferret.stop() };
}
