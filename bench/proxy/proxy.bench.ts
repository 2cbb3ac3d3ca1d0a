/**
 * bench/proxy — what a proxy costs on the request path, weft-proxy against its peers.
 *
 * One run, one upstream (a bare node:http server answering a 36-byte JSON body, keep-alive, in
 * its own process) and one load generator (autocannon in its own process, keep-alive), measures:
 *   direct            client → upstream (the floor)
 *   weft 1 hop        client → the upstream's weft-proxy inbound listener → upstream
 *   weft 2 hops       client → caller's weft-proxy outbound listener (HTTP_PROXY style,
 *                     `GET http://upstream/`) → upstream's inbound listener → upstream:
 *                     the mesh path between two services
 *   @fastify/http-proxy, http-proxy (keep-alive agent), nginx (1 worker; when installed)
 *   minimal           minimal-proxy.mjs: node:http server → node:http client, nothing else (what Node
 *                     itself allows: the ceiling of req/s and the floor of RSS for a Node proxy)
 * The weft proxies are real: a control plane on a throwaway database, registered proxies,
 * configuration from the snapshot stream.
 *
 * Per case: a warm-up; then `--rounds` (default 3) rounds, interleaved over the cases, of as many
 * requests as `--connections` can push for `--duration` s (the median round's req/s, ratio to
 * direct, p50/p99); then a fixed `--rate` (default 1,000 rps, 10 connections)
 * for `--duration` s: p50 and the p50 added over direct at that rate, CPU (utime+stime from /proc
 * of the proxy process(es), as vCPU per 1,000 rps) and peak RSS (VmRSS sampled every 100 ms
 * during both loads). Then the targets of issue 5, pass/fail. Exit code 1 when a target fails.
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench -- proxy \
 *     [--duration 10] [--connections 50] [--rate 1000] [--warmup 2] [--rounds 3] [--only direct,weft,fastify]
 *     [--profile]   (weft proxies run with --cpu-prof: prints their top self-time functions;
 *                    profiling slows them, so do not read that run's numbers as results)
 *     [--weft-node-flags='--max-semi-space-size=2']   (node flags for the weft proxies instead of
 *                    the recommended ones, WEFT_PROXY_NODE_FLAGS in procs.ts; '' for none)
 *     [--weft-source]  (run the TypeScript sources instead of the bundle apps/proxy/dist/weft-proxy.mjs)
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { startMesh, type Mesh } from '../../tests/mesh/harness.ts';
import type { LoadSpec } from './load-worker.ts';
import { hwmMiB, loadAverage, rssMiB } from './proc.ts';
import { topSelfTime } from './profile.ts';
import { buildWeftProxy, runLoad, spawnMinimalProxy, spawnNginx, spawnServer, spawnWeftProxy, stopAll, WEFT_PROXY_NODE_FLAGS, type Measured, type WeftProxy } from './procs.ts';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    rate: { type: 'string', default: '1000' },
    warmup: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '3' },
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
    'weft-node-flags': { type: 'string' },
    'weft-source': { type: 'boolean', default: false },
  },
});
const opts = { duration: Number(values.duration), connections: Number(values.connections), rate: Number(values.rate), warmup: Number(values.warmup), rounds: Math.max(1, Number(values.rounds)) };
const only = values.only ? new Set(values.only.split(',')) : undefined;
const want = (key: string) => !only || only.has(key) || key === 'direct';

interface Case {
  key: string;
  name: string;
  url: string;
  path: string;
  headers?: Record<string, string>;
  /** Client certificate for an mTLS listener. */
  tls?: { cert: string; key: string };
  /** The proxy process(es) whose CPU and memory count, with a label each. */
  procs: () => Array<{ label: string; pid: number }>;
}

interface Row {
  c: Case;
  /** The full-speed run with the median req/s of the rounds. */
  max: Measured;
  /** req/s of every round, in order. */
  rates: number[];
  fixed: Measured;
  labels: string[];
  hwm: number[];
  /** VmRSS before this case's first load. */
  idleRss: number[];
}

const startedAt = new Date();
const machine = {
  nproc: spawnSync('nproc', { encoding: 'utf8' }).stdout.trim(),
  memMiB: Math.round(os.totalmem() / 2 ** 20),
  cpu: os.cpus()[0]?.model ?? '?',
  node: process.version,
  load: loadAverage(),
};

