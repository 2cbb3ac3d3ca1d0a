import { REQUEST_SHAPE_LIMITS } from '@weft/contracts/telemetry';
import { ClientMessageSchema } from '@weft/contracts/snapshot';
import { describe, expect, it } from 'vitest';
import { createShapeReporter } from './shape-reports.ts';

const shape = (i: number, count = 1) => ({ principal: 'spiffe://weft.local/ns/shop/sa/frontend', method: 'GET', path: `/p/${i}`, port: 80, count });

describe('request shape reports', () => {
  it('splits an interval into valid stream messages and sends dropped once', () => {
    let t = 1_000;
    const reporter = createShapeReporter(() => t);
    t = 6_000;
    const sent: unknown[] = [];
    const n = reporter.report({ shapes: Array.from({ length: REQUEST_SHAPE_LIMITS.shapes + 5 }, (_, i) => shape(i)), overflow: 3 }, (requests) => {
      sent.push(requests);
      return true;
    });
    expect(n).toBe(2);
    for (const requests of sent) expect(ClientMessageSchema.safeParse({ type: 'requests', requests }).success).toBe(true);
    expect(sent.map((r) => (r as { dropped: number }).dropped)).toEqual([3, 0]);
    expect((sent[0] as { window: unknown }).window).toEqual({ startMs: 1_000, endMs: 6_000 });
  });

  it('counts shapes the contract cannot carry, and carries what the stream did not take into the next report', () => {
    const reporter = createShapeReporter();
    const long = { ...shape(0, 4), path: `/${'x'.repeat(REQUEST_SHAPE_LIMITS.pathLength)}` };
    expect(reporter.report({ shapes: [long, shape(1, 2)], overflow: 0 }, () => false)).toBe(0);
    const sent: Array<{ dropped: number; shapes: unknown[] }> = [];
    reporter.report({ shapes: [], overflow: 1 }, (r) => (sent.push(r), true));
    expect(sent).toEqual([expect.objectContaining({ shapes: [], dropped: 4 + 2 + 1 })]);
  });

  it('sends nothing for a quiet interval', () => {
    const reporter = createShapeReporter();
    expect(reporter.report({ shapes: [], overflow: 0 }, () => true)).toBe(0);
  });
});
