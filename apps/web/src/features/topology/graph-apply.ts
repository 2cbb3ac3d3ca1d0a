/**
 * Drawing graph-model elements on a cytoscape instance: the first answer is added and laid out;
 * every later one is applied as a diff (graph-model.ts), new nodes placed beside their neighbours,
 * so nothing already drawn moves. Shared by the console's GraphView and `npm run bench -- graph`,
 * which times exactly this.
 */
import cytoscape, { type Core, type EdgeSingular, type ElementDefinition, type LayoutOptions } from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { diffElements, leafIdsOf, placeNewNodes, type GraphElement, type Point } from './graph-model';
import { usableLayout } from './saved-layout';

/**
 * fCoSE (cytoscape-fcose) places compound nodes properly — a namespace box around its services,
 * a service box around its versions, boxes that do not overlap — where cytoscape's own cose let
 * a service's versions drift apart and namespace boxes overlap (the demo mesh showed it). It is
 * registered once, by the caller that owns the cytoscape module (registerLayouts). Past
 * LARGE_GRAPH_NODES a grid of namespaces is laid out at once (a force layout would take seconds).
 */
export const LARGE_GRAPH_NODES = 300;

let registered = false;
/** Registers the fCoSE layout with cytoscape (idempotent). */
export function registerLayouts(): void {
  if (registered) return;
  cytoscape.use(fcose);
  registered = true;
}

export function layoutFor(nodeCount: number): LayoutOptions {
  if (nodeCount > LARGE_GRAPH_NODES) return { name: 'grid', animate: false, padding: 24, avoidOverlap: true, nodeDimensionsIncludeLabels: false } as LayoutOptions;
  // randomize: fCoSE's spectral start needs it; the result is the same picture for the same graph.
  return {
    name: 'fcose',
    quality: 'default',
    randomize: true,
    animate: false,
    nodeDimensionsIncludeLabels: true,
    padding: 24,
    packComponents: true,
    nodeSeparation: 60,
    idealEdgeLength: (edge: EdgeSingular) => (edge.hasClass('split') ? SPLIT_EDGE_LENGTH : EDGE_LENGTH),
    nestingFactor: 0.1,
    tile: true,
  } as LayoutOptions;
}

/** Ideal edge length of the layout, px. */
export const EDGE_LENGTH = 90;
/**
 * A split edge carries its weights as a label at its source end ("v1 80% (observed 87%) · v2 20%
 * …", ~250 px): laid out at the usual length it would cover the nodes at either end.
 */
export const SPLIT_EDGE_LENGTH = 260;

/** Fitting never zooms in past this: a two-service graph stays at a readable size, not 4×. */
export const MAX_FIT_ZOOM = 1.25;

/** Fits the whole graph in the viewport (24 px padding), zoomed in at most MAX_FIT_ZOOM. */
export function fitGraph(cy: Core): void {
  cy.fit(undefined, 24);
  if (cy.zoom() > MAX_FIT_ZOOM) {
    cy.zoom(MAX_FIT_ZOOM);
    cy.center();
  }
}

/** Lays the whole graph out again (layoutFor), then fits it (fitGraph); `onDone` after that. */
export function runLayout(cy: Core, onDone?: () => void): void {
  registerLayouts();
  const layout = cy.layout({ ...layoutFor(cy.nodes().length), fit: false } as LayoutOptions);
  layout.one('layoutstop', () => {
    fitGraph(cy);
    onDone?.();
  });
  layout.run();
}

/** Where the drawn leaf nodes (versions, folded services, `unknown`) are: what a layout decides. */
export function leafPositions(cy: Core): Map<string, Point> {
  const positions = new Map<string, Point>();
  cy.nodes().forEach((n) => {
    if (!n.isParent()) positions.set(n.id(), { ...n.position() });
  });
  return positions;
}

export interface ApplyOptions {
  /** Positions remembered from an earlier visit (saved-layout.ts): the first answer is drawn there instead of laid out anew. */
  saved?: ReadonlyMap<string, Point> | null;
  /** Called when positions were decided: after a layout, or after new nodes were placed. */
  onPositions?: () => void;
}

const toDefinition = (e: GraphElement, position?: Point): ElementDefinition => ({ group: e.group, data: { ...e.data }, classes: e.classes, ...(position ? { position } : {}) });

/** Applies `next` over what `drawn` put on `cy`; returns `next` (the new `drawn`). */
export function applyElements(cy: Core, drawn: readonly GraphElement[], next: GraphElement[], options: ApplyOptions = {}): GraphElement[] {
  const first = drawn.length === 0;
  const diff = diffElements(drawn, next);
  let placed = new Map<string, Point>();
  // The first answer goes where it was last time, when that is remembered for most of it.
  const remembered = first ? usableLayout(options.saved ?? null, leafIdsOf(next)) : null;
  if (remembered) {
    placed = new Map([...remembered, ...placeNewNodes(remembered, diff.add.filter((e) => !remembered.has(e.data.id)), next)]);
  } else if (!first && diff.add.length > 0) {
    placed = placeNewNodes(leafPositions(cy), diff.add, next);
  }
  cy.batch(() => {
    for (const id of diff.remove) cy.getElementById(id).remove();
    // Parents before children, nodes before edges: the order buildGraph gives.
    cy.add(diff.add.map((e) => toDefinition(e, placed.get(e.data.id))));
    for (const e of diff.update) {
      const el = cy.getElementById(e.data.id);
      el.data(e.data);
      el.classes(e.classes);
    }
  });
  if (remembered) {
    fitGraph(cy);
    options.onPositions?.();
  } else if (first && next.length > 0) runLayout(cy, options.onPositions);
  else if (placed.size > 0) options.onPositions?.();
  return next;
}
