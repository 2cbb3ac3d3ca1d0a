/**
 * The graph's layout, remembered per scope (a namespace, or the mesh) in the browser, so a reload
 * or a visit to another page and back shows the same picture: fCoSE starts from random positions
 * and would draw a new one each time, and people find their services by where they were.
 * "Re-layout" draws a new one and remembers that instead. Pure (storage is passed in).
 */
import type { Point } from './graph-model';

/** Stored under this key plus the scope. */
export const LAYOUT_KEY_PREFIX = 'weft.topology.layout.';
/** Past this many nodes the layout is a grid, the same each time: nothing to remember. */
export const MAX_SAVED_NODES = 300;
/** A saved layout is used when it places at least this share of today's leaf nodes (the rest are placed beside them). */
export const MIN_SAVED_SHARE = 0.5;

const VERSION = 1;

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export const layoutKey = (scope: string | null) => `${LAYOUT_KEY_PREFIX}${scope ?? '*'}`;

/** The positions as stored: `{v: 1, p: {id: [x, y]}}`, rounded to whole pixels. */
export function serializeLayout(positions: ReadonlyMap<string, Point>): string | null {
  if (positions.size === 0 || positions.size > MAX_SAVED_NODES) return null;
  const p: Record<string, [number, number]> = {};
  for (const [id, { x, y }] of positions) p[id] = [Math.round(x), Math.round(y)];
  return JSON.stringify({ v: VERSION, p });
}

/** What was stored, or null when nothing (or something unreadable, or from another version) was. */
export function parseLayout(text: string | null): Map<string, Point> | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as { v?: unknown; p?: unknown };
    if (value.v !== VERSION || typeof value.p !== 'object' || value.p === null) return null;
    const out = new Map<string, Point>();
    for (const [id, xy] of Object.entries(value.p)) {
      if (Array.isArray(xy) && xy.length === 2 && xy.every((n) => typeof n === 'number' && Number.isFinite(n))) out.set(id, { x: xy[0] as number, y: xy[1] as number });
    }
    return out.size > 0 ? out : null;
  } catch {
    return null;
  }
}

/** The saved positions of `leafIds` when there are enough of them to keep the picture; else null. */
export function usableLayout(saved: ReadonlyMap<string, Point> | null, leafIds: readonly string[]): Map<string, Point> | null {
  if (saved === null || leafIds.length === 0 || leafIds.length > MAX_SAVED_NODES) return null;
  const known = new Map<string, Point>();
  for (const id of leafIds) {
    const p = saved.get(id);
    if (p) known.set(id, p);
  }
  return known.size / leafIds.length >= MIN_SAVED_SHARE ? known : null;
}

/** Reads a scope's layout; storage that refuses (private mode, quota) reads as nothing. */
export function loadLayout(storage: StorageLike | undefined, scope: string | null): Map<string, Point> | null {
  try {
    return parseLayout(storage?.getItem(layoutKey(scope)) ?? null);
  } catch {
    return null;
  }
}

export function saveLayout(storage: StorageLike | undefined, scope: string | null, positions: ReadonlyMap<string, Point>): void {
  const text = serializeLayout(positions);
  if (text === null) return;
  try {
    storage?.setItem(layoutKey(scope), text);
  } catch {
    // A full or disabled storage only costs the remembered picture.
  }
}
