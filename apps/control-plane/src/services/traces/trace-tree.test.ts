import { describe, expect, it } from 'vitest';
import type { SpanRow } from './ports.ts';
import { buildTree, failingSpan, flatten, rootSpan, spanFailed } from './trace-tree.ts';

const T = '0af7651916cd43dd8448eb211c80319c';
let n = 0;
function span(spanId: string, parentSpanId: string | null, over: Partial<SpanRow> = {}): SpanRow {
  n++;
  return {
    traceId: T,
    spanId,
    parentSpanId,
    direction: 'inbound',
    workload: { namespace: 'shop', service: `svc${n}`, version: 'v1' },
    peer: null,
    route: 'r',
    method: 'GET',
    status: 200,
    startAt: new Date(1_000),
    durationMs: 10,
    reason: null,
    proxyId: 'p',
    ...over,
  };
}

describe('trace tree', () => {
  it("nests a peer's inbound (server) span under the outbound (client) span whose id it names as parent", () => {
    const out = span('a000000000000001', null, { direction: 'outbound', workload: { namespace: 'shop', service: 'checkout', version: 'v1' } });
    const inb = span('b000000000000002', 'a000000000000001', { workload: { namespace: 'shop', service: 'payments', version: 'v1' }, startAt: new Date(1_001) });
    const roots = buildTree([inb, out]);
    expect(roots).toHaveLength(1);
    expect(roots[0]!.span.workload.service).toBe('checkout');
    expect(roots[0]!.children.map((c) => [c.span.workload.service, c.depth])).toEqual([['payments', 1]]);
    expect(rootSpan([inb, out])!.spanId).toBe('a000000000000001');
  });

  it('orders children by start (client before server at the same millisecond) and makes spans with unknown parents roots', () => {
    const root = span('a000000000000001', null);
    const late = span('c000000000000003', 'a000000000000001', { startAt: new Date(1_005) });
    const early = span('b000000000000002', 'a000000000000001', { startAt: new Date(1_002), direction: 'inbound' });
    const sameMsClient = span('d000000000000004', 'a000000000000001', { startAt: new Date(1_002), direction: 'outbound' });
    const orphan = span('e000000000000005', 'ffffffffffffffff', { startAt: new Date(900) });
    const roots = buildTree([late, root, early, orphan, sameMsClient]);
    expect(roots.map((r) => r.span.spanId)).toEqual(['e000000000000005', 'a000000000000001']);
    expect(flatten(roots).map((r) => r.span.spanId)).toEqual(['e000000000000005', 'a000000000000001', 'd000000000000004', 'b000000000000002', 'c000000000000003']);
  });

  it('survives parent-id loops (malformed input) without recursing forever', () => {
    const a = span('a000000000000001', 'b000000000000002');
    const b = span('b000000000000002', 'a000000000000001');
    expect(flatten(buildTree([a, b]))).toHaveLength(2);
  });

  it('the failing span is the deepest failed one; a proxy-answered span (reason) counts; none when all succeeded', () => {
    const root = span('a000000000000001', null, { status: 502 });
    const mid = span('b000000000000002', 'a000000000000001', { status: 502 });
    const leaf = span('c000000000000003', 'b000000000000002', { status: 500 });
    const okSibling = span('d000000000000004', 'a000000000000001', { status: 200 });
    expect(failingSpan(buildTree([root, mid, leaf, okSibling]))!.span.spanId).toBe('c000000000000003');
    const refused = span('e000000000000005', 'a000000000000001', { status: 403, reason: 'denied by shop/deny-all' });
    expect(spanFailed(refused)).toBe(true);
    expect(failingSpan(buildTree([span('a000000000000001', null, { status: 503 }), refused]))!.span.spanId).toBe('e000000000000005');
    expect(failingSpan(buildTree([span('a000000000000001', null), okSibling]))).toBeUndefined();
    expect(spanFailed({ status: 0, reason: null })).toBe(true);
    expect(spanFailed({ status: 404, reason: null })).toBe(false);
  });
});
