/**
 * bench/propagation — how long a route change takes to reach every proxy, and what it costs.
 *
 * Two control-plane replicas (A, B) on one fresh PostgreSQL database; N simulated proxies (the
 * real stream protocol), half on each replica, in 2 worker processes; S services × 2 versions,
 * every workload depending on the shared service `auth` + 2 others (topology.ts). For each N:
 *   registration   time until all N are welcomed, hold a snapshot, and the fleet is quiet
 *   propagation    K changes to auth's HTTPRoute, alternately through A and B: from just before
 *                  the PUT to each proxy's receipt (all N must get it), plus the ledger's send and
 *                  ACK times; CPU seconds and peak RSS of both replicas over the K changes
 *   unrelated      a change to a service no measured proxy depends on: they must receive nothing
 * A floor run first (2 proxies, 1 service) measures the fixed cost of one change in the same
 * run; each N prints as a ratio to it, and the last N to the first.
 *
 *   npm run bench -- propagation [--proxies 1000,5000] [--changes 5] [--services 50]
 *        [--log-level warn|debug] [--client simulated|lean] [--concurrency 32] [--change-timeout 60]
 *        [--cp-env KEY=VALUE …]
 *
 * With `--log-level debug` each change also shows, per replica, when its compile ran and how long
 * it took (the replicas' 'compiled snapshots' log lines). Exit code 1 when a check or target fails.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { ephemeralPorts, openFilesLimit } from './proc.ts';
import { int, ms, ratio, secs, spread, table } from './report.ts';
import { abortRun, runScale, type ScaleOptions, type ScaleResult } from './scale-run.ts';

const { values } = parseArgs({
  options: {
    proxies: { type: 'string', default: '1000,5000' },
    changes: { type: 'string', default: '5' },
    services: { type: 'string', default: '50' },
    'log-level': { type: 'string', default: 'warn' },
    concurrency: { type: 'string', default: '32' },
    'change-timeout': { type: 'string', default: '60' },
    'cp-env': { type: 'string', multiple: true, default: [] },
    client: { type: 'string', default: 'simulated' },
  },
});

function positive(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`bench/propagation: --${name} must be a positive integer (got '${text}')`);
    process.exit(2);
  }
  return n;
}

const sizes = values.proxies.split(',').map((s) => positive('proxies', s.trim()));
const services = positive('services', values.services);
const changes = positive('changes', values.changes);
const cpEnv = Object.fromEntries(
  values['cp-env'].map((kv) => {
    const at = kv.indexOf('=');
    if (at < 1) {
      console.error(`bench/propagation: --cp-env takes KEY=VALUE (got '${kv}')`);
      process.exit(2);
    }
    return [kv.slice(0, at), kv.slice(at + 1)];
  }),
);
if (values.client !== 'simulated' && values.client !== 'lean') {
  console.error(`bench/propagation: --client is simulated or lean (got '${values.client}')`);
  process.exit(2);
}
const client: 'simulated' | 'lean' = values.client;
/** Targets from the issue: p99 propagation at 1,000 and 5,000 proxies. */
const TARGETS: Record<number, number> = { 1000: 1_000, 5000: 3_000 };

// ── preflight: enough descriptors and ports for the largest fleet ─────────────────────────────
{
  const largest = Math.max(...sizes);
  // Each replica and each fleet worker holds half the streams, plus database pools, logs, modules.
  const perProcess = Math.ceil(largest / 2) + 1_024;
  const limit = openFilesLimit();
  if (limit < perProcess) {
    console.error(
      `bench/propagation: the open-files limit is ${limit}, but ${int(largest)} proxies need about ${int(perProcess)} descriptors in each ` +
        `control-plane replica and fleet worker (half the streams each, plus headroom).\n` +
        `Raise it in this shell (ulimit -n ${Math.max(20_000, perProcess)}) or run fewer proxies (--proxies).`,
    );
    process.exit(2);
  }
  const ports = ephemeralPorts();
  if (largest + 1_000 > ports) {
    console.error(`bench/propagation: ${int(largest)} loopback connections need local ports, and only ${int(ports)} are in net.ipv4.ip_local_port_range.`);
    process.exit(2);
  }
}

