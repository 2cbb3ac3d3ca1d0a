/**
 * `npm run bench -- telemetry [--proxies 500] [--batches 20] [--series 200]`: how many series
 * updates one control-plane process ingests per second — the path every proxy's batch takes on
 * arrival, in-process: JSON.parse → ClientMessageSchema → receiver (dedup) → edgesOfBatch → live
 * window + rollup buffer — and the memory it holds afterwards. Peers measured in the same run:
 * JSON.parse alone, and JSON.parse + schema validation (the floor of any ingestion that checks
 * its input). Rollup *writes* to Postgres are not in the loop (one additive upsert per flush
 * interval per replica, however many batches arrived: O(distinct edges per minute)).
 * Target (issue 7): ≥ 100,000 series updates/s with bounded memory.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { ClientMessageSchema } from '@weft/contracts/snapshot';
import { LATENCY_BUCKET_COUNT, type TelemetryBatch } from '@weft/contracts/telemetry';
import { edgesOfBatch } from '../../apps/control-plane/src/telemetry/edges.ts';
import { createLiveWindow } from '../../apps/control-plane/src/telemetry/live-window.ts';
import { createRollupRecorder } from '../../apps/control-plane/src/telemetry/rollup-recorder.ts';
import { createTelemetryReceiver } from '../../apps/control-plane/src/telemetry/receiver.ts';

const { values } = parseArgs({ options: { proxies: { type: 'string', default: '500' }, batches: { type: 'string', default: '20' }, series: { type: 'string', default: '200' }, rounds: { type: 'string', default: '3' } } });
const PROXIES = Number(values.proxies);
const BATCHES = Number(values.batches);
const SERIES = Math.min(230, Number(values.series));
const ROUNDS = Math.max(1, Number(values.rounds));

/** One proxy's batch: `SERIES` series over 100 destination services (of 2,000) and its callers. */
function batch(proxy: number, seq: number, now: number): string {
  const workloads = Array.from({ length: 101 }, (_, i) => ({ service: i === 0 ? `svc-${proxy % 2000}` : `svc-${(proxy * 7 + i * 13) % 2000}`, namespace: `ns-${i % 10}`, version: 'v1' }));
  const series = Array.from({ length: SERIES }, (_, i) => {
    const requests = 10 + (i % 50);
    const counts = Array<number>(LATENCY_BUCKET_COUNT).fill(0);
    counts[3] = requests - 1;
    counts[6] = 1;
    return { direction: i % 2 === 0 ? 'outbound' : 'inbound', source: i % 2 === 0 ? 0 : 1 + (i % 100), destination: i % 2 === 0 ? 1 + (i % 100) : 0, route: '', status: i % 17 === 0 ? '5xx' : '2xx', mtls: true, requests, errors: i % 17 === 0 ? requests : 0, latency: { counts, sumMs: requests * 3 } } as const;
  });
  const b: TelemetryBatch = { proxyId: `proxy-${proxy}`, runId: (proxy + 1).toString(16).padStart(16, '0'), seq, window: { startMs: now - 5_000, endMs: now }, workloads, series: series as unknown as TelemetryBatch['series'], spans: [], dropped: { series: 0, spans: 0, batches: 0 } };
  return JSON.stringify({ type: 'telemetry', batch: b });
}

const now = Date.now();
const messages: string[] = [];
for (let s = 0; s < BATCHES; s++) for (let p = 0; p < PROXIES; p++) messages.push(batch(p, s, now));
const updates = messages.length * SERIES;
global.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const mib = (n: number) => (n / 1024 / 1024).toFixed(1);

type Case = { name: string; run: () => void };
function pipeline() {
  const window = createLiveWindow();
  let rows = 0;
  const rollups = createRollupRecorder({ repo: { add: async (r) => void (rows += r.length) }, flushMs: 3_600_000 });
  const receiver = createTelemetryReceiver({
    onBatch: (b) => {
      for (const edge of edgesOfBatch(b)) {
        window.add(b.window.endMs, edge);
        rollups.record(b.window.endMs, edge);
      }
    },
  });
  return { window, rollups, receiver, rows: () => rows };
}
let last: ReturnType<typeof pipeline> | undefined;
const cases: Case[] = [
  { name: 'JSON.parse only (peer: the floor)', run: () => messages.forEach((m) => JSON.parse(m)) },
  { name: 'JSON.parse + ClientMessageSchema (peer)', run: () => messages.forEach((m) => ClientMessageSchema.parse(JSON.parse(m))) },
  {
    name: 'full ingestion (weft)',
    run: () => {
      // The previous round's recorder holds its buffer through its timer: stop it so it can go.
      void last?.rollups.stop();
      last = pipeline();
      for (const m of messages) {
        const msg = ClientMessageSchema.parse(JSON.parse(m));
        if (msg.type === 'telemetry') last.receiver.accept(msg.batch);
      }
    },
  },
];

console.log(`bench/telemetry: ${new Date().toISOString()}, ${os.cpus().length} vCPU (${os.cpus()[0]?.model.trim()}), Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`${PROXIES} proxies × ${BATCHES} batches × ${SERIES} series = ${updates.toLocaleString('en-US')} series updates (${mib(messages.reduce((n, m) => n + m.length, 0))} MiB of JSON); median of ${ROUNDS} rounds\n`);
const results: Array<{ name: string; perSecond: number }> = [];
for (const c of cases) {
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const started = performance.now();
    c.run();
    times.push(performance.now() - started);
  }
  const ms = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  results.push({ name: c.name, perSecond: (updates / ms) * 1000 });
}
const floor = results[0]!.perSecond;
for (const r of results) console.log(`${r.name.padEnd(42)} ${Math.round(r.perSecond).toLocaleString('en-US').padStart(12)} series updates/s   ${(r.perSecond / floor).toFixed(2)}× JSON.parse`);
global.gc?.();
const heap = process.memoryUsage();
const weft = results[2]!.perSecond;
console.log(`\nheld after ingestion: live window ${last!.window.stats().edges.toLocaleString('en-US')} edges (capped at 20,000 + other), heap ${mib(heap.heapUsed - heapBefore)} MiB more than before ingesting (window, rollup buffer, receiver), RSS ${mib(heap.rss)} MiB with the input JSON`);
console.log(`target ≥ 100,000 series updates/s: ${Math.round(weft).toLocaleString('en-US')} → ${weft >= 100_000 ? 'pass' : 'FAIL'}`);
await last!.rollups.stop();
