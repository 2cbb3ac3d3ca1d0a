import { describe, expect, it } from 'vitest';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import type { SpanRow, TraceFilter } from './ports.ts';
import { createTracesService } from './traces-service.ts';

const NOW = new Date('2026-11-26T12:00:00.000Z');
const T = '0af7651916cd43dd8448eb211c80319c';
const row = (spanId: string, parentSpanId: string | null, service: string, startMs: number, status = 200): SpanRow => ({
  traceId: T,
  spanId,
  parentSpanId,
  direction: parentSpanId ? 'inbound' : 'outbound',
  workload: { namespace: 'shop', service, version: 'v1' },
  peer: null,
  route: 'orders',
  method: 'GET',
  status,
  startAt: new Date(startMs),
  durationMs: 5,
  reason: null,
  proxyId: 'p',
});

function service(spans: SpanRow[]) {
  const filters: TraceFilter[] = [];
  const svc = createTracesService({
    repo: {
      search: async (f) => (filters.push(f), spans.length ? [{ traceId: T, spans: spans.length, error: false, startAt: new Date(1_000), durationMs: 9 }] : []),
      spansOf: async () => spans,
      countOutside: async () => 2,
    },
    retentionMs: 24 * 3_600_000,
    now: () => NOW,
  });
  return { svc, filters };
}

describe('traces service', () => {
  it('searches the last hour by default, clamps `since` to the retention and caps the limit', async () => {
    const { svc, filters } = service([]);
    await svc.search({ namespace: 'shop' });
    expect(filters[0]).toMatchObject({ since: new Date(NOW.getTime() - 3_600_000), until: NOW, limit: 50 });
    await svc.search({ namespace: 'shop', since: new Date(0), limit: 1_000 });
    expect(filters[1]).toMatchObject({ since: new Date(NOW.getTime() - 24 * 3_600_000), limit: 200 });
    await expect(svc.search({ namespace: 'shop', since: NOW, until: NOW })).rejects.toBeInstanceOf(InvalidInputError);
  });

  it("describes each trace by its root span, even when a child's row comes first", async () => {
    const { svc } = service([row('b000000000000002', 'a000000000000001', 'payments', 1_002, 500), row('a000000000000001', null, 'checkout', 1_000, 502)]);
    const { traces } = await svc.search({ namespace: 'shop' });
    expect(traces).toEqual([expect.objectContaining({ traceId: T, service: 'checkout', status: 502, spans: 2 })]);
  });

  it('returns the tree with depths, the failing span and the hidden count; 404 without spans', async () => {
    const { svc } = service([row('a000000000000001', null, 'checkout', 1_000, 502), row('b000000000000002', 'a000000000000001', 'payments', 1_002, 500)]);
    const t = await svc.get('shop', T);
    expect(t.roots[0]!.children[0]).toMatchObject({ service: 'payments', depth: 1, failed: true });
    expect(t.failingSpanId).toBe('b000000000000002');
    expect(t.hiddenSpans).toBe(2);
    expect(t.durationMs).toBe(7);
    await expect(service([]).svc.get('shop', T)).rejects.toBeInstanceOf(NotFoundError);
  });
});
