/** Top self-time functions of a V8 .cpuprofile (node --cpu-prof), for the bench's --profile. */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export function topSelfTime(file: string, n = 15, callers = 6): string {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(prof.nodes.map((x) => [x.id, x]));
  const parent = new Map<number, number>();
  for (const x of prof.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
  const label = (x: Node) => {
    const f = x.callFrame;
    const where = f.url ? `${f.url.replace(/^file:\/\/.*?\/(node_modules|apps|packages)\//, '$1/').replace(/^node:/, '')}:${f.lineNumber + 1}` : '';
    return `${f.functionName || '(anonymous)'} ${where}`.trim();
  };
  /** The nearest frames above a sample that are not node internals: who caused the work. */
  const stackOf = (id: number) => {
    const out: string[] = [];
    for (let p = parent.get(id); p !== undefined && out.length < 3; p = parent.get(p)) {
      const x = byId.get(p)!;
      if (x.callFrame.url.startsWith('file://')) out.push(label(x));
    }
    return out.join(' ◀ ');
  };
  const via = new Map<string, Map<string, number>>();
  const self = new Map<string, number>();
  let total = 0;
  prof.samples.forEach((id, i) => {
    const dt = prof.timeDeltas[i] ?? 0;
    total += dt;
    const key = label(byId.get(id)!);
    self.set(key, (self.get(key) ?? 0) + dt);
    const v = via.get(key) ?? new Map<string, number>();
    via.set(key, v);
    const st = stackOf(id);
    v.set(st, (v.get(st) ?? 0) + dt);
  });
  const idle = [...self].filter(([k]) => k.startsWith('(idle)')).reduce((a, [, v]) => a + v, 0);
  const busy = total - idle;
  const rows = [...self].filter(([k]) => !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, n);
  return [
    `  busy ${(busy / 1e6).toFixed(2)} s of ${(total / 1e6).toFixed(2)} s sampled`,
    ...rows.map(([k, v]) => `  ${((100 * v) / busy).toFixed(1).padStart(5)} %  ${k}`),
    '  where the top ones come from (nearest application / dependency frames):',
    ...rows.slice(0, callers).flatMap(([k, v]) => [
      `  ${k} (${((100 * v) / busy).toFixed(1)} %)`,
      ...[...via.get(k)!].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([st, t]) => `      ${((100 * t) / v).toFixed(0).padStart(3)} %  ${st || '(no application frame)'}`),
    ]),
  ].join('\n');
}
