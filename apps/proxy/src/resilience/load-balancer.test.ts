import { describe, expect, it } from 'vitest';
import { candidatesFor, pickEndpoint } from './load-balancer.ts';

interface Ep {
  name: string;
  inFlight: number;
}
const eps = (...loads: number[]): Ep[] => loads.map((inFlight, i) => ({ name: `e${i}`, inFlight }));
const seq = (...xs: number[]): (() => number) => {
  let i = 0;
  return () => xs[i++ % xs.length] as number;
};

describe('pickEndpoint', () => {
  it('LEAST_REQUEST picks the less busy of two distinct random endpoints', () => {
    const all = eps(5, 1, 3);
    // first 0.0 → e0; second 0.0 over the remaining two → e1
    expect(pickEndpoint('LEAST_REQUEST', all, (e) => e.inFlight, { cursor: 0 }, seq(0, 0))?.name).toBe('e1');
    // e2 vs e0 → e2
    expect(pickEndpoint('LEAST_REQUEST', all, (e) => e.inFlight, { cursor: 0 }, seq(0.9, 0))?.name).toBe('e2');
  });

  it('LEAST_REQUEST spreads load toward idle endpoints', () => {
    const all = eps(0, 0, 0, 0);
    let r = 0x9e3779b9;
    const random = (): number => {
      r = (r * 1103515245 + 12345) >>> 0;
      return r / 2 ** 32;
    };
    for (let i = 0; i < 400; i++) {
      const e = pickEndpoint('LEAST_REQUEST', all, (x) => x.inFlight, { cursor: 0 }, random) as Ep;
      e.inFlight++;
    }
    for (const e of all) expect(e.inFlight).toBeGreaterThan(80);
  });

  it('ROUND_ROBIN cycles, RANDOM is uniform over the candidates', () => {
    const all = eps(0, 0, 0);
    const state = { cursor: 0 };
    const names = Array.from({ length: 4 }, () => pickEndpoint('ROUND_ROBIN', all, (e) => e.inFlight, state, Math.random)?.name);
    expect(names).toEqual(['e0', 'e1', 'e2', 'e0']);
    expect(pickEndpoint('RANDOM', all, (e) => e.inFlight, state, () => 0.99)?.name).toBe('e2');
    expect(pickEndpoint('RANDOM', [], (e: Ep) => e.inFlight, state, () => 0.5)).toBeUndefined();
  });
});

describe('candidatesFor', () => {
  const [a, b, c] = eps(0, 0, 0) as [Ep, Ep, Ep];
  it('skips ejected and tried endpoints, with fallbacks', () => {
    const ejected = (e: Ep): boolean => e === c;
    expect(candidatesFor([a, b, c], ejected, new Set())).toEqual([a, b]);
    expect(candidatesFor([a, b, c], ejected, new Set([a]))).toEqual([b]);
    expect(candidatesFor([a, b, c], ejected, new Set([a, b]))).toEqual([a, b]);
    expect(candidatesFor([a, b, c], () => true, new Set([a]))).toEqual([b, c]);
    expect(candidatesFor([a], () => true, new Set([a]))).toEqual([a]);
  });
});
