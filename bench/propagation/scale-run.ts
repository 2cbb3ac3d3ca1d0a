/**
 * One run of bench/propagation at one fleet size, from an empty database to a dropped one:
 *
 *   database + replicas A, B ─▶ team, namespace bench, editor token ─▶ fleet workers connect N (+3)
 *     ─▶ registration: all welcomed, all with a snapshot, quiet ─▶ base routes (auth, island)
 *     ─▶ K changes to auth's HTTPRoute, alternately through A and B: receipt per proxy, ledger
 *        sent/ACK times, CPU and RSS of both replicas ─▶ unrelated change (island's route)
 *     ─▶ teardown (also on failure): streams, workers, replicas, database
 */
import { createTestDatabase } from '@weft/db/testing';
import type pg from 'pg';
import { ADMIN_PASSWORD, ApiClient, connectSql, signIn, startControlPlanes, type ControlPlaneProcess } from '../../apps/control-plane/src/api/testing/http-client.ts';
import { epochNow } from './clock.ts';
import { Fleet } from './fleet.ts';
import { cpuMeter, peakRssMiB, rssSampler } from './proc.ts';
import { int, ms, secs, spread } from './report.ts';
import { ISLAND, ISLAND_PROBE, NAMESPACE, plan, SHARED, splitRoute } from './topology.ts';

export interface ScaleOptions {
  label: string;
  proxies: number;
  services: number;
  changes: number;
  /** WEFT_LOG_LEVEL of both replicas; `debug` adds the compile/request breakdown per change. */
  logLevel: string;
  /** Extra environment for both replicas (e.g. WEFT_COMPILE_DEBOUNCE). */
  cpEnv: Record<string, string>;
  /** Stream handshakes in flight per worker during registration. */
  concurrency: number;
  /** How long one change may take to reach every proxy. */
  changeTimeoutMs: number;
  /** The proxies' client: the control plane's simulated proxy (default) or lean-proxy.ts. */
  client: 'simulated' | 'lean';
}

/** What the replicas' debug log says about one change (times relative to just before the PUT). */
export interface ReplicaTrace {
  /** Server-side handling of the PUT (request log), on the replica that took it. */
  putMs?: number;
  /** First compile after the change: when it started and ended, how long, groups rebuilt/total. */
  compileStartMs?: number;
  compileEndMs?: number;
  compileMs?: number;
  rebuilt?: number;
  groups?: number;
}

export interface ChangeResult {
  via: 'A' | 'B';
  weights: readonly [number, number];
  putStatus: number;
  /** Client's view of the PUT round trip. */
  putMs: number;
  /** Receipt times (ms after just before the PUT) of the measured proxies that got the change. */
  received: number[];
  /** Extra snapshots the measured proxies got for this change (should be 0: one push each). */
  repeats: number;
  /** From the fleet ledger (Proxy table): server send and ACK receipt times, ms after the PUT. */
  ledgerSent: number[];
  ledgerAcked: number[];
  traces: [ReplicaTrace, ReplicaTrace];
}

