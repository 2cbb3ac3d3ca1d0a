import { LATENCY_BUCKET_COUNT } from '@weft/contracts/telemetry';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors.ts';
import type { EdgeTotals } from './ports.ts';
import { createTelemetryService } from './telemetry-service.ts';

const NOW = new Date('2026-11-26T10:05:30Z');
const edge = (direction: 'inbound' | 'outbound', requests: number): EdgeTotals => ({
  direction,
  source: { namespace: 'shop', service: 'checkout', version: 'v1' },
  destination: { namespace: 'shop', service: 'payments', version: 'v1' },
  mtls: true,
  requests,
  errors: 0,
  latency: { counts: [requests, ...new Array<number>(LATENCY_BUCKET_COUNT - 1).fill(0)], sumMs: 0 },
});

function service(stored: EdgeTotals[], unflushed: EdgeTotals[], pushIntervalMs?: number) {
  const asked: Array<[string | null, string, string]> = [];
  const svc = createTelemetryService({
    repo: { sum: async (ns, since, until) => (asked.push([ns, since.toISOString(), until.toISOString()]), stored), series: async () => [] },
    unflushed: () => unflushed.map((t) => ({ ...t, minute: NOW })),
    resources: () => [],
    retentionMs: 24 * 3_600_000,
    ...(pushIntervalMs === undefined ? {} : { pushIntervalMs }),
    now: () => NOW,
  });
  return { svc, asked };
}

const issue = async (p: Promise<unknown>) => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(InvalidInputError);
  return (err as InvalidInputError).issues;
};

describe('telemetry service', () => {
  it('adds what this replica has not flushed to the stored rollups, over whole minutes since', async () => {
    const { svc, asked } = service([edge('outbound', 7)], [edge('outbound', 3)]);
    const topo = await svc.topology('shop', { lastMs: 5 * 60_000 });
    expect(asked).toEqual([['shop', '2026-11-26T10:00:00.000Z', '2026-11-26T10:05:30.000Z']]);
    expect(topo.window).toEqual({ since: new Date('2026-11-26T10:00:00Z'), until: NOW });
    expect(topo.edges.map((e) => [e.source, e.target, e.requests, e.rps])).toEqual([['shop/checkout', 'shop/payments', 10, 10 / 330]]);
  });

  it('takes an explicit interval, ending at most now', async () => {
    const { svc, asked } = service([], []);
    await svc.topology(undefined, { from: new Date('2026-11-26T09:30:10Z'), to: new Date('2026-11-26T11:00:00Z') });
    expect(asked).toEqual([[null, '2026-11-26T09:30:00.000Z', NOW.toISOString()]]);
  });

  it('refuses an interval that ends before it starts or reaches past the retention, naming the field', async () => {
    const { svc } = service([], []);
    expect(await issue(svc.topology('shop', { from: NOW, to: new Date(NOW.getTime() - 1) }))).toEqual([{ path: 'to', message: 'must be after from' }]);
    expect((await issue(svc.topology('shop', { from: new Date(NOW.getTime() - 25 * 3_600_000), to: NOW })))[0]!.path).toBe('from');
    expect((await issue(svc.topology('shop', { lastMs: 48 * 3_600_000 })))[0]!.path).toBe('window');
  });

  it('pushes a watched topology every interval, computed once for every watcher of the same scope and window', async () => {
    const { svc, asked } = service([edge('inbound', 4)], [], 5);
    const a = new AbortController();
    const b = new AbortController();
    const first = svc.watchTopology('shop', 15 * 60_000, a.signal);
    const second = svc.watchTopology('shop', 15 * 60_000, b.signal);
    const answers = await Promise.all([first.next(), second.next(), first.next(), second.next()]);
    expect(answers.map((r) => r.value!.edges[0]!.requests)).toEqual([4, 4, 4, 4]);
    expect(asked.length).toBe(2); // two ticks, one computation each, for both watchers
    expect(asked.every(([ns]) => ns === 'shop')).toBe(true);
    a.abort();
    b.abort();
    expect(await first.next()).toEqual({ value: undefined, done: true });
    expect(await second.next()).toEqual({ value: undefined, done: true });
  });

  it('refuses to watch a window past the retention before any answer, naming the field', () => {
    const { svc } = service([], []);
    let thrown: unknown;
    try {
      svc.watchTopology('shop', 48 * 3_600_000, new AbortController().signal);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(InvalidInputError);
    expect((thrown as InvalidInputError).issues[0]!.path).toBe('window');
  });
});
