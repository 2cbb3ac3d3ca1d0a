import { describe, expect, it } from 'vitest';
import { resolveBatch, TELEMETRY_LIMITS, TelemetryBatchSchema, type TelemetryBatch } from '@weft/contracts/telemetry';
import { ClientMessageSchema, STREAM_LIMITS } from '@weft/contracts/snapshot';
import { createTelemetry, MAX_SERIES, type TelemetryOptions, type TelemetryRecord } from './telemetry.ts';

const WEB = { service: 'web', namespace: 'shop', version: 'v1' };
const PAY1 = { service: 'payments', namespace: 'shop', version: 'v1' };
const PAY2 = { service: 'payments', namespace: 'shop', version: 'v2' };
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const OTHER_TRACE = '0af7651916cd43dd8448eb211c80319c';

function setup(over: Partial<TelemetryOptions> = {}) {
  const clock = { t: 1_700_000_000_000 };
  const t = createTelemetry({ self: WEB, proxyId: 'web-1', samplingPercent: 0, now: () => clock.t, random: () => 0.5, runId: '0123456789abcdef', ...over });
  return { t, clock };
}

function req(over: Partial<TelemetryRecord> = {}): TelemetryRecord {
  return { direction: 'outbound', source: WEB, destination: PAY1, route: 'shop/payments/0/0', method: 'GET', status: 200, durationMs: 3, traceparent: undefined, mtls: true, ...over };
}

/** Takes a batch, checks it against the contract and its stream message size, resolves it. */
function take(t: ReturnType<typeof createTelemetry>) {
  const batch = t.takeBatch();
  if (batch === null) return null;
  const parsed = TelemetryBatchSchema.safeParse(batch);
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues.slice(0, 3)));
  expect(ClientMessageSchema.safeParse({ type: 'telemetry', batch }).success).toBe(true);
  expect(Buffer.byteLength(JSON.stringify({ type: 'telemetry', batch }))).toBeLessThanOrEqual(STREAM_LIMITS.messageBytes);
  return { batch, ...resolveBatch(batch) };
}

