/**
 * The browser side of bench/graph: the console's own graph code (graph-model.ts, graph-apply.ts,
 * graph-style.ts) on a cytoscape instance, bundled into one script by graph.bench.ts. Each call
 * returns milliseconds from its start to the first frame after it (two requestAnimationFrames:
 * the frame that paints the change has been produced).
 */
import cytoscape, { type Core } from 'cytoscape';
import { applyElements } from '../../apps/web/src/features/topology/graph-apply';
import { webglAccelerated } from '../../apps/web/src/features/topology/webgl-support';
import { buildGraph, type GraphElement, type Topology } from '../../apps/web/src/features/topology/graph-model';
import { graphStyle } from '../../apps/web/src/features/topology/graph-style';

let cy: Core | undefined;
let drawn: GraphElement[] = [];

const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));

function webglAvailable(): boolean {
  try {
    return document.createElement('canvas').getContext('webgl2') !== null;
  } catch {
    return false;
  }
}

async function render(topology: Topology, webgl: boolean): Promise<{ ms: number; nodes: number; edges: number; webgl: boolean }> {
  cy?.destroy();
  drawn = [];
  const started = performance.now();
  const useWebgl = webgl && webglAvailable();
  cy = cytoscape({ container: document.getElementById('graph'), style: graphStyle('hover'), layout: { name: 'preset' }, renderer: { name: 'canvas', webgl: useWebgl } } as cytoscape.CytoscapeOptions);
  drawn = applyElements(cy, drawn, buildGraph(topology));
  cy.fit(undefined, 24);
  await frame();
  return { ms: performance.now() - started, nodes: cy.nodes().length, edges: cy.edges().length, webgl: useWebgl };
}

/** A live update: the answer is built and applied as a diff (what the console does every few seconds). */
async function update(topology: Topology): Promise<{ ms: number; buildMs: number; applyMs: number }> {
  const started = performance.now();
  const next = buildGraph(topology);
  const built = performance.now();
  drawn = applyElements(cy!, drawn, next);
  const applied = performance.now();
  await frame();
  return { ms: performance.now() - started, buildMs: built - started, applyMs: applied - built };
}

/** The baseline a diff is compared with: every element removed and added again (positions kept by a preset layout). */
async function replaceAll(topology: Topology): Promise<{ ms: number }> {
  const started = performance.now();
  const positions = new Map(cy!.nodes().map((n) => [n.id(), { ...n.position() }]));
  const next = buildGraph(topology);
  cy!.batch(() => {
    cy!.elements().remove();
    cy!.add(next.map((e) => ({ group: e.group, data: { ...e.data }, classes: e.classes, position: positions.get(e.data.id) })));
  });
  drawn = next;
  await frame();
  return { ms: performance.now() - started };
}

(globalThis as unknown as { weftGraph: unknown }).weftGraph = { render, update, replaceAll, accelerated: webglAccelerated };
