/**
 * Summarises V8 .cpuprofile files (from BENCH_CPU_PROF=<dir> npm run bench): self time grouped by where the
 * code lives: a package under node_modules (nested ones named by their path, e.g. ltijs>mongoose), a file of
 * src/ or bench/, node's internals, GC, idle; also inclusive time per group and self time per function. Usage: npx tsx bench/cpuprofile-summary.ts <file.cpuprofile>… [--top N]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function group(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : `(native) ${fn || 'anonymous'}`;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const path = decodeURIComponent(url.replace(/^file:\/\//, ''));
  const parts = path.split('/node_modules/').slice(1);
  if (parts.length) {
    return parts
      .map((p) => {
        const seg = p.split('/');
        return seg[0]!.startsWith('@') ? `${seg[0]}/${seg[1]}` : seg[0]!;
      })
      .join('>');
  }
  const m = path.match(/\/(src|bench|test)\/(.*)$/);
  return m ? `${m[1]}/${m[2]}` : path;
}

function summarise(file: string, top: number) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const groups = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    const g = group(n.callFrame.url, n.callFrame.functionName);
    groups.set(g, (groups.get(g) ?? 0) + us);
    const f = `${n.callFrame.functionName || '(anonymous)'} ${g}:${n.callFrame.lineNumber + 1}`;
    functions.set(f, (functions.get(f) ?? 0) + us);
    total += us;
  }
  // inclusive: samples whose stack holds a frame of the group (each group counted once per sample); async
  // continuations start new stacks, so this is the synchronous work a package or file did or called
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)!;
      if (n.callFrame.functionName === '(root)') continue;
      seen.add(group(n.callFrame.url, n.callFrame.functionName));
    }
    for (const g of seen) inclusive.set(g, (inclusive.get(g) ?? 0) + us);
  }
  const busy = total - (groups.get('(idle)') ?? 0);
  console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy`);
  const print = (title: string, m: Map<string, number>) => {
    console.log(`  ${title} (share of busy time):`);
    for (const [k, us] of [...m]
      .filter(([k]) => k !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, top))
      console.log(`    ${((us / busy) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
  };
  print('self time by package / file', groups);
  print('inclusive time by package / file', inclusive);
  print('self time by function', functions);
}

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 25;
if (args.length === 0) {
  console.error('usage: npx tsx bench/cpuprofile-summary.ts <file.cpuprofile>… [--top N]');
  process.exit(2);
}
for (const f of args) summarise(f, top);