const cleanups: Array<() => Promise<void>> = [];
let cleaningUp: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaningUp ??= (async () => {
    for (const fn of cleanups.reverse()) await fn().catch((err) => console.error(`cleanup: ${(err as Error).message}`));
    await stopAll();
  })();
  return cleaningUp;
}
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void cleanup().finally(() => process.exit(130)));

const rows: Row[] = [];
let exitCode: number;
try {
  console.log(`bench/proxy: ${startedAt.toISOString()}, ${machine.nproc} vCPU (${machine.cpu}), ${machine.memMiB} MiB, Node ${machine.node}`);
  console.log(`load average at start: ${machine.load}`);
  console.log(`${opts.connections} connections × ${opts.duration} s at full speed, then ${opts.rate} rps (10 connections) × ${opts.duration} s; warm-up ${opts.warmup} s\n`);

  const upstream = await spawnServer('upstream');
  cleanups.push(upstream.stop);
  const origin = (port: number) => `http://127.0.0.1:${port}`;
  const cases: Case[] = [{ key: 'direct', name: 'direct (client → upstream)', url: origin(upstream.port), path: '/', procs: () => [] }];

  // weft: a real control plane, the upstream's proxy (inbound) and a caller's proxy (outbound).
  let weft: { mesh: Mesh; server: WeftProxy; caller: WeftProxy; profDir?: string } | undefined;
  if (want('weft')) {
    const mesh = await startMesh({ namespace: 'bench' });
    cleanups.push(() => mesh.stop());
    const profDir = values.profile ? mkdtempSync(path.join(os.tmpdir(), 'weft-bench-prof-')) : undefined;
    const flags = values['weft-node-flags'] === undefined ? WEFT_PROXY_NODE_FLAGS : values['weft-node-flags'].split(/\s+/).filter(Boolean);
    const nodeFlags = [...(profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : []), ...flags];
    const entry = values['weft-source'] ? 'source' : 'bundle';
    if (entry === 'bundle') buildWeftProxy();
    console.log(`weft-proxy: ${entry === 'bundle' ? 'apps/proxy/dist/weft-proxy.mjs' : 'apps/proxy/src/main.ts (type stripping)'}, node flags: ${nodeFlags.join(' ') || '(none)'}`);
    const common = { controlPlane: mesh.cps[0]!.url, token: mesh.token, namespace: 'bench', nodeFlags, entry } as const;
    const server = await spawnWeftProxy({ ...common, service: 'upstream', appPort: upstream.port, dependencies: [] });
    cleanups.push(server.stop);
    // The caller's own app is never called in this bench; its proxy needs one to register.
    const caller = await spawnWeftProxy({ ...common, service: 'caller', appPort: upstream.port, dependencies: ['upstream'] });
    cleanups.push(caller.stop);
    await Promise.all([server.ready(), caller.ready()]);
    // The caller's snapshot must list the upstream's endpoint before the two-hop path answers 200.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const status = await fetchViaProxy(caller.ports.outbound, 'http://upstream/');
      if (status === 200) break;
      if (Date.now() > deadline) throw new Error(`two-hop path never answered 200 (last ${status}):\n${caller.output()}\n${server.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    weft = { mesh, server, caller, profDir };
    // The upstream service accepts plain text too (PERMISSIVE), so one hop is measured with and
    // without mTLS in the same run; the load generator presents a workload certificate of its own
    // (a third proxy's, taken from its state dir) for the mTLS case.
    await mesh.apply({ kind: 'Service', metadata: { name: 'upstream' }, spec: { ports: [{ name: 'http', port: 80 }], mtls: { mode: 'PERMISSIVE' } } });
    const client = await spawnWeftProxy({ ...common, service: 'bench-client', appPort: upstream.port, dependencies: [] });
    await client.ready();
    const issued = JSON.parse(readFileSync(path.join(client.stateDir, 'workload-certificate.json'), 'utf8')) as { certificateChain: string[] };
    const clientTls = { cert: issued.certificateChain.join('\n'), key: readFileSync(path.join(client.stateDir, 'workload-key.pem'), 'utf8') };
    await client.stop();
    for (const deadline = Date.now() + 15_000; (await fetchViaProxy(server.ports.inbound, 'http://upstream/')) !== 200; ) {
      if (Date.now() > deadline) throw new Error(`the upstream's inbound never accepted plain text (PERMISSIVE):\n${server.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    cases.push({ key: 'weft', name: 'weft-proxy 1 hop (inbound, plain text)', url: origin(server.ports.inbound), path: '/', procs: () => [{ label: 'inbound', pid: server.pid }] });
    cases.push({ key: 'weft', name: 'weft-proxy 1 hop (inbound, mTLS)', url: `https://127.0.0.1:${server.ports.inbound}`, path: '/', tls: clientTls, procs: () => [{ label: 'inbound', pid: server.pid }] });
    cases.push({
      key: 'weft',
      name: 'weft-proxy 2 hops (outbound → mTLS → inbound)',
      url: origin(caller.ports.outbound),
      path: 'http://upstream/',
      headers: { host: 'upstream' },
      procs: () => [
        { label: 'outbound', pid: caller.pid },
        { label: 'inbound', pid: server.pid },
      ],
    });
  }

  type PeerStart = () => Promise<{ port: number; pids: () => number[]; stop: () => Promise<void> } | undefined>;
  const peers: Array<[string, string, PeerStart]> = [
    ['fastify', '@fastify/http-proxy', async () => {
      const s = await spawnServer('fastify', upstream.port);
      return { port: s.port, pids: () => [s.pid], stop: s.stop };
    }],
    ['http-proxy', 'http-proxy (keep-alive agent)', async () => {
      const s = await spawnServer('http-proxy', upstream.port);
      return { port: s.port, pids: () => [s.pid], stop: s.stop };
    }],
    ['minimal', 'minimal node:http proxy (no features, no deps)', async () => {
      const s = await spawnMinimalProxy(upstream.port);
      return { port: s.port, pids: () => [s.pid], stop: s.stop };
    }],
    ['nginx', 'nginx', async () => {
      const s = await spawnNginx(upstream.port);
      return s && { port: s.port, pids: s.pids, stop: s.stop };
    }],
  ];

  // Every process runs from the start; the full-speed loads go round-robin over the cases,
  // `--rounds` times, and each case keeps its median round: on a small shared machine one run of
  // one case can be off by ±40 % (what else the scheduler ran then), a median of interleaved
  // rounds much less so.
  const notes: string[] = [];
  for (const [key, name, start] of peers) {
    if (!want(key)) continue;
    const p = await start();
    if (!p) {
      notes.push(`${name}: not installed, skipped (apt-get install -y nginx to include it)`);
      continue;
    }
    cleanups.push(p.stop);
    cases.push({ key, name: `${name}${key === 'nginx' ? ` ${spawnSync('nginx', ['-v'], { encoding: 'utf8' }).stderr.trim().replace(/^nginx version: nginx\//, '')}, 1 worker` : ''}`, url: origin(p.port), path: '/', procs: () => p.pids().map((pid, i) => ({ label: i === 0 ? (key === 'nginx' ? 'master' : 'proxy') : 'worker', pid })) });
  }
  const spec = (c: Case): LoadSpec => ({ url: c.url, path: c.path, ...(c.headers ? { headers: c.headers } : {}), ...(c.tls ? { tls: c.tls } : {}), connections: opts.connections, duration: opts.duration });
  const idle = new Map<Case, number[]>();
  const runs = new Map<Case, Measured[]>(cases.map((c) => [c, []]));
  for (const c of cases) {
    idle.set(c, c.procs().map((p) => rssMiB(p.pid)));
    await runLoad({ ...spec(c), duration: opts.warmup }, []);
  }
  for (let round = 1; round <= opts.rounds; round++) {
    process.stdout.write(`round ${round}/${opts.rounds}:`);
    for (const c of cases) {
      const m = await runLoad(spec(c), c.procs().map((p) => p.pid));
      runs.get(c)!.push(m);
      process.stdout.write(` ${c.key} ${m.requestsPerSecond.toFixed(0)}`);
    }
    console.log(` req/s (load ${loadAverage()})`);
  }
  for (const c of cases) {
    process.stdout.write(`at ${opts.rate} rps: ${c.name} … `);
    const procs = c.procs();
    const fixed = await runLoad({ ...spec(c), connections: 10, overallRate: opts.rate }, procs.map((p) => p.pid));
    const all = runs.get(c)!;
    const max = [...all].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[Math.floor(all.length / 2)]!;
    // Peak RSS over every load of the case, not just the median round.
    max.peakRss = max.peakRss.map((_, i) => Math.max(...all.map((m) => m.peakRss[i] ?? 0)));
    rows.push({ c, max, rates: all.map((m) => m.requestsPerSecond), fixed, labels: procs.map((p) => p.label), hwm: procs.map((p) => hwmMiB(p.pid)), idleRss: idle.get(c)! });
    console.log(`p50 ${fixed.p50Ms.toFixed(3)} ms (load ${loadAverage()})`);
  }

  console.log(`\nload average at end: ${loadAverage()}\n`);
  console.log(report(rows, notes));
  exitCode = targets(rows);

  if (weft && values['weft-node-flags'] !== undefined) {
    // Experiments (e.g. --trace-gc): what the proxies printed last.
    for (const [label, p] of [['caller (outbound)', weft.caller], ['upstream (inbound)', weft.server]] as const) {
      console.log(`\nweft-proxy ${label}, last lines of output:\n${p.output().trim().split('\n').slice(-8).join('\n')}`);
    }
  }
  if (weft?.profDir) {
    // Stop the proxies so that --cpu-prof writes its profiles.
    await weft.caller.stop();
    await weft.server.stop();
    for (const [label, dir] of [['all weft-proxy processes', weft.profDir]] as const) {
      for (const f of readdirSync(dir).filter((x) => x.endsWith('.cpuprofile'))) {
        console.log(`\nCPU profile (${label}): ${f}\n${topSelfTime(path.join(dir, f))}`);
      }
    }
    console.log(`\n(profiles kept in ${weft.profDir}; open them in Chrome DevTools)`);
  }
} catch (err) {
  console.error(`\nbench/proxy failed: ${(err as Error).stack ?? err}`);
  exitCode = 2;
} finally {
  await cleanup();
}
process.exit(exitCode);

function fetchViaProxy(port: number, url: string): Promise<number> {
  return import('node:http').then(
    ({ default: http }) =>
      new Promise<number>((resolve) => {
        const req = http.request({ host: '127.0.0.1', port, path: url, headers: { host: new URL(url).host } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', () => resolve(0));
        req.end();
      }),
  );
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
/** CPU seconds per 1,000 requests = vCPU per 1,000 rps. */
function vcpuPer1k(m: Measured, i?: number): number {
  return ((i === undefined ? sum(m.cpu) : m.cpu[i]!) / Math.max(1, m.total)) * 1000;
}
function peakRss(r: Row): number[] {
  return r.labels.map((_, i) => Math.max(r.max.peakRss[i]!, r.fixed.peakRss[i]!));
}

function fmtTable(header: string[], lines: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...lines.map(fmt)].join('\n');
}

function report(rs: Row[], notes: string[]): string {
  const direct = rs[0]!;
  const perProc = (r: Row, xs: number[], digits: number) => (xs.length === 0 ? '—' : xs.length === 1 ? xs[0]!.toFixed(digits) : `${sum(xs).toFixed(digits)} (${xs.map((x, i) => `${r.labels[i]} ${x.toFixed(digits)}`).join(' + ')})`);
  const t1 = fmtTable(
    ['case', 'req/s (median)', 'rounds', 'vs direct', 'p50 ms', 'p99 ms', 'errors'],
    rs.map((r) => [r.c.name, r.max.requestsPerSecond.toFixed(0), r.rates.map((x) => x.toFixed(0)).join(' / '), `${(r.max.requestsPerSecond / direct.max.requestsPerSecond).toFixed(2)}×`, r.max.p50Ms.toFixed(2), r.max.p99Ms.toFixed(2), String(r.max.errors + r.max.non2xx)]),
  );
  const t2 = fmtTable(
    ['case', 'rps', 'p50 ms', 'added p50 ms', 'p99 ms', 'vCPU / 1k rps', 'RSS before MiB', 'peak RSS MiB (sampled)', 'VmHWM MiB', 'errors'],
    rs.map((r) => [
      r.c.name,
      (r.fixed.total / opts.duration).toFixed(0),
      r.fixed.p50Ms.toFixed(3),
      r === direct ? '—' : (r.fixed.p50Ms - direct.fixed.p50Ms).toFixed(3),
      r.fixed.p99Ms.toFixed(3),
      r.labels.length ? perProc(r, r.labels.map((_, i) => vcpuPer1k(r.fixed, i)), 3) : '—',
      perProc(r, r.idleRss, 1),
      perProc(r, peakRss(r), 1),
      perProc(r, r.hwm, 1),
      String(r.fixed.errors + r.fixed.non2xx),
    ]),
  );
  return [
    `Throughput: ${opts.connections} connections, ${opts.duration} s, median of ${opts.rounds} interleaved rounds`,
    t1,
    '',
    `At a fixed ${opts.rate} rps (10 connections, ${opts.duration} s); CPU and RSS of the proxy process(es); peak RSS over both loads`,
    t2,
    ...(notes.length ? ['', ...notes] : []),
  ].join('\n');
}

function targets(rs: Row[]): number {
  const fastify = rs.find((r) => r.c.key === 'fastify');
  const weftRows = rs.filter((r) => r.c.key === 'weft');
  if (weftRows.length === 0) return 0;
  const direct = rs[0]!;
  const lines: string[][] = [];
  let failed = false;
  const check = (what: string, value: string, target: string, ok: boolean | undefined) => {
    if (ok === false) failed = true;
    lines.push([what, value, target, ok === undefined ? 'n/a' : ok ? 'pass' : 'FAIL']);
  };
  for (const r of weftRows) {
    const hops = r.labels.length;
    const tag = hops === 1 ? (r.c.tls ? '1 hop mTLS' : '1 hop') : '2 hops';
    if (fastify) {
      // Per round, then the median: the machine's speed drifts between rounds (other tenants),
      // the two cases of one round saw the same machine.
      const perRound = r.rates.map((x, i) => x / fastify.rates[i]!).sort((a, b) => a - b);
      const ratio = perRound[Math.floor(perRound.length / 2)]!;
      check(`${tag}: throughput vs @fastify/http-proxy (median of rounds ${perRound.map((x) => x.toFixed(2)).join(', ')})`, `${ratio.toFixed(2)}×`, '≥ 1.25×', ratio >= 1.25);
    } else check(`${tag}: throughput vs @fastify/http-proxy`, 'not measured', '≥ 1.25×', undefined);
    r.labels.forEach((label, i) => {
      const v = vcpuPer1k(r.fixed, i);
      check(`${tag}: vCPU per 1,000 rps (${label} proxy)`, v.toFixed(3), '≤ 0.15', v <= 0.15);
    });
    peakRss(r).forEach((v, i) => check(`${tag}: peak RSS under load (${r.labels[i]} proxy)`, `${v.toFixed(1)} MiB`, '≤ 60 MB', v * 1.048576 <= 60));
    const added = r.fixed.p50Ms - direct.fixed.p50Ms;
    check(`${tag}: added p50 at ${opts.rate} rps${hops === 2 ? ' (whole path)' : ''}`, `${added.toFixed(3)} ms`, '≤ 1 ms', added <= 1);
  }
  console.log(`\nTargets (issue 5)\n${fmtTable(['target', 'measured', 'target', 'result'], lines)}`);
  mtlsCost(rs);
  return failed ? 1 : 0;
}

/** Issue 6: what mTLS costs one hop, from the plain and mTLS cases of the same run. */
function mtlsCost(rs: Row[]): void {
  const plain = rs.find((r) => r.c.key === 'weft' && r.labels.length === 1 && !r.c.tls);
  const mtls = rs.find((r) => r.c.key === 'weft' && r.c.tls);
  if (!plain || !mtls) return;
  const perRound = mtls.rates.map((x, i) => x / plain.rates[i]!).sort((a, b) => a - b);
  const lines = [
    ['throughput, mTLS / plain (median of rounds)', `${perRound[Math.floor(perRound.length / 2)]!.toFixed(2)}×`],
    [`vCPU per 1,000 rps at ${opts.rate} rps`, `${vcpuPer1k(plain.fixed, 0).toFixed(3)} → ${vcpuPer1k(mtls.fixed, 0).toFixed(3)} (+${(vcpuPer1k(mtls.fixed, 0) - vcpuPer1k(plain.fixed, 0)).toFixed(3)})`],
    [`p50 at ${opts.rate} rps`, `${plain.fixed.p50Ms.toFixed(3)} → ${mtls.fixed.p50Ms.toFixed(3)} ms (+${(mtls.fixed.p50Ms - plain.fixed.p50Ms).toFixed(3)} ms)`],
    ['peak RSS under load', `${peakRss(plain)[0]!.toFixed(1)} → ${peakRss(mtls)[0]!.toFixed(1)} MiB`],
  ];
  console.log(`\nCost of mTLS on one hop (issue 6; both cases on the same inbound listener, same run)\n${fmtTable(['measure', 'plain → mTLS'], lines)}`);
}