describe('record and takeBatch', () => {
  it('reports exact deltas and resets them', () => {
    const { t, clock } = setup();
    expect(t.takeBatch()).toBeNull();
    t.record(req({ durationMs: 0.3 }));
    t.record(req({ durationMs: 7 }));
    t.record(req({ durationMs: 7, status: 503, reason: 'upstream reset' }));
    t.record(req({ durationMs: 45_000, destination: PAY2, status: 404, reason: 'no route' }));
    t.record(req({ direction: 'inbound', source: null, destination: WEB, route: '', status: 204, durationMs: 1 }));
    clock.t += 5_000;
    const first = take(t)!;
    expect(first.batch).toMatchObject({ proxyId: 'web-1', runId: '0123456789abcdef', seq: 0, window: { startMs: 1_700_000_000_000, endMs: 1_700_000_005_000 } });
    expect(first.batch.workloads[0]).toEqual(WEB);
    const by = (dst: object | null, status: string, direction = 'outbound') =>
      first.series.find((s) => s.direction === direction && JSON.stringify(s.destination) === JSON.stringify(dst) && s.status === status);
    expect(by(PAY1, '2xx')).toMatchObject({ requests: 2, errors: 0, mtls: true, route: 'shop/payments/0/0', latency: { sumMs: 7.3 } });
    expect(by(PAY1, '2xx')?.latency.counts.slice(0, 5)).toEqual([1, 0, 0, 0, 1]); // 0.3 ms ≤ 0.5; 7 ms in (5, 10]
    expect(by(PAY1, '5xx')).toMatchObject({ requests: 1, errors: 1 });
    expect(by(PAY2, '4xx')).toMatchObject({ requests: 1, errors: 1 }); // answered by the proxy: an error
    expect(by(PAY2, '4xx')?.latency.counts[15]).toBe(1);
    expect(by(WEB, '2xx', 'inbound')).toMatchObject({ source: null, route: '', requests: 1, errors: 0 });
    expect(first.series).toHaveLength(4);
    expect(first.batch.dropped).toEqual({ series: 0, spans: 0, batches: 0 });

    t.record(req());
    clock.t += 5_000;
    const second = take(t)!;
    expect(second.batch.seq).toBe(1);
    expect(second.batch.window).toEqual({ startMs: 1_700_000_005_000, endMs: 1_700_000_010_000 });
    expect(second.series).toHaveLength(1);
    expect(second.series[0]).toMatchObject({ requests: 1, latency: { sumMs: 3 } });
    expect(t.takeBatch()).toBeNull();
  });

  it('sums of deltas equal what was recorded (no loss, no double count)', () => {
    const { t, clock } = setup();
    let total = 0;
    let errors = 0;
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 500; i++) t.record(req({ status: i % 10 === 0 ? 500 : 200, durationMs: i % 97, destination: i % 2 ? PAY1 : PAY2 }));
      clock.t += 1000;
      const b = take(t)!;
      total += b.series.reduce((n, s) => n + s.requests, 0);
      errors += b.series.reduce((n, s) => n + s.errors, 0);
    }
    expect(total).toBe(10_000);
    expect(errors).toBe(1_000);
  });

  it('starts the next window where the previous ended, also when a take was empty', () => {
    const { t, clock } = setup();
    clock.t += 60_000;
    expect(t.takeBatch()).toBeNull();
    t.record(req());
    clock.t += 5_000;
    expect(t.takeBatch()?.window).toEqual({ startMs: 1_700_000_060_000, endMs: 1_700_000_065_000 });
    t.record(req());
    clock.t -= 10_000; // the clock stepped back
    const w = t.takeBatch()!.window;
    expect(w.endMs).toBeGreaterThanOrEqual(w.startMs);
  });

  it('cleans labels the contract would refuse', () => {
    const { t } = setup();
    t.record(req({ source: { service: 'Web App', namespace: 'shop', version: '' }, route: 'a "quoted" route\n' + 'x'.repeat(300) }));
    const b = take(t)!;
    expect(b.series[0]?.source).toEqual({ service: 'other', namespace: 'shop', version: 'unknown' });
    expect(b.series[0]?.route).toHaveLength(TELEMETRY_LIMITS.routeLength);
    expect(b.series[0]?.route).toMatch(/^a__quoted__route_x+~[0-9a-f]{8}$/);
  });

  it('keeps one series when different raw labels clean to the same ones', () => {
    const { t } = setup({ maxSeries: 2 });
    for (const route of ['a b', 'a"b', 'a_b', 'a b']) t.record(req({ route }));
    t.record(req({ source: { service: 'Bad Name', namespace: 'x y', version: '!' }, destination: { service: '?', namespace: '?', version: '?' }, route: 'other' }));
    expect(t.seriesCount).toBe(1);
    expect(t.metricsText().match(/^weft_proxy_requests_total\{.*$/gm)).toEqual([
      expect.stringMatching(/route="a_b".* 4$/),
      expect.stringMatching(/source_service="other",source_namespace="other",source_version="other",.*route="other".* 1$/),
    ]);
    const b = take(t)!;
    expect(b.series.map((s) => [s.route, s.requests])).toEqual([['a_b', 4], ['other', 1]]);
    expect(b.batch.dropped.series).toBe(0);
  });

  it('rejects options out of range', () => {
    expect(() => setup({ maxSeries: MAX_SERIES + 1 })).toThrow(RangeError);
    expect(() => setup({ samplingPercent: 101 })).toThrow(RangeError);
    expect(() => setup({ runId: 'xyz' })).toThrow(RangeError);
    expect(() => setup({ proxyId: 'web 1' })).toThrow(/proxyId must be letters/);
  });
});

