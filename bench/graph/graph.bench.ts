/**
 * `npm run bench -- graph [--services 500] [--edges 2000] [--rounds 5]`: the console's topology
 * graph on a generated mesh, in Debian's Chromium (Playwright, headless). Prints the time to first
 * render (build the elements, add them, lay them out, first frame) and to apply a live update (a
 * new answer with 10 % of the edges' numbers changed, applied as a diff), the median of rounds,
 * against a baseline measured in the same run: replacing every element on each update. Targets
 * (issue 7): first render ≤ 2 s, update ≤ 200 ms, with 500 services and 2,000 edges.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { build } from 'rolldown';
import type { Topology, TopologyEdge } from '../../apps/web/src/features/topology/graph-model.ts';

const { values } = parseArgs({ options: { services: { type: 'string', default: '500' }, edges: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '5' } } });
const SERVICES = Number(values.services);
const EDGES = Number(values.edges);
const ROUNDS = Math.max(1, Number(values.rounds));

/** Deterministic pseudo-random numbers (mulberry32), so every run draws the same mesh. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateTopology(services: number, edges: number, seed = 42): Topology {
  const rnd = random(seed);
  const nodes = Array.from({ length: services }, (_, i) => {
    const namespace = `ns-${i % 10}`;
    const versions = Array.from({ length: 1 + Math.floor(rnd() * 3) }, (_, v) => ({ version: `v${v + 1}`, requests: Math.floor(rnd() * 10_000), errors: Math.floor(rnd() * 50) }));
    return { id: `${namespace}/svc-${i}`, namespace, service: `svc-${i}`, versions };
  });
  const list: TopologyEdge[] = [];
  const seen = new Set<string>();
  while (list.length < edges) {
    const s = nodes[Math.floor(rnd() * nodes.length)]!;
    const t = nodes[Math.floor(rnd() * nodes.length)]!;
    const tv = t.versions[Math.floor(rnd() * t.versions.length)]!.version;
    const key = `${s.id}>${t.id}/${tv}`;
    if (s === t || seen.has(key)) continue;
    seen.add(key);
    const rps = rnd() * 500;
    list.push({ source: s.id, target: t.id, sourceVersion: s.versions[0]!.version, targetVersion: tv, requests: Math.round(rps * 60), rps, errorRate: rnd() < 0.1 ? rnd() * 0.2 : 0, p50Ms: 1 + rnd() * 5, p95Ms: 5 + rnd() * 20, p99Ms: 10 + rnd() * 90, mtlsShare: 1 });
  }
  return { nodes, edges: list };
}

/** The same mesh a few seconds later: 10 % of the edges carry other numbers. */
function liveUpdate(t: Topology, round: number): Topology {
  const rnd = random(1000 + round);
  return { nodes: t.nodes, edges: t.edges.map((e) => (rnd() < 0.1 ? { ...e, rps: e.rps * (0.5 + rnd()), errorRate: rnd() < 0.2 ? rnd() * 0.1 : e.errorRate } : e)) };
}

/** What page-entry.ts puts on the page's globalThis (page.evaluate runs these lines in the page: no closures). */
interface WeftGraph {
  render(t: Topology, webgl: boolean): Promise<{ ms: number; nodes: number; edges: number; webgl: boolean }>;
  update(t: Topology): Promise<{ ms: number; buildMs: number; applyMs: number }>;
  replaceAll(t: Topology): Promise<{ ms: number }>;
  /** What the console decides here (webgl-support.ts): WebGL only on a GPU. */
  accelerated(): boolean;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = mkdtempSync(path.join(os.tmpdir(), 'weft-bench-graph-'));
const bundle = path.join(dir, 'graph.js');
await build({ input: path.join(import.meta.dirname, 'page-entry.ts'), platform: 'browser', output: { file: bundle, format: 'iife', minify: true }, logLevel: 'warn' });

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  // No GPU here: WebGL runs on SwiftShader (software GL). The 2D canvas is rasterised by Skia on
  // the CPU instead of through SwiftShader too, as a browser without GPU acceleration would: the
  // emulated GPU path is several times slower than either a real GPU or the CPU raster.
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--enable-unsafe-swiftshader', '--disable-accelerated-2d-canvas'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.setContent('<!doctype html><html><body style="margin:0"><div id="graph" style="width:1280px;height:800px"></div></body></html>');
  await page.addScriptTag({ content: readFileSync(bundle, 'utf8') });
  const topology = generateTopology(SERVICES, EDGES);
  console.log(`bench/graph: ${new Date().toISOString()}, ${os.cpus().length} vCPU, Chromium ${browser.version()} headless`);
  console.log(`generated mesh: ${SERVICES} services in 10 namespaces, ${topology.nodes.reduce((n, s) => n + s.versions.length, 0)} versions, ${EDGES} edges; median of ${ROUNDS} rounds`);
  const accelerated = await page.evaluate(() => (globalThis as unknown as { weftGraph: WeftGraph }).weftGraph.accelerated());
  console.log(`the console here draws this graph with ${accelerated ? 'WebGL (hardware-accelerated)' : 'the 2D canvas (WebGL is software-rendered here)'}\n`);
  for (const webgl of [true, false]) {
    const renders: number[] = [];
    const updates: number[] = [];
    const parts = { build: [] as number[], apply: [] as number[] };
    const replaces: number[] = [];
    let info = { nodes: 0, edges: 0, webgl: false };
    for (let round = 0; round < ROUNDS; round++) {
      const r = await page.evaluate(([t, w]) => (globalThis as unknown as { weftGraph: WeftGraph }).weftGraph.render(t, w), [topology, webgl] as const);
      info = r;
      renders.push(r.ms);
      const u = await page.evaluate((t) => (globalThis as unknown as { weftGraph: WeftGraph }).weftGraph.update(t), liveUpdate(topology, round));
      updates.push(u.ms);
      parts.build.push(u.buildMs);
      parts.apply.push(u.applyMs);
      replaces.push((await page.evaluate((t) => (globalThis as unknown as { weftGraph: WeftGraph }).weftGraph.replaceAll(t), liveUpdate(topology, round + 100))).ms);
    }
    const renderer = info.webgl ? 'WebGL' : webgl ? 'canvas (no WebGL in this browser)' : 'canvas 2D';
    console.log(`${renderer}: ${info.nodes} nodes, ${info.edges} edges drawn`);
    console.log(`  first render            ${median(renders).toFixed(0).padStart(6)} ms   target ≤ 2000   ${median(renders) <= 2000 ? 'pass' : 'FAIL'}`);
    console.log(`  live update (diff)      ${median(updates).toFixed(0).padStart(6)} ms   target ≤ 200    ${median(updates) <= 200 ? 'pass' : 'FAIL'}   (elements ${median(parts.build).toFixed(0)} ms, apply ${median(parts.apply).toFixed(0)} ms, the rest drawing)`);
    console.log(`  baseline: replace all   ${median(replaces).toFixed(0).padStart(6)} ms   diff is ${(median(replaces) / median(updates)).toFixed(1)}× faster\n`);
  }
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
