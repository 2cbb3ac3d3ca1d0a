import cytoscape from 'cytoscape';
import { describe, expect, it, vi } from 'vitest';
import { applyElements, leafPositions } from './graph-apply';
import { buildGraph, type Topology } from './graph-model';

const node = (service: string, versions: string[]) => ({ id: `shop/${service}`, namespace: 'shop', service, versions: versions.map((version) => ({ version, requests: 10, errors: 0 })) });
const edge = { source: 'shop/web', target: 'shop/api', requests: 10, rps: 1, errorRate: 0, p50Ms: 1, p95Ms: 2, p99Ms: 3, mtlsShare: 1 };
const topology = (extra: string[] = []): Topology => ({ nodes: [node('web', ['v1']), node('api', ['v1', ...extra])], edges: [edge] });

describe('applyElements with a remembered layout', () => {
  it('draws the first answer where it was last time, placing what is new beside it, and says so', () => {
    const cy = cytoscape({ headless: true, styleEnabled: false });
    const saved = new Map([
      ['ver:shop/web/v1', { x: 500, y: 40 }],
      ['ver:shop/api/v1', { x: 100, y: 300 }],
    ]);
    const onPositions = vi.fn();
    applyElements(cy, [], buildGraph(topology(['v2'])), { saved, onPositions });
    const at = leafPositions(cy);
    expect(at.get('ver:shop/web/v1')).toEqual({ x: 500, y: 40 });
    expect(at.get('ver:shop/api/v1')).toEqual({ x: 100, y: 300 });
    expect(at.get('ver:shop/api/v2')).toEqual({ x: 100, y: 370 }); // below its sibling
    expect(onPositions).toHaveBeenCalledTimes(1);
  });

  it('remembers the positions of nodes placed by a live update', () => {
    const cy = cytoscape({ headless: true, styleEnabled: false });
    const saved = new Map([
      ['ver:shop/web/v1', { x: 0, y: 0 }],
      ['ver:shop/api/v1', { x: 200, y: 0 }],
    ]);
    const onPositions = vi.fn();
    const drawn = applyElements(cy, [], buildGraph(topology()), { saved });
    applyElements(cy, drawn, buildGraph(topology()), { onPositions });
    expect(onPositions).not.toHaveBeenCalled(); // nothing new
    applyElements(cy, drawn, buildGraph(topology(['v2'])), { onPositions });
    expect(onPositions).toHaveBeenCalledTimes(1);
    expect(leafPositions(cy).get('ver:shop/web/v1')).toEqual({ x: 0, y: 0 });
  });
});
