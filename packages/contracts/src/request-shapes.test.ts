import { describe, expect, it } from 'vitest';
import { ClientMessageSchema, STREAM_LIMITS } from './snapshot/index.ts';
import { REQUEST_SHAPE_LIMITS, RequestShapesSchema } from './request-shapes.ts';

describe('request shapes', () => {
  it('a maximal requests message fits STREAM_LIMITS.messageBytes', () => {
    const shape = {
      principal: `spiffe://${'d'.repeat(REQUEST_SHAPE_LIMITS.principalLength - 9)}`,
      method: 'M'.repeat(REQUEST_SHAPE_LIMITS.methodLength),
      path: `/${'p'.repeat(REQUEST_SHAPE_LIMITS.pathLength - 1)}`,
      port: 65535,
      count: REQUEST_SHAPE_LIMITS.count,
    };
    const message = {
      type: 'requests',
      requests: { window: { startMs: Number.MAX_SAFE_INTEGER, endMs: Number.MAX_SAFE_INTEGER }, shapes: Array(REQUEST_SHAPE_LIMITS.shapes).fill(shape), dropped: Number.MAX_SAFE_INTEGER },
    };
    expect(ClientMessageSchema.safeParse(message).success).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThanOrEqual(STREAM_LIMITS.messageBytes);
  });

  it('names the bad field', () => {
    const bad = { window: { startMs: 0, endMs: 1 }, shapes: [{ principal: 'checkout', method: 'GET', path: '/x', port: 80, count: 1 }], dropped: 0 };
    const result = RequestShapesSchema.safeParse(bad);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['shapes', 0, 'principal']);
    const spaces = RequestShapesSchema.safeParse({ ...bad, shapes: [{ principal: null, method: 'GET', path: '/a b', port: 80, count: 1 }] });
    expect(spaces.error?.issues[0]?.path).toEqual(['shapes', 0, 'path']);
  });

  it('accepts unauthenticated callers and refuses a zero count', () => {
    const ok = { window: { startMs: 0, endMs: 1 }, shapes: [{ principal: null, method: 'GET', path: '/', port: 80, count: 1 }], dropped: 3 };
    expect(RequestShapesSchema.safeParse(ok).success).toBe(true);
    expect(RequestShapesSchema.safeParse({ ...ok, shapes: [{ ...ok.shapes[0], count: 0 }] }).success).toBe(false);
  });
});