describe('cardinality cap', () => {
  it('folds new label sets into overflow series and counts them', () => {
    const { t } = setup({ maxSeries: 3 });
    for (let i = 0; i < 10; i++) t.record(req({ route: `r${i}` }));
    for (let i = 0; i < 10; i++) t.record(req({ route: `r${i}`, status: 502, mtls: false }));
    t.record(req({ route: 'r0' })); // an existing series keeps counting
    expect(t.seriesCount).toBe(3);
    const b = take(t)!;
    expect(b.batch.dropped.series).toBe(7 + 10);
    const other = b.series.filter((s) => s.route === 'other');
    expect(other.map((s) => [s.status, s.mtls, s.requests, s.errors])).toEqual(expect.arrayContaining([['2xx', true, 7, 0], ['5xx', false, 10, 10]]));
    expect(other.every((s) => s.source?.service === 'other' && s.destination?.service === 'other')).toBe(true);
    expect(b.series.find((s) => s.route === 'r0')?.requests).toBe(2);
    expect(b.series.reduce((n, s) => n + s.requests, 0)).toBe(21); // folded, not lost
  });

  it('frees the slots of idle series', () => {
    const { t, clock } = setup({ maxSeries: 2, idleEvictMs: 60_000 });
    t.record(req({ route: 'a' }));
    t.record(req({ route: 'b' }));
    take(t);
    clock.t += 30_000;
    t.record(req({ route: 'a' }));
    take(t);
    clock.t += 40_000; // b idle for 70 s, a for 40 s
    t.takeBatch();
    expect(t.seriesCount).toBe(1);
    t.record(req({ route: 'c' }));
    expect(take(t)!.series.map((s) => s.route)).toEqual(['c']);
  });

  it('keeps a batch within its workloads table, folding the rest', () => {
    const { t } = setup({ maxSeries: MAX_SERIES });
    for (let i = 0; i < 200; i++) t.record(req({ destination: { service: `svc-${i}`, namespace: 'shop', version: 'v1' } }));
    const b = take(t)!;
    expect(b.batch.workloads.length).toBeLessThanOrEqual(TELEMETRY_LIMITS.workloads);
    expect(b.series.reduce((n, s) => n + s.requests, 0)).toBe(200);
    expect(b.batch.dropped.series).toBe(200 - (TELEMETRY_LIMITS.workloads - 2)); // self and OTHER take a slot each
  });

  it('stays within the cap over 1M records of 10k label sets', () => {
    const { t, clock } = setup({ maxSeries: MAX_SERIES });
    const peers = Array.from({ length: 100 }, (_, i) => ({ service: `svc-${i}`, namespace: 'shop', version: `v${i % 3}` }));
    const records = Array.from({ length: 10_000 }, (_, i) => req({ destination: peers[i % 100]!, route: `route-${(i / 100) | 0}`, durationMs: i % 1000 }));
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    let requests = 0;
    for (let i = 0; i < 1_000_000; i++) {
      t.record(records[i % 10_000]!);
      if (i % 100_000 === 99_999) {
        expect(t.seriesCount).toBeLessThanOrEqual(MAX_SERIES);
        clock.t += 1000;
        const b = take(t)!;
        expect(b.batch.series.length).toBeLessThanOrEqual(TELEMETRY_LIMITS.series);
        requests += b.series.reduce((n, s) => n + s.requests, 0);
      }
    }
    const ms = performance.now() - started;
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    expect(requests).toBe(1_000_000);
    expect(t.seriesCount).toBe(MAX_SERIES);
    expect(heapGrowth).toBeLessThan(32 * 1024 * 1024);
    console.log(`1M records: ${ms.toFixed(0)} ms (${((ms * 1000) / 1_000_000).toFixed(2)} µs each, batches included), heap +${(heapGrowth / 1024 / 1024).toFixed(1)} MB`);
  });
});

