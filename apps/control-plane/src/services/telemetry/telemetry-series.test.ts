/**
 * telemetry.series through the service: selector validation, and the proof that a series adds up
 * to the topology of the same window (same rows, same "which side counts").
 */
import { LATENCY_BUCKET_COUNT, type Workload } from '@weft/contracts/telemetry';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors.ts';
import type { RollupRow } from './ports.ts';
import { bucketOf } from './series.ts';
import { createTelemetryService, type SeriesSelectorInput } from './telemetry-service.ts';

const MIN = 60_000;
const NOW = new Date('2026-11-26T10:15:20Z');
const minute = (m: number) => new Date(Date.parse('2026-11-26T10:00:00Z') + m * MIN);
const wl = (service: string, version = 'v1', namespace = 'shop'): Workload => ({ namespace, service, version });
const row = (m: number, direction: 'inbound' | 'outbound', source: Workload | null, destination: Workload | null, requests: number, errors: number, bucket: number): RollupRow => {
  const counts = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
  counts[bucket] = requests;
  return { minute: minute(m), direction, source, destination, mtls: source !== null, requests, errors, latency: { counts, sumMs: 0 } };
};

/** A mesh over 15 minutes: checkout → payments (v1, v2) both ways, outside callers, a caller of another namespace. */
const ROWS: RollupRow[] = [];
for (let m = 0; m <= 15; m++) {
  if (m % 4 === 2) continue; // idle minutes
  ROWS.push(row(m, 'outbound', wl('checkout'), wl('payments', 'unknown'), 20 + m, m % 3, 3));
  ROWS.push(row(m, 'inbound', wl('checkout', 'unknown'), wl('payments', 'v1'), 15 + m, m % 3, 3 + (m % 4)));
  ROWS.push(row(m, 'inbound', wl('checkout', 'unknown'), wl('payments', 'v2'), 5, 0, 6));
  ROWS.push(row(m, 'inbound', null, wl('payments', 'v1'), 2 + m, 1, 2));
  ROWS.push(row(m, 'outbound', wl('teller', 'v1', 'bank'), wl('payments', 'v1'), 1, 0, 4));
  ROWS.push(row(m, 'inbound', null, wl('checkout'), 7, 0, 5));
}

/** The repo over ROWS, minus the last minute which this replica has not flushed yet. */
function service(rows: RollupRow[]) {
  const stored = rows.filter((r) => r.minute < minute(15));
  const within = (since: Date, until: Date) => (r: RollupRow) => r.minute >= since && r.minute < until;
  return createTelemetryService({
    repo: {
      sum: async (_ns, since, until) => stored.filter(within(since, until)),
      series: async (_ns, since, until, stepMs) => stored.filter(within(since, until)).map((r) => ({ ...r, bucket: bucketOf(r.minute, since, stepMs) })),
    },
    unflushed: (since, until) => rows.filter((r) => r.minute >= minute(15)).filter(within(since, until)),
    resources: () => [],
    retentionMs: 24 * 3_600_000,
    now: () => NOW,
  });
}

const issues = async (p: Promise<unknown>) => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(InvalidInputError);
  return (err as InvalidInputError).issues.map((i) => i.path);
};

describe('telemetry series', () => {
  const svc = service(ROWS);
  const sum = (points: { requests: number }[]) => points.reduce((n, p) => n + p.requests, 0);
  const errs = (points: { errors: number }[]) => points.reduce((n, p) => n + p.errors, 0);

  it('adds up to the topology of the same window, for a service, its versions and its edges', async () => {
    const window = { lastMs: 15 * MIN };
    const topo = await svc.topology('shop', window);
    const payments = topo.nodes.find((n) => n.id === 'shop/payments')!;
    const series = (selector: SeriesSelectorInput) => svc.series('shop', window, selector);

    const all = await series({ service: 'payments' });
    expect(all.window).toEqual(topo.window);
    expect(all.points).toHaveLength(16); // 10:00 … 10:15, the last minute unflushed
    expect(all.points.filter((p) => p.requests === 0).map((p) => p.t)).toEqual([minute(2), minute(6), minute(10), minute(14)]);
    expect([sum(all.points), errs(all.points)]).toEqual([payments.received.requests, payments.received.errors]);
    for (const v of payments.versions) expect(sum((await series({ service: 'payments', version: v.version })).points)).toBe(v.requests);
    for (const e of topo.edges) {
      const points = (await series({ source: e.source, target: e.target })).points;
      expect([e.source, e.target, sum(points), errs(points)]).toEqual([e.source, e.target, e.requests, e.errors]);
    }
    expect(topo.edges.map((e) => e.source).sort()).toEqual(['bank/teller', 'shop/checkout', 'unknown', 'unknown']);
  });

  it('takes the step from the window and keeps at most 120 points', async () => {
    const day = await svc.series('shop', { lastMs: 24 * 60 * MIN }, { service: 'payments' });
    expect(day.stepSeconds).toBe(15 * 60);
    expect(day.points.length).toBeLessThanOrEqual(120);
    expect(sum(day.points)).toBe((await svc.topology('shop', { lastMs: 24 * 60 * MIN })).nodes.find((n) => n.id === 'shop/payments')!.received.requests);
  });

  it('refuses a selector that is missing, mixed, half an edge, or outside the namespace, naming the field', async () => {
    const window = { lastMs: 15 * MIN };
    expect(await issues(svc.series('shop', window, {}))).toEqual(['service']);
    expect(await issues(svc.series('shop', window, { service: 'payments', target: 'shop/payments' }))).toEqual(['target']);
    expect(await issues(svc.series('shop', window, { version: 'v1' }))).toEqual(['version']);
    expect(await issues(svc.series('shop', window, { source: 'unknown' }))).toEqual(['target']);
    expect(await issues(svc.series('shop', window, { target: 'shop/payments' }))).toEqual(['source']);
    expect(await issues(svc.series('shop', window, { source: 'shop/payments', target: 'unknown' }))).toEqual(['target']);
    expect(await issues(svc.series('shop', window, { source: 'bank/teller', target: 'bank/vault' }))).toEqual(['target']);
    expect((await svc.series('bank', window, { source: 'bank/teller', target: 'shop/payments' })).points.some((p) => p.requests > 0)).toBe(true);
  });
});
