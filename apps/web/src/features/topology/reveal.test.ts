import { describe, expect, it } from 'vitest';
import { revealOffset } from './reveal';

const view = { width: 1000, height: 600, coveredRight: 400 };

describe('revealOffset', () => {
  it('leaves an element alone when it is clear of the panel', () => {
    expect(revealOffset({ x1: 100, x2: 200, y1: 100, y2: 150 }, view)).toEqual({ x: 0, y: 0 });
  });

  it('pans an element out from under the panel, to the left of it', () => {
    // Visible room: x in [24, 576]; the node at 800–860 moves to end at 576.
    expect(revealOffset({ x1: 800, x2: 860, y1: 100, y2: 150 }, view)).toEqual({ x: -284, y: 0 });
  });

  it('pans elements above or below the canvas into view', () => {
    expect(revealOffset({ x1: 100, x2: 200, y1: -50, y2: 0 }, view)).toEqual({ x: 0, y: 74 });
    expect(revealOffset({ x1: 100, x2: 200, y1: 650, y2: 700 }, view)).toEqual({ x: 0, y: -124 });
  });

  it('centres an element wider than the room left by the panel', () => {
    expect(revealOffset({ x1: 0, x2: 900, y1: 100, y2: 150 }, view)).toEqual({ x: -150, y: 0 });
  });

  it('moves an element to the left margin when the panel leaves no room', () => {
    expect(revealOffset({ x1: 100, x2: 120, y1: 100, y2: 150 }, { width: 300, height: 600, coveredRight: 290 })).toEqual({ x: -86, y: 0 });
  });
});
