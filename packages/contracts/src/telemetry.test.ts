import { describe, expect, it } from 'vitest';
import { ClientMessageSchema, ProxyIdSchema, STREAM_LIMITS } from './snapshot/index.ts';
import {
  bucketIndexOf,
  LATENCY_BUCKET_COUNT,
  LATENCY_BUCKETS_MS,
  mergeHistograms,
  quantileFromBuckets,
  resolveBatch,
  seriesKey,
  statusClassOf,
  TELEMETRY_LIMITS,
  TelemetryBatchSchema,
  type TelemetryBatch,
  type TelemetrySeries,
  type TelemetrySpan,
} from './telemetry.ts';

const L = TELEMETRY_LIMITS;
const zeros = (): number[] => new Array<number>(LATENCY_BUCKET_COUNT).fill(0);

function series(over: Partial<TelemetrySeries> = {}): TelemetrySeries {
  const counts = zeros();
  counts[3] = 2;
  return { direction: 'outbound', source: 0, destination: 1, route: 'shop/checkout/0/0', status: '2xx', mtls: true, requests: 2, errors: 0, latency: { counts, sumMs: 7.5 }, ...over };
}

function span(over: Partial<TelemetrySpan> = {}): TelemetrySpan {
  return {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', parentSpanId: 'b7ad6b7169203331', direction: 'outbound',
    service: 0, peer: 1, route: 'default', method: 'GET', status: 503, startMs: 1_700_000_000_000, durationMs: 12.5, reason: 'no healthy upstream', ...over,
  };
}

function batch(over: Partial<TelemetryBatch> = {}): TelemetryBatch {
  return {
    proxyId: 'web-7f9c', runId: '0123456789abcdef', seq: 0, window: { startMs: 1_700_000_000_000, endMs: 1_700_000_005_000 },
    workloads: [{ service: 'web', namespace: 'shop', version: 'v1' }, { service: 'payments', namespace: 'shop', version: 'v2' }],
    series: [series()], spans: [span()], dropped: { series: 0, spans: 0, batches: 0 }, ...over,
  };
}

function issuePath(input: unknown): string | undefined {
  const r = TelemetryBatchSchema.safeParse(input);
  return r.success ? undefined : r.error.issues.map((i) => i.path.join('.')).join(' | ');
}

/**
 * The largest JSON a valid batch can serialise to, and then some: every list at its limit, every
 * string at its longest, every number at its longest JSON form (nullable refs as `null`, longer
 * than any index; all 16 counts at the uint32 maximum, which no valid series reaches since they
 * add up to `requests`; durations as 24-character doubles).
 */
function upperBoundBatch(): TelemetryBatch {
  const label = (c: string): string => c.repeat(L.labelLength);
  // 24 characters in JSON, the longest a non-negative double gets (17 digits after `0.00000`).
  const longFloat = 0.0000012345678901234567;
  const maxInt = Number.MAX_SAFE_INTEGER;
  const route = 'r'.repeat(L.routeLength);
  return {
    proxyId: 'p'.repeat(128),
    runId: 'f'.repeat(16),
    seq: maxInt,
    window: { startMs: maxInt, endMs: maxInt },
    workloads: Array.from({ length: L.workloads }, () => ({ service: label('s'), namespace: label('n'), version: label('v') })),
    series: Array.from({ length: L.series }, () => ({
      direction: 'outbound' as const, source: null, destination: null, route, status: '5xx' as const, mtls: false,
      requests: L.count, errors: L.count, latency: { counts: new Array<number>(LATENCY_BUCKET_COUNT).fill(L.count), sumMs: longFloat },
    })),
    spans: Array.from({ length: L.spans }, () => ({
      traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), parentSpanId: 'c'.repeat(16), direction: 'outbound' as const,
      service: L.workloads - 1, peer: null, route, method: 'M'.repeat(L.methodLength), status: 599, startMs: maxInt, durationMs: longFloat,
      reason: 'x'.repeat(L.reasonLength),
    })),
    dropped: { series: maxInt, spans: maxInt, batches: maxInt },
  };
}

