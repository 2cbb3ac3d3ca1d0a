import { describe, expect, it } from 'vitest';
import { layoutKey, loadLayout, MAX_SAVED_NODES, parseLayout, saveLayout, serializeLayout, usableLayout, type StorageLike } from './saved-layout';

const memory = (): StorageLike & { data: Map<string, string> } => {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
};

describe('saved layout', () => {
  it('round-trips positions per scope, in whole pixels', () => {
    const storage = memory();
    saveLayout(storage, 'shop', new Map([['ver:shop/a/v1', { x: 10.4, y: -3.6 }]]));
    expect(storage.data.has(layoutKey('shop'))).toBe(true);
    expect(loadLayout(storage, 'shop')).toEqual(new Map([['ver:shop/a/v1', { x: 10, y: -4 }]]));
    expect(loadLayout(storage, null)).toBeNull(); // the mesh is another scope
  });

  it('reads anything unexpected as nothing, and skips bad entries', () => {
    expect(parseLayout('not json')).toBeNull();
    expect(parseLayout(JSON.stringify({ v: 2, p: { a: [1, 2] } }))).toBeNull();
    expect(parseLayout(JSON.stringify({ v: 1, p: { a: [1, 'x'], b: [1, 2, 3], c: [5, 6] } }))).toEqual(new Map([['c', { x: 5, y: 6 }]]));
    const throwing: StorageLike = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('full'); } };
    expect(loadLayout(throwing, 'shop')).toBeNull();
    expect(() => saveLayout(throwing, 'shop', new Map([['a', { x: 1, y: 1 }]]))).not.toThrow();
  });

  it('is used when it places at least half of the graph’s leaves', () => {
    const saved = new Map([['a', { x: 0, y: 0 }], ['b', { x: 1, y: 1 }]]);
    expect(usableLayout(saved, ['a', 'b', 'c'])).toEqual(saved);
    expect(usableLayout(saved, ['a', 'c', 'd'])).toBeNull();
    expect(usableLayout(null, ['a'])).toBeNull();
  });

  it('is not kept for graphs past the size that is laid out as a grid', () => {
    const big = new Map(Array.from({ length: MAX_SAVED_NODES + 1 }, (_, i) => [`n${i}`, { x: i, y: i }] as const));
    expect(serializeLayout(big)).toBeNull();
  });
});