const log = (line: string) => console.log(line);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\nbench/propagation: ${signal}: tearing down…`);
    void abortRun().finally(() => process.exit(130));
  });
}

const common = { client, services, changes, logLevel: values['log-level'], cpEnv, concurrency: positive('concurrency', values.concurrency), changeTimeoutMs: positive('change-timeout', values['change-timeout']) * 1000 };
const runs: ScaleOptions[] = [
  { ...common, label: 'floor', proxies: 2, services: 1 },
  ...sizes.map((n) => ({ ...common, label: `${int(n)} proxies`, proxies: n })),
];

const load = os.loadavg()[0]!;
console.log(`bench/propagation: ${runs.length} runs (${runs.map((r) => r.label).join(', ')}), each on a fresh database and 2 fresh replicas`);
const results: ScaleResult[] = [];
let crashed = false;
for (const run of runs) {
  try {
    results.push(await runScale(run, log));
  } catch (err) {
    crashed = true;
    console.error(`\nbench/propagation: the ${run.label} run failed: ${(err as Error).stack ?? err}`);
    break;
  }
}

// ── report ────────────────────────────────────────────────────────────────────────────────────
const cpu = os.cpus();
console.log(`
bench/propagation — a change to the HTTPRoute of the shared service 'auth', from just before the PUT to each proxy's receipt
  mesh:    2 control-plane replicas (A, B) on one PostgreSQL database (${process.env.DATABASE_URL ? 'DATABASE_URL server' : 'embedded server'}); ${services} services × 2 versions;
           every workload depends on auth + 2 others; half the proxies stream from A, half from B; changes alternate A/B
  proxies: ${client === 'simulated'
    ? `simulated (apps/control-plane/src/distribution/testing/simulated-proxy.ts) in 2 worker processes, one per replica,
           snapshot validation off: the bench measures the control plane, not the client's schema check
           (each still JSON-parses every snapshot, on the same cores as the replicas; --client lean does not)`
    : `lean clients (bench/propagation/lean-proxy.ts) in 2 worker processes, one per replica: the stream protocol,
           but a snapshot's version is read from the frame's head, not parsed — the client's CPU is nearly out of the way`}
  clock:   performance.timeOrigin + performance.now() (epoch ms, sub-ms) in every process; the replicas' ledger uses Date (whole ms);
           worker clock offsets (IPC round trip): ${results[0]?.clockOffsets.map((c) => `${c.offsetMs >= 0 ? '+' : ''}${c.offsetMs.toFixed(2)} ± ${c.uncertaintyMs.toFixed(2)} ms`).join(', ') ?? '—'}
  machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}; load average before start ${load.toFixed(2)}${load > 0.5 ? ' (other work shared these cores)' : ''}
  replicas: WEFT_LOG_LEVEL=${common.logLevel}${Object.entries(cpEnv).map(([k, v]) => ` ${k}=${v}`).join('')}${cpEnv.WEFT_COMPILE_DEBOUNCE ? '' : ' (compile debounce: default 20 ms)'}`);

const failures: string[] = [];
for (const r of results) {
  const N = r.options.proxies;
  console.log(`\n${r.options.label}: ${int(N)} measured proxies (+${r.total - N} bystanders), ${r.options.services} service(s)` +
    `${r.snapshotBytes ? `, snapshot ≈ ${(r.snapshotBytes / 1024).toFixed(1)} KiB` : ''}`);
  console.log(`  registration: all welcomed ${secs(r.registration.welcomedMs / 1000)} s, all with a snapshot ${secs(r.registration.firstSnapshotMs / 1000)} s, ` +
    `quiet ${secs(r.registration.settledMs / 1000)} s; ${int(r.registration.snapshots)} snapshots pushed meanwhile; peak RSS A/B ${r.registration.rssPeakMiB.map((m) => m.toFixed(0)).join('/')} MiB`);
  const retried = r.registration.retries.reduce((sum, [, n]) => sum + n, 0);
  if (retried > 0) {
    console.log(`  registration: ${int(retried)} handshakes failed and were retried (as a proxy would, after 0.5–1 s):`);
    for (const [why, n] of r.registration.retries.slice(0, 5)) console.log(`    ${int(n)} × ${why}`);
  }
  if (r.replicaWarnings.length > 0) {
    console.log(`  the replicas logged ${int(r.replicaWarnings.reduce((sum, [, n]) => sum + n, 0))} warnings/errors:`);
    for (const [what, n] of r.replicaWarnings.slice(0, 5)) console.log(`    ${int(n)} × ${what}`);
  }
  const debug = r.changes.some((c) => c.traces.some((t) => t.compileMs !== undefined));
  // sent / ACK: the ledger's times (server clock, whole ms) of the send and of the ACK's arrival.
  const header = ['change', 'via', 'PUT ms', 'received', 'p50 ms', 'p99 ms', 'max ms', 'repeats', 'sent p50/p99', 'ACK p50/p99'];
  if (debug) header.push('A compile @start+ms', 'B compile @start+ms', 'PUT server ms');
  const rows = r.changes.map((c, i) => {
    const s = spread(c.received);
    const sent = spread(c.ledgerSent);
    const acked = spread(c.ledgerAcked);
    const row = [`${i + 1} (${c.weights.join('/')})`, c.via, ms(c.putMs), `${c.received.length}/${N}`, ms(s.p50), ms(s.p99), ms(s.max), String(c.repeats), `${ms(sent.p50)}/${ms(sent.p99)}`, `${ms(acked.p50)}/${ms(acked.p99)} (${acked.n})`];
    if (debug) {
      const at = (t: (typeof c.traces)[0]) => (t.compileMs === undefined ? '—' : `@${ms(t.compileStartMs)}+${ms(t.compileMs)} (${t.rebuilt}/${t.groups})`);
      row.push(at(c.traces[0]), at(c.traces[1]), ms(c.traces[c.via === 'A' ? 0 : 1].putMs));
    }
    return row;
  });
  console.log(table(header, rows).replace(/^/gm, '  '));
  const short = r.changes.filter((c) => c.ledgerAcked.length < N);
  if (short.length > 0) {
    console.log(`  ledger: ${short.map((c) => `${int(c.ledgerAcked.length)}`).join(', ')} of ${int(N)} ACKs recorded for change(s) ` +
      `${short.map((c) => r.changes.indexOf(c) + 1).join(', ')} 5 s later, though every proxy ACKed — a ledger write failed and its batch was dropped (see the warnings above)`);
  }
  const m = r.measure;
  const used = m.cpuSeconds.A + m.cpuSeconds.B + m.cpuSeconds.postgres + m.cpuSeconds.fleet;
  console.log(`  during the ${r.changes.length} changes (${secs(m.wallMs / 1000)} s wall): CPU s A ${secs(m.cpuSeconds.A, 2)}, B ${secs(m.cpuSeconds.B, 2)}, ` +
    `PostgreSQL ${secs(m.cpuSeconds.postgres, 2)}, fleet workers ${secs(m.cpuSeconds.fleet, 2)} (${((used / (m.wallMs / 1000) / os.cpus().length) * 100).toFixed(0)}% of ${os.cpus().length} cores); ` +
    `peak RSS A/B ${m.rssPeakMiB.map((x) => x.toFixed(0)).join('/')} MiB (since start ${m.rssHwmMiB.map((x) => x.toFixed(0)).join('/')})`);
  const u = r.unrelated;
  if (u) {
    const ok = u.fleetReceipts === 0;
    console.log(`  unrelated change (HTTPRoute ${'island'}, which no measured proxy depends on): ` +
      (ok ? `0 snapshots to ${int(N)} unaffected proxies` : `FAIL: ${int(u.fleetReceipts)} snapshots to ${int(u.fleetProxies)} of ${int(N)} unaffected proxies`) +
      `; island's own 2 proxies (dependencies: []) got ${u.islandReceipts}; the witness that calls island got it ${u.witnessMs === undefined ? 'NOT AT ALL' : `after ${ms(u.witnessMs)} ms`}` +
      `${u.blastRadius !== undefined ? `; dry-run blast radius ${u.blastRadius} proxy(ies)` : ''}`);
    if (!ok) failures.push(`${r.options.label}: unrelated change reached ${u.fleetProxies} unaffected proxies`);
    if (u.witnessMs === undefined) failures.push(`${r.options.label}: the unrelated change never reached its witness (was it applied? PUT ${u.putStatus})`);
  }
  for (const e of r.errors) failures.push(`${r.options.label}: ${e}`);
}

