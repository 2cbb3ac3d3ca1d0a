import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from './version.ts';

describe('content hash', () => {
  it('does not depend on key order, at any depth', () => {
    const a = { x: 1, y: { b: [1, { d: 2, c: 3 }], a: 'z' } };
    const b = { y: { a: 'z', b: [1, { c: 3, d: 2 }] }, x: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(contentHash(a)).toBe(contentHash(b));
    expect(contentHash(a)).toMatch(/^[0-9a-f]{64}$/);
  });
  it('depends on array order and on every value', () => {
    expect(contentHash({ a: [1, 2] })).not.toBe(contentHash({ a: [2, 1] }));
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: 2 }));
  });
  it('ignores undefined fields', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
  });
});
