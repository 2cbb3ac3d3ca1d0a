import { describe, expect, it } from 'vitest';
import { MAX_RPS, Pacer, parseRate, pickWeighted, STOREFRONT_MIX } from './pacing.ts';

describe('Pacer', () => {
  it('sends exactly the rate over a second of 50 ms ticks, carrying fractions', () => {
    const pacer = new Pacer(50, 0);
    const perTick = Array.from({ length: 20 }, (_, i) => pacer.due((i + 1) * 50));
    expect(perTick.reduce((a, b) => a + b, 0)).toBe(50);
    expect(new Set(perTick)).toEqual(new Set([2, 3]));
  });

  it('handles rates below one per tick and zero', () => {
    const slow = new Pacer(3, 0);
    const sent = Array.from({ length: 40 }, (_, i) => slow.due((i + 1) * 50)).reduce((a, b) => a + b, 0);
    expect(sent).toBe(6);
    const off = new Pacer(0, 0);
    expect(off.due(10_000)).toBe(0);
  });

  it('drops what exceeds the cap after a stall instead of bursting later', () => {
    const pacer = new Pacer(100, 0);
    expect(pacer.due(5_000, 20)).toBe(20);
    expect(pacer.due(5_050)).toBe(5);
  });

  it('changes the rate from now on', () => {
    const pacer = new Pacer(10, 0);
    pacer.setRate(100, 1_000);
    expect(pacer.rps).toBe(100);
    expect(pacer.due(2_000)).toBe(100);
    expect(() => pacer.setRate(-1, 2_000)).toThrow(/rps/);
    expect(() => new Pacer(MAX_RPS + 1, 0)).toThrow(/rps/);
  });
});

describe('parseRate', () => {
  it('reads a rate and names the setting when it is wrong', () => {
    expect(parseRate('12.5', 'WEFT_DEMO_RPS')).toBe(12.5);
    expect(parseRate('0', 'WEFT_DEMO_RPS')).toBe(0);
    for (const bad of ['', 'fast', '-3', String(MAX_RPS + 1)]) expect(() => parseRate(bad, 'WEFT_DEMO_RPS')).toThrow(/WEFT_DEMO_RPS/);
  });
});

describe('pickWeighted', () => {
  it('picks by weight', () => {
    const items = [{ name: 'a', weight: 1 }, { name: 'b', weight: 3 }, { name: 'none', weight: 0 }];
    expect(pickWeighted(items, () => 0).name).toBe('a');
    expect(pickWeighted(items, () => 0.24).name).toBe('a');
    expect(pickWeighted(items, () => 0.25).name).toBe('b');
    expect(pickWeighted(items, () => 0.9999).name).toBe('b');
  });

  it('gives the storefront mix its shares over many picks', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const counts: Record<string, number> = {};
    for (let i = 0; i < 20_000; i++) {
      const kind = pickWeighted(STOREFRONT_MIX, random).name;
      counts[kind] = (counts[kind] ?? 0) + 1;
    }
    const total = STOREFRONT_MIX.reduce((s, k) => s + k.weight, 0);
    for (const kind of STOREFRONT_MIX) expect(counts[kind.name]! / 20_000).toBeCloseTo(kind.weight / total, 1);
  });
});