describe('TelemetryBatchSchema', () => {
  it('accepts a batch and strips unknown fields (forward compatible)', () => {
    const parsed = TelemetryBatchSchema.parse({ ...batch(), addedLater: 1 });
    expect(parsed).toEqual(batch());
    expect(ClientMessageSchema.safeParse({ type: 'telemetry', batch: batch() }).success).toBe(true);
  });

  it('a maximal batch, in its stream message, fits STREAM_LIMITS.messageBytes', () => {
    const bound = upperBoundBatch();
    expect(JSON.stringify(bound.series[0]?.latency.sumMs)).toHaveLength(24);
    const bytes = Buffer.byteLength(JSON.stringify({ type: 'telemetry', batch: bound }));
    expect(bytes).toBeLessThanOrEqual(STREAM_LIMITS.messageBytes);
    expect(STREAM_LIMITS.messageBytes).toBeLessThanOrEqual(256 * 1024);
    // The bound is valid apart from the counts adding up to `requests`: nothing else is over a limit.
    const r = TelemetryBatchSchema.safeParse(bound);
    expect(r.success).toBe(false);
    expect(new Set(r.error?.issues.map((i) => i.path.slice(2).join('.')))).toEqual(new Set(['latency.counts']));
    console.log(`maximal telemetry message: ${bytes} bytes of ${STREAM_LIMITS.messageBytes}`);
  });

  it('a valid batch with every list full is accepted', () => {
    const full = upperBoundBatch();
    for (const s of full.series) {
      s.latency.counts = zeros();
      s.latency.counts[15] = L.count;
    }
    expect(TelemetryBatchSchema.safeParse(full).success).toBe(true);
    const over = { ...full, spans: [...full.spans, full.spans[0]!] };
    expect(issuePath(over)).toBe('spans');
  });

  it.each<[string, unknown, string]>([
    ['a proxy id with a space', { proxyId: 'web 1' }, 'proxyId'],
    ['an upper-case run id', { runId: '0123456789ABCDEF' }, 'runId'],
    ['a negative seq', { seq: -1 }, 'seq'],
    ['a window ending before it starts', { window: { startMs: 10, endMs: 9 } }, 'window.endMs'],
    ['a fractional window', { window: { startMs: 1.5, endMs: 9 } }, 'window.startMs'],
    ['a label with a slash', { workloads: [{ service: 'a/b', namespace: 'shop', version: 'v1' }, batch().workloads[1]] }, 'workloads.0.service'],
    ['a label too long', { workloads: [{ service: 'web', namespace: 'n'.repeat(64), version: 'v1' }, batch().workloads[1]] }, 'workloads.0.namespace'],
    ['a dangling workload index', { series: [series({ destination: 2 })] }, 'series.0.destination'],
    ['a span pointing past the workloads', { spans: [span({ peer: 5 })] }, 'spans.0.peer'],
    ['an unknown status class', { series: [series({ status: '6xx' as never })] }, 'series.0.status'],
    ['a route with a space', { series: [series({ route: 'a b' })] }, 'series.0.route'],
    ['a route with a quote', { series: [series({ route: 'a"b' })] }, 'series.0.route'],
    ['more errors than requests', { series: [series({ errors: 3 })] }, 'series.0.errors'],
    ['counts not adding up to requests', { series: [series({ requests: 3 })] }, 'series.0.latency.counts'],
    ['15 buckets', { series: [series({ latency: { counts: zeros().slice(1), sumMs: 0 } })] }, 'series.0.latency.counts'],
    ['a count over uint32', { series: [series({ requests: 2 ** 32 })] }, 'series.0.requests'],
    ['an infinite sum', { series: [series({ latency: { counts: [0, 0, 0, 2, ...zeros().slice(4)], sumMs: Infinity } })] }, 'series.0.latency.sumMs'],
    ['an all-zero trace id', { spans: [span({ traceId: '0'.repeat(32) })] }, 'spans.0.traceId'],
    ['an upper-case span id', { spans: [span({ spanId: '00F067AA0BA902B7' })] }, 'spans.0.spanId'],
    ['a method with a space', { spans: [span({ method: 'GE T' })] }, 'spans.0.method'],
    ['a reason with a newline', { spans: [span({ reason: 'a\nb' })] }, 'spans.0.reason'],
    ['a missing dropped counter', { dropped: { series: 0, spans: 0 } }, 'dropped.batches'],
  ])('rejects %s, naming the field', (_name, patch, path) => {
    expect(issuePath({ ...batch(), ...(patch as object) })).toBe(path);
  });

  it('uses the same proxy id rule as the stream', () => {
    for (const id of ['web-1', 'a.b_c:d', '-x', 'x y', '']) {
      expect(TelemetryBatchSchema.safeParse(batch({ proxyId: id })).success).toBe(ProxyIdSchema.safeParse(id).success);
    }
  });
});