export interface ScaleResult {
  options: ScaleOptions;
  /** All streams, N plus the island bystanders. */
  total: number;
  clockOffsets: Array<{ offsetMs: number; uncertaintyMs: number }>;
  registration: {
    /** ms after the first connect until every stream was welcomed / every proxy had a snapshot / the last snapshot before 1 s of quiet. */
    welcomedMs: number;
    firstSnapshotMs: number;
    settledMs: number;
    /** Snapshots received during registration (every new endpoint changes its callers' snapshots). */
    snapshots: number;
    rssPeakMiB: [number, number];
    /** Handshakes that failed and were retried (as a proxy would), by reason. */
    retries: Array<[string, number]>;
  };
  changes: ChangeResult[];
  measure: {
    wallMs: number;
    cpuSeconds: { A: number; B: number; postgres: number; fleet: number };
    rssPeakMiB: [number, number];
    /** VmHWM at the end: the peak since each replica started. */
    rssHwmMiB: [number, number];
  };
  snapshotBytes?: number;
  unrelated?: {
    /** Snapshots the N measured proxies received after island's route changed (must be 0). */
    fleetReceipts: number;
    fleetProxies: number;
    islandReceipts: number;
    /** ms until the witness (the one proxy that calls island) got it; undefined: it did not. */
    witnessMs?: number;
    /** The dry run's count of affected proxies. */
    blastRadius?: number;
    putStatus: number;
  };
  /** Problems that make the run invalid (not target misses). */
  errors: string[];
  /** The replicas' warnings and errors over the run, by message, with counts. */
  replicaWarnings: Array<[string, number]>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let abortCurrent: (() => Promise<void>) | undefined;
/** Tears down the run in progress, if any (for SIGINT/SIGTERM). */
export const abortRun = async () => abortCurrent?.();

export async function runScale(opts: ScaleOptions, log: (line: string) => void): Promise<ScaleResult> {
  const planned = plan(opts.proxies, opts.services);
  const total = planned.length;
  const N = opts.proxies;
  const isFleet = (p: { plan: { fleet: boolean } }) => p.plan.fleet;
  const errors: string[] = [];
  const cleanups: Array<() => Promise<unknown>> = [];
  let tornDown = false;
  const teardown = async () => {
    if (tornDown) return;
    tornDown = true;
    for (const c of cleanups.reverse()) await c().catch((err: unknown) => log(`  teardown: ${(err as Error).message}`));
  };
  abortCurrent = teardown;
  let cpsForDiagnosis: ControlPlaneProcess[] = [];

  try {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const env = { WEFT_LOG_LEVEL: opts.logLevel, ...opts.cpEnv };
    const cps = await startControlPlanes(db.url, 2, env);
    cpsForDiagnosis = cps;
    cleanups.push(() => Promise.all(cps.map((cp) => cp.stop())));
    const [A, B] = cps as [ControlPlaneProcess, ControlPlaneProcess];
    const sql = await connectSql(db.url);
    cleanups.push(() => sql.end());

    const admin = await signIn(A.url, 'admin', ADMIN_PASSWORD);
    const team = await admin.post('/api/v1/teams', { name: 'bench-team' });
    if (team.status !== 200) throw new Error(`creating the team failed: ${team.status} ${JSON.stringify(team.body)}`);
    const ns = await admin.put(`/api/v1/namespaces/${NAMESPACE}`, { teamId: team.body.id });
    if (ns.status !== 200) throw new Error(`creating namespace ${NAMESPACE} failed: ${ns.status} ${JSON.stringify(ns.body)}`);
    const created = await admin.post(`/api/v1/teams/${team.body.id}/tokens`, { name: 'bench', role: 'editor' });
    if (created.status !== 200) throw new Error(`creating the editor token failed: ${created.status} ${JSON.stringify(created.body)}`);
    const token: string = created.body.secret;
    const editor = new ApiClient(A.url, { bearer: token });
    const putRoute = (cp: ControlPlaneProcess, service: string, weights: readonly [number, number], dryRun = false) =>
      editor.on(cp.url).put(`/api/v1/namespaces/${NAMESPACE}/httproutes/${service}`, { document: splitRoute(service, weights), ...(dryRun ? { dryRun } : {}) });

    const fleet = new Fleet(planned);
    fleet.start();
    cleanups.push(() => fleet.stop());
    const clockOffsets = await fleet.clockCheck();
    const cpPids = [A.child.pid!, B.child.pid!];
    const sampler = rssSampler({ A: cpPids[0]!, B: cpPids[1]! });
    cleanups.push(async () => sampler.stop());

    // ── registration ────────────────────────────────────────────────────────────────────────
    log(`  ${opts.label}: connecting ${int(N)} proxies (+${total - N} bystanders), ${opts.concurrency} handshakes in flight per worker…`);
    const regStart = epochNow();
    fleet.connect([A.url, B.url], token, opts.concurrency, opts.client);
    const regTimeout = Math.max(120_000, N * 150);
    const progress = setInterval(() => log(`  ${opts.label}: … ${secs((epochNow() - regStart) / 1000, 0)} s: ${int(fleet.welcomed)} welcomed, ${int(fleet.withSnapshot)} with a snapshot, ${[...fleet.retries.values()].reduce((a, b) => a + b, 0)} handshakes retried`), 10_000);
    cleanups.push(async () => clearInterval(progress));
    await fleet.until(() => fleet.welcomed + fleet.failed >= total, regTimeout);
    if (fleet.failed > 0) throw new Error(`${fleet.failed} streams failed, e.g. ${fleet.failures()[0]!.plan.registration.proxyId}: ${fleet.failures()[0]!.failure}`);
    if (fleet.welcomed < total) throw new Error(`only ${fleet.welcomed} of ${total} streams were welcomed within ${regTimeout / 1000} s`);
    const welcomedMs = Math.max(...fleet.proxies.map((p) => p.welcomedAt!)) - regStart;
    log(`  ${opts.label}: all ${int(total)} welcomed after ${secs(welcomedMs / 1000)} s; waiting for every first snapshot…`);
    if (!(await fleet.until(() => fleet.withSnapshot >= total || fleet.failed > 0, regTimeout))) {
      throw new Error(`only ${fleet.withSnapshot} of ${total} proxies got a first snapshot within ${regTimeout / 1000} s`);
    }
    const firstSnapshotMs = Math.max(...fleet.proxies.map((p) => p.receipts[0]!.at)) - regStart;
    await fleet.quiet(1_000, regTimeout);
    const settledMs = fleet.lastReceiptAt() - regStart;
    const registrationSnapshots = fleet.countSince(0, () => true).receipts;
    clearInterval(progress);
    const regRss = sampler.take();
    log(`  ${opts.label}: every proxy had a snapshot after ${secs(firstSnapshotMs / 1000)} s, quiet after ${secs(settledMs / 1000)} s (${int(registrationSnapshots)} snapshots pushed)`);

    // The base route auth's changes alternate from.
    const baseWatch = fleet.watchFrom(epochNow(), isFleet);
    const base = await putRoute(A, SHARED, [50, 50]);
    if (base.status !== 200) throw new Error(`the base HTTPRoute ${SHARED} was refused: ${base.status} ${JSON.stringify(base.body).slice(0, 500)}`);
    await fleet.until(() => baseWatch.first.size >= N, opts.changeTimeoutMs);
    await fleet.quiet(500, opts.changeTimeoutMs);

    // ── measured changes ────────────────────────────────────────────────────────────────────
    const pgBackends = async () =>
      (await sql.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [db.name])).rows.map((r) => r.pid);
    const workerPids = fleet.workers.map((w) => w.pid!);
    const meter = cpuMeter({ A: [cpPids[0]!], B: [cpPids[1]!], postgres: await pgBackends(), fleet: workerPids });
    sampler.take();
    const measureStart = epochNow();
    const changes: ChangeResult[] = [];
    for (let k = 0; k < opts.changes; k++) {
      const via = k % 2 === 0 ? 'A' : 'B';
      const cp = via === 'A' ? A : B;
      const weights = k % 2 === 0 ? ([90, 10] as const) : ([50, 50] as const);
      const outputMark = [A.output().length, B.output().length];
      const watch = fleet.watchFrom(epochNow(), isFleet);
      const t0 = epochNow();
      const res = await putRoute(cp, SHARED, weights);
      const putMs = epochNow() - t0;
      if (res.status !== 200) {
        errors.push(`change ${k + 1}: PUT through ${via} answered ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
        continue;
      }
      await fleet.until(() => watch.first.size >= N || fleet.failed > 0, opts.changeTimeoutMs);
      // A moment more to see repeats (a proxy pushed twice for one change).
      await sleep(300);
      const received = [...watch.first.values()].map((at) => at - t0);
      if (received.length < N) {
        errors.push(`change ${k + 1}: ${received.length} of ${N} proxies received it within ${opts.changeTimeoutMs / 1000} s` + (fleet.failed > 0 ? ` (${fleet.failed} streams ended)` : ''));
      }
      const ledger = await ledgerTimes(sql, t0, N);
      changes.push({
        via,
        weights,
        putStatus: res.status,
        putMs,
        received,
        repeats: watch.repeats,
        ledgerSent: ledger.sent,
        ledgerAcked: ledger.acked,
        traces: [trace(A.output().slice(outputMark[0]), t0), trace(B.output().slice(outputMark[1]), t0)],
      });
      const s = spread(received);
      log(`  ${opts.label}: change ${k + 1}/${opts.changes} via ${via} (${weights.join('/')}): ${received.length}/${N} in p50 ${ms(s.p50)} / p99 ${ms(s.p99)} / max ${ms(s.max)} ms`);
    }
    const measureWallMs = epochNow() - measureStart;
    const cpu = meter.read({ A: [cpPids[0]!], B: [cpPids[1]!], postgres: await pgBackends(), fleet: workerPids });
    const measureRss = sampler.take();

    // ── unrelated change: island's route, which no measured proxy depends on ─────────────────
    let unrelated: ScaleResult['unrelated'];
    {
      const dry = await putRoute(A, ISLAND, [50, 50], true);
      const isProbe = (p: { plan: { registration: { service: string } } }) => p.plan.registration.service === ISLAND_PROBE;
      const watch = fleet.watchFrom(epochNow(), isProbe);
      const t0 = epochNow();
      const res = await putRoute(B, ISLAND, [50, 50]);
      if (res.status !== 200) errors.push(`unrelated change: PUT answered ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      await fleet.until(() => watch.first.size >= 1, 10_000);
      // Well past the witness's receipt and the compile debounce: anything for the fleet would be here.
      await sleep(1_500);
      const fleetSince = fleet.countSince(t0, isFleet);
      const witness = [...watch.first.values()][0];
      unrelated = {
        fleetReceipts: fleetSince.receipts,
        fleetProxies: fleetSince.proxies,
        islandReceipts: fleet.countSince(t0, (p) => p.plan.registration.service === ISLAND).receipts,
        ...(witness !== undefined ? { witnessMs: witness - t0 } : {}),
        ...(typeof dry.body?.blastRadius?.affectedProxies === 'number' ? { blastRadius: dry.body.blastRadius.affectedProxies as number } : {}),
        putStatus: res.status,
      };
    }

    return {
      options: opts,
      total,
      clockOffsets,
      registration: { welcomedMs, firstSnapshotMs, settledMs, snapshots: registrationSnapshots, rssPeakMiB: [regRss.A ?? 0, regRss.B ?? 0], retries: [...fleet.retries] },
      changes,
      measure: {
        wallMs: measureWallMs,
        cpuSeconds: { A: cpu.A ?? 0, B: cpu.B ?? 0, postgres: cpu.postgres ?? 0, fleet: cpu.fleet ?? 0 },
        rssPeakMiB: [measureRss.A ?? 0, measureRss.B ?? 0],
        rssHwmMiB: [peakRssMiB(cpPids[0]!), peakRssMiB(cpPids[1]!)],
      },
      ...(fleet.snapshotSizes.length ? { snapshotBytes: fleet.snapshotSizes.at(-1)! } : {}),
      ...(unrelated ? { unrelated } : {}),
      errors,
      replicaWarnings: warnings(cps),
    };
  } catch (err) {
    const seen = warnings(cpsForDiagnosis);
    if (seen.length > 0) (err as Error).message += `\n  the replicas logged:\n${seen.map(([m, n]) => `    ${n} × ${m}`).join('\n')}`;
    throw err;
  } finally {
    await teardown();
    abortCurrent = undefined;
  }
}

/**
 * Server-side send and ACK times of the measured proxies for the change made at `t0`, from the
 * delivery ledger (flushed every 200 ms): polls until all N ACKs are recorded or 5 s pass.
 */
async function ledgerTimes(sql: pg.Client, t0: number, n: number): Promise<{ sent: number[]; acked: number[] }> {
  const deadline = epochNow() + 5_000;
  for (;;) {
    const { rows } = await sql.query<{ sent: string | null; acked: string | null }>(
      `SELECT extract(epoch FROM "sentAt") * 1000 AS sent, extract(epoch FROM "ackedAt") * 1000 AS acked
         FROM "Proxy" WHERE "namespace" = $1 AND "service" NOT IN ($2, $3)`,
      [NAMESPACE, ISLAND, ISLAND_PROBE],
    );
    const since = (v: string | null) => (v === null ? undefined : Number(v) - t0);
    const sent = rows.map((r) => since(r.sent)).filter((v): v is number => v !== undefined && v >= 0);
    const acked = rows.map((r) => since(r.acked)).filter((v): v is number => v !== undefined && v >= 0);
    if (acked.length >= n || epochNow() > deadline) return { sent, acked };
    await sleep(250);
  }
}

/** Warning and error lines (pino level ≥ 40) of the replicas' output, by message and error, counted. */
function warnings(cps: ControlPlaneProcess[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const cp of cps) {
    for (const line of cp.output().split('\n')) {
      if (!line.startsWith('{') || !/"level":(4|5|6)\d/.test(line)) continue;
      try {
        const entry = JSON.parse(line) as { msg?: string; err?: { message?: string } };
        // Prisma's messages start with the call site; the cause is on the last line.
        const cause = entry.err?.message?.split('\n').map((l) => l.trim()).filter(Boolean).at(-1);
        const key = `${entry.msg ?? '?'}${cause ? `: ${cause}` : ''}`.slice(0, 300);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      } catch {
        // not a log line
      }
    }
  }
  return [...counts].sort((a, b) => b[1] - a[1]);
}

/** The first compile and the PUT's request log line in a replica's (debug) output since the change. */
function trace(output: string, t0: number): ReplicaTrace {
  const out: ReplicaTrace = {};
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    let entry: { msg?: string; time?: number; ms?: number; method?: string; path?: string; rebuilt?: number; groups?: number };
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    if (entry.time === undefined || entry.ms === undefined) continue;
    if (entry.msg === 'request' && entry.method === 'PUT' && out.putMs === undefined) out.putMs = entry.ms;
    if (entry.msg === 'compiled snapshots' && out.compileMs === undefined) {
      out.compileMs = entry.ms;
      out.compileEndMs = entry.time - t0;
      out.compileStartMs = entry.time - entry.ms - t0;
      if (entry.rebuilt !== undefined) out.rebuilt = entry.rebuilt;
      if (entry.groups !== undefined) out.groups = entry.groups;
    }
  }
  return out;
}