describe('spans', () => {
  const sampled = `00-${TRACE}-00f067aa0ba902b7-01`;
  const unsampled = `00-${TRACE}-00f067aa0ba902b7-00`;

  it('keeps sampled requests and always failures, not unsampled successes', () => {
    const { t, clock } = setup();
    t.record(req({ traceparent: sampled, parentSpanId: 'b7ad6b7169203331', durationMs: 12 }));
    t.record(req({ traceparent: `00-${OTHER_TRACE}-00f067aa0ba902b7-00` })); // a trace that does not fail
    t.record(req({ traceparent: undefined }));
    t.record(req({ traceparent: unsampled, status: 503, reason: 'circuit open' }));
    t.record(req({ traceparent: undefined, status: 0, direction: 'inbound', source: PAY2, destination: WEB }));
    t.record(req({ traceparent: unsampled, status: 429, reason: 'rate limited' }));
    clock.t += 1000;
    const b = take(t)!;
    expect(b.spans).toHaveLength(4);
    expect(b.spans[0]).toMatchObject({
      traceId: TRACE, spanId: '00f067aa0ba902b7', parentSpanId: 'b7ad6b7169203331', direction: 'outbound',
      service: WEB, peer: PAY1, route: 'shop/payments/0/0', method: 'GET', status: 200, durationMs: 12, startMs: 1_700_000_000_000 - 12,
    });
    expect(b.spans[1]).toMatchObject({ traceId: TRACE, status: 503, reason: 'circuit open' });
    expect(b.spans[1]?.parentSpanId).toBeUndefined();
    expect(b.spans[2]).toMatchObject({ direction: 'inbound', peer: PAY2, status: 0 }); // no trace context: a new root
    expect(b.spans[2]?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(b.spans[3]).toMatchObject({ status: 429, reason: 'rate limited' });
  });

  it('keeps the unsampled successes of a trace that fails here, before and after the failure', () => {
    const { t, clock } = setup();
    const inTrace = (span: string) => `00-${TRACE}-${span}-00`;
    t.record(req({ traceparent: inTrace('1111111111111111'), destination: PAY2, durationMs: 40 })); // inventory, say
    clock.t += 50;
    t.record(req({ traceparent: `00-${OTHER_TRACE}-2222222222222222-00` })); // another trace, which succeeds
    t.record(req({ traceparent: inTrace('3333333333333333'), status: 500, durationMs: 9 }));
    clock.t += 5;
    t.record(req({ traceparent: inTrace('4444444444444444'), direction: 'inbound', source: null, destination: WEB, status: 200 })); // a fallback answered
    const b = take(t)!;
    expect(b.spans.map((s) => [s.spanId, s.status])).toEqual([
      ['3333333333333333', 500],
      ['1111111111111111', 200],
      ['4444444444444444', 200],
    ]);
    expect(b.spans[1]).toMatchObject({ traceId: TRACE, peer: PAY2, durationMs: 40, startMs: 1_700_000_000_000 - 40 }); // its own time, not the failure's
    clock.t += 1000;
    t.record(req({ traceparent: inTrace('5555555555555555') }));
    expect(take(t)!.spans).toHaveLength(1); // the trace is still remembered as failed
  });

  it('holds a bounded number of unsampled spans, and none when heldSpans is 0', () => {
    const failAfter = (heldSpans: number, successes: number) => {
      const { t } = setup({ heldSpans });
      for (let i = 0; i < successes; i++) t.record(req({ traceparent: `00-${TRACE}-${(i + 1).toString(16).padStart(16, '0')}-00` }));
      t.record(req({ traceparent: unsampled, status: 503 }));
      return take(t)!.spans.length - 1;
    };
    expect(failAfter(8, 20)).toBe(8); // the last 8
    expect(failAfter(0, 20)).toBe(0);
    expect(failAfter(2048, 20)).toBe(20);
  });

  it('caps spans per batch, counting the rest, failures first', () => {
    const { t } = setup({ maxSpans: 4 });
    for (let i = 0; i < 10; i++) t.record(req({ traceparent: sampled }));
    for (let i = 0; i < 3; i++) t.record(req({ traceparent: sampled, status: 500 }));
    const b = take(t)!;
    expect(b.spans.map((s) => s.status).sort()).toEqual([200, 500, 500, 500]);
    expect(b.batch.dropped.spans).toBe(9);
  });

  it('startTrace samples by samplingPercent and honours the caller', () => {
    const { t } = setup({ samplingPercent: 100 });
    expect(t.startTrace(undefined).sampled).toBe(true);
    expect(t.startTrace(unsampled).sampled).toBe(false);
    t.setSamplingPercent(0);
    expect(t.startTrace(undefined).sampled).toBe(false);
    expect(t.startTrace(sampled)).toMatchObject({ sampled: true, parentSpanId: '00f067aa0ba902b7', traceId: TRACE });
  });

  it('a maximal real batch fits the stream message', () => {
    const { t } = setup({ maxSeries: MAX_SERIES });
    const long = (c: string, i: number): string => `${c}${i}`.padEnd(63, c);
    for (let i = 0; i < 400; i++) {
      const peer = { service: long('s', i), namespace: long('n', i), version: long('v', i) };
      t.record(req({ source: peer, destination: peer, route: `${'r'.repeat(250)}${i}`, durationMs: 1.2345678901234567, status: 500 + (i % 2), method: 'PROPPATCHXXXXXXX', reason: 'x'.repeat(200), traceparent: sampled, parentSpanId: 'b7ad6b7169203331' }));
    }
    const b = take(t)!; // take() checks the schema and the message size
    expect(b.batch.series.length).toBeGreaterThan(100);
    expect(b.batch.spans).toHaveLength(TELEMETRY_LIMITS.spans);
  });
});

describe('metricsText', () => {
  it('is cumulative across batches', () => {
    const { t } = setup();
    t.record(req());
    t.takeBatch();
    t.record(req());
    const text = t.metricsText();
    expect(text).toMatch(/^weft_proxy_requests_total\{direction="outbound",source_service="web",.*route="shop\/payments\/0\/0",status_class="2xx",mtls="true"\} 2$/m);
  });
});

export type { TelemetryBatch };
