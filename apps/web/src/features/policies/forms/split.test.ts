import { describe, expect, it } from 'vitest';
import { apportion, percentages, rebalance } from './split';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('percentages', () => {
  it('turns relative weights into whole percentages adding up to 100', () => {
    expect(percentages([95, 5])).toEqual([95, 5]);
    expect(percentages([19, 1])).toEqual([95, 5]);
    expect(percentages([1, 1, 1])).toEqual([34, 33, 33]);
    expect(percentages([0, 0])).toEqual([50, 50]);
    expect(percentages([3])).toEqual([100]);
    expect(percentages([])).toEqual([]);
  });

  it('gives the leftover points to the largest remainders', () => {
    expect(percentages([1, 2, 2])).toEqual([20, 40, 40]);
    expect(percentages([2, 1, 1, 1, 1, 1])).toEqual([29, 15, 14, 14, 14, 14]);
  });
});

describe('apportion', () => {
  it('ignores negative and non-finite shares', () => {
    expect(apportion([-5, Number.NaN, 10], 60)).toEqual([0, 0, 60]);
  });
});

describe('rebalance', () => {
  it('moves the other version of two to the complement', () => {
    expect(rebalance([50, 50], 0, 80)).toEqual([80, 20]);
    expect(rebalance([95, 5], 1, 30)).toEqual([70, 30]);
  });

  it('shares what is left in proportion among the others', () => {
    expect(rebalance([50, 30, 20], 0, 0)).toEqual([0, 60, 40]);
    expect(rebalance([40, 40, 20], 2, 60)).toEqual([20, 20, 60]);
    expect(rebalance([100, 0, 0], 0, 40)).toEqual([40, 30, 30]);
  });

  it('clamps and rounds the value set', () => {
    expect(rebalance([50, 50], 0, 150)).toEqual([100, 0]);
    expect(rebalance([50, 50], 0, -3)).toEqual([0, 100]);
    expect(rebalance([50, 50], 0, 33.6)).toEqual([34, 66]);
  });

  it('keeps a single version at 100 and refuses an unknown index', () => {
    expect(rebalance([100], 0, 30)).toEqual([100]);
    expect(() => rebalance([50, 50], 2, 10)).toThrow(RangeError);
  });

  it('always gives whole numbers adding up to 100, the moved one as asked', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let n = 0; n < 500; n++) {
      const size = 2 + Math.floor(random() * 6);
      const current = percentages(Array.from({ length: size }, () => Math.floor(random() * 50)));
      const index = Math.floor(random() * size);
      const value = Math.floor(random() * 101);
      const next = rebalance(current, index, value);
      expect(sum(next)).toBe(100);
      expect(next.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
      expect(next[index]).toBe(value);
    }
  });
});
