/** Shared pieces of the bench groups (bench/index.ts runs them): figures, notes, statistics, CPU clocks. */
import { readFileSync } from 'node:fs';
import type { MongoServer } from './ferretdb';

export interface Figure {
  name: string;
  value: number;
  unit: string;
}

/** What every group gets from bench/index.ts. */
export interface GroupContext {
  mongo: MongoServer;
  /** BENCH_PROFILE=1: timing hooks on; figures are not written. */
  profile: boolean;
  /** BENCH_CPU_PROF=<dir>: where a group may write its V8 CPU profiles. */
  cpuProfDir: string | null;
}

export const note = (line: string) => console.log(`# ${line}`);

/** A positive number from the environment, else `fallback`. */
export const num = (name: string, fallback: number) => {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number`);
  return n;
};

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
export const round1 = (x: number) => Math.round(x * 10) / 10;
export const round2 = (x: number) => Math.round(x * 100) / 100;

/** CPU time of this process so far (user + system, ms). */
export const ownCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Busy and total CPU time of the whole machine so far (ms, from /proc/stat on Linux; null elsewhere). */
export function machineCpuMs(): { busy: number; total: number } | null {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = f as [number, number, number, number, number, number, number, number];
    const busy = user + nice + system + irq + softirq + (steal ?? 0);
    return { busy: busy * 10, total: (busy + idle + iowait) * 10 };
  } catch {
    return null;
  }
}

/**
 * Watches the CPU of this process, the database server (when the bench started it) and the whole machine
 * over one measured stretch; `foreignShare` is the part of the machine that processes outside the bench
 * took meanwhile (other people's test runs), to read a noisy rate against.
 */
export function cpuWatch(mongo: MongoServer) {
  const start = { own: ownCpuMs(), db: mongo.cpuMs(), machine: machineCpuMs(), wall: performance.now() };
  return () => {
    const own = ownCpuMs() - start.own;
    const dbNow = mongo.cpuMs();
    const db = dbNow !== null && start.db !== null ? dbNow - start.db : null;
    const machine = machineCpuMs();
    const wallMs = performance.now() - start.wall;
    let foreignShare: number | null = null;
    if (machine && start.machine && machine.total > start.machine.total) {
      const busy = machine.busy - start.machine.busy;
      foreignShare = Math.max(0, (busy - own - (db ?? 0)) / (machine.total - start.machine.total));
    }
    return { ownMs: own, dbMs: db, wallMs, foreignShare };
  };
}

/** Runs `fn` back to back for about `ms` (after `warmup` calls); calls per second of wall time and CPU ms per call. */
export async function sequentialRate(fn: () => unknown, ms: number, warmup = 20): Promise<{ rate: number; count: number; cpuMsPerCall: number }> {
  for (let i = 0; i < warmup; i++) await fn();
  const cpu0 = ownCpuMs();
  const t0 = performance.now();
  let count = 0;
  while (performance.now() - t0 < ms) {
    await fn();
    count++;
  }
  const elapsed = performance.now() - t0;
  return { rate: (count / elapsed) * 1000, count, cpuMsPerCall: (ownCpuMs() - cpu0) / count };
}

/** `count` calls of `fn(i)` by `concurrency` workers; calls per second of wall time. Any failure rejects. */
export async function closedLoop(count: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<{ rate: number; seconds: number }> {
  let next = 0;
  let failure: unknown;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (failure === undefined && next < count) {
        const i = next++;
        try {
          await fn(i);
        } catch (err) {
          failure ??= err;
        }
      }
    }),
  );
  if (failure !== undefined) throw failure;
  const seconds = (performance.now() - t0) / 1000;
  return { rate: count / seconds, seconds };
}
