import { describe, expect, it } from 'vitest';
import { threeWayMerge } from './three-way';

const base = 'metadata:\n  resourceVersion: "8"\nspec:\n  retries:\n    attempts: 2\n  timeouts:\n    request: 3s\n';

describe('threeWayMerge', () => {
  it('takes changes made on one side only, from both sides', () => {
    const mine = base.replace('request: 3s', 'request: 5s');
    const theirs = base.replace('attempts: 2', 'attempts: 4').replace('"8"', '"9"');
    expect(threeWayMerge(mine, base, theirs)).toEqual({ text: base.replace('request: 3s', 'request: 5s').replace('attempts: 2', 'attempts: 4').replace('"8"', '"9"'), conflicts: 0 });
  });

  it('keeps the draft where both changed the same lines, and counts it', () => {
    const mine = base.replace('attempts: 2', 'attempts: 3');
    const theirs = base.replace('attempts: 2', 'attempts: 4').replace('"8"', '"9"');
    const merged = threeWayMerge(mine, base, theirs);
    expect(merged.conflicts).toBe(1);
    expect(merged.text).toContain('attempts: 3');
    expect(merged.text).toContain('"9"');
  });

  it('is no conflict when both made the same change', () => {
    const same = base.replace('attempts: 2', 'attempts: 4');
    expect(threeWayMerge(same, base, same)).toEqual({ text: same, conflicts: 0 });
  });
});