const all = (r: ScaleResult) => r.changes.flatMap((c) => c.received);
const floor = results[0];
const floorSpread = floor ? spread(all(floor)) : undefined;
const summaryRows = results.map((r) => {
  const N = r.options.proxies;
  const s = spread(all(r));
  const expected = N * r.changes.length;
  const target = TARGETS[N];
  const verdict = target === undefined ? '—' : s.p99 <= target && s.n === expected && r.changes.length === r.options.changes ? 'PASS' : 'FAIL';
  if (verdict === 'FAIL') failures.push(`${r.options.label}: p99 ${ms(s.p99)} ms, target ${target} ms (${s.n}/${expected} receipts)`);
  return [
    r.options.label,
    int(N),
    secs(r.registration.firstSnapshotMs / 1000),
    ms(s.p50),
    ms(s.p99),
    ms(s.max),
    `${int(s.n)}/${int(expected)}`,
    r === floor || !floorSpread ? '1.0×' : ratio(s.p99, floorSpread.p99),
    secs(r.measure.cpuSeconds.A, 2),
    secs(r.measure.cpuSeconds.B, 2),
    secs(r.measure.cpuSeconds.postgres, 2),
    r.measure.rssPeakMiB.map((x) => x.toFixed(0)).join('/'),
    target === undefined ? '—' : `≤ ${target}`,
    verdict,
  ];
});
console.log(`\nsummary — propagation over all ${changes} changes per run (registration = until every proxy had a snapshot; CPU over the measured changes)\n`);
console.log(
  table(['case', 'proxies', 'register s', 'p50 ms', 'p99 ms', 'max ms', 'received', 'p99 vs floor', 'CPU A s', 'CPU B s', 'CPU pg s', 'RSS A/B MiB', 'target p99', 'result'], summaryRows),
);
if (results.length >= 3) {
  const first = results[1]!;
  const last = results.at(-1)!;
  const a = spread(all(first));
  const b = spread(all(last));
  const cpuOf = (r: ScaleResult) => r.measure.cpuSeconds.A + r.measure.cpuSeconds.B;
  console.log(`\n${last.options.label} vs ${first.options.label} (${ratio(last.options.proxies, first.options.proxies)} proxies): ` +
    `p50 ${ratio(b.p50, a.p50)}, p99 ${ratio(b.p99, a.p99)}, replica CPU ${ratio(cpuOf(last), cpuOf(first))}, registration ${ratio(last.registration.firstSnapshotMs, first.registration.firstSnapshotMs)}`);
}
if (floorSpread) console.log(`floor (2 proxies): p50 ${ms(floorSpread.p50)} ms — the fixed cost of one change (PUT, NOTIFY, debounce, compile, send) on this machine now`);

if (crashed) failures.push('a run did not finish (see above)');
if (failures.length > 0) {
  console.log(`\nFAILED:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
  process.exit(1);
}
console.log('\nall checks passed');
