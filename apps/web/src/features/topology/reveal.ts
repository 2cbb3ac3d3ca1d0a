/**
 * How far to pan the graph so that a selected element is in view and not under the side panel,
 * which floats over the canvas's right edge (it never resizes the canvas: that would reshuffle
 * the view on every click). Pure, so it is tested without a DOM.
 */

export interface Box {
  x1: number;
  x2: number;
  y1: number;
  y2: number;
}

export interface Viewport {
  width: number;
  height: number;
  /** Pixels at the right edge covered by the panel (with its margin). */
  coveredRight: number;
}

/** The pan (rendered pixels) that brings `box` into the uncovered part of the viewport; {0, 0} when it is there. */
export function revealOffset(box: Box, view: Viewport, margin = 24): { x: number; y: number } {
  return {
    x: axisOffset(box.x1, box.x2, margin, Math.max(margin, view.width - view.coveredRight - margin)),
    y: axisOffset(box.y1, box.y2, margin, view.height - margin),
  };
}

/** Shift [lo, hi] into [min, max]; an element larger than the room is centred in it. */
function axisOffset(lo: number, hi: number, min: number, max: number): number {
  if (hi - lo > max - min) return (min + max) / 2 - (lo + hi) / 2;
  if (hi > max) return max - hi;
  if (lo < min) return min - lo;
  return 0;
}