describe('histograms', () => {
  it('has 16 fixed log-spaced bounds ending in +Inf', () => {
    expect(LATENCY_BUCKETS_MS).toHaveLength(LATENCY_BUCKET_COUNT);
    expect(LATENCY_BUCKETS_MS.at(-1)).toBe(Infinity);
    expect(Object.isFrozen(LATENCY_BUCKETS_MS)).toBe(true);
  });

  it.each([[0, 0], [0.5, 0], [0.51, 1], [1, 1], [3, 3], [30000, 14], [30001, 15], [Infinity, 15], [-1, 0], [NaN, 0]])('puts %s ms in bucket %s', (ms, i) => {
    expect(bucketIndexOf(ms)).toBe(i);
  });

  it('maps statuses to classes, no response to 5xx', () => {
    expect([100, 204, 302, 404, 499, 503, 0, 600, -1].map(statusClassOf)).toEqual(['1xx', '2xx', '3xx', '4xx', '4xx', '5xx', '5xx', '5xx', '5xx']);
  });

  it('merges by adding counts and sums', () => {
    const a = { counts: [1, 2, ...zeros().slice(2)], sumMs: 3 };
    const b = { counts: [0, 1, 4, ...zeros().slice(3)], sumMs: 10 };
    expect(mergeHistograms(a, b)).toEqual({ counts: [1, 3, 4, ...zeros().slice(3)], sumMs: 13 });
    expect(a.counts[1]).toBe(2); // inputs untouched
  });

  it('estimates quantiles like histogram_quantile', () => {
    const counts = zeros();
    counts[7] = 100; // 100 requests in (50, 100] ms
    expect(quantileFromBuckets(counts, 0.5)).toBeCloseTo(75);
    expect(quantileFromBuckets(counts, 0.99)).toBeCloseTo(99.5);
    counts[0] = 100; // and 100 in (0, 0.5]
    expect(quantileFromBuckets(counts, 0.25)).toBeCloseTo(0.25);
    expect(quantileFromBuckets(counts, 0.5)).toBeCloseTo(0.5);
    expect(quantileFromBuckets(counts, 0.95)).toBeCloseTo(95);
    const slow = zeros();
    slow[15] = 1;
    expect(quantileFromBuckets(slow, 0.5)).toBe(30000); // +Inf bucket: the highest finite bound
    expect(quantileFromBuckets(zeros(), 0.5)).toBeNull();
    expect(() => quantileFromBuckets(counts, 1.5)).toThrow(RangeError);
  });

  it('gives the p99 of merged proxies, not the mean of their p99s', () => {
    const fast = zeros();
    fast[2] = 990; // 990 requests in (1, 2] ms on one proxy
    const slow = zeros();
    slow[9] = 10; // 10 in (250, 500] ms on another
    const merged = mergeHistograms({ counts: fast, sumMs: 0 }, { counts: slow, sumMs: 0 }).counts;
    expect(quantileFromBuckets(merged, 0.5)).toBeLessThanOrEqual(2);
    expect(quantileFromBuckets(merged, 0.995)).toBeGreaterThan(250);
  });
});

describe('resolveBatch', () => {
  it('replaces workload indexes and keys series by their labels', () => {
    const b = batch({ series: [series({ source: null })] });
    const { series: [s], spans: [sp] } = resolveBatch(b);
    expect(s?.source).toBeNull();
    expect(s?.destination).toEqual({ service: 'payments', namespace: 'shop', version: 'v2' });
    expect(sp?.service).toEqual({ service: 'web', namespace: 'shop', version: 'v1' });
    expect(seriesKey(s!)).toBe('outbound - shop/payments/v2 shop/checkout/0/0 2xx mtls');
  });
});
