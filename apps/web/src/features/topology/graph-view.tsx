'use client';

/**
 * The topology graph on a cytoscape canvas (WebGL for large graphs where the browser has it). Elements come from
 * graph-model.ts; a new answer is applied as a diff, and new nodes are placed next to their
 * neighbours, so a live update never reshuffles what the user is looking at. The first answer is
 * laid out once (cose, which understands compound nodes); "Re-layout" does it again on demand.
 */
import cytoscape, { type Core } from 'cytoscape';
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import { applyElements, fitGraph, leafPositions, runLayout } from './graph-apply';
import type { GraphElement } from './graph-model';
import { graphStyle, type LabelMode } from './graph-style';
import { revealOffset } from './reveal';
import { loadLayout, saveLayout } from './saved-layout';
import { webglAccelerated } from './webgl-support';

export interface GraphSelection {
  kind: 'node' | 'edge';
  data: GraphElement['data'];
}

export interface GraphViewHandle {
  fit(): void;
  zoom(factor: number): void;
  relayout(): void;
  /** Pan element `id` into view, clear of the `coveredRight` pixels a panel covers. */
  reveal(id: string, coveredRight: number): void;
  /** The whole graph as a PNG data URL. */
  png(): string | undefined;
}

interface Props {
  elements: GraphElement[];
  labels: LabelMode;
  onSelect(selection: GraphSelection | null): void;
  /** The namespace shown (null: the mesh): its layout is remembered in the browser (saved-layout.ts). */
  scope?: string | null;
  /** For tests: the count of elements drawn, on the container as data attributes. */
  className?: string;
}

/**
 * WebGL only pays off for large graphs (it draws 2,000 edges smoothly where the 2D canvas
 * stutters), and only on a GPU (webgl-support.ts): for a small graph its start-up costs more than
 * it saves, and software GL is slower than the 2D canvas and can block the page for seconds.
 * Decided once, from the first answer's size.
 */
export const WEBGL_MIN_ELEMENTS = 1_000;

/** The browser's localStorage, when there is one that may be used. */
function browserStorage(): Storage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.localStorage;
  } catch {
    return undefined;
  }
}

export const GraphView = forwardRef<GraphViewHandle, Props>(function GraphView({ elements, labels, onSelect, scope = null, className }, ref) {
  const container = useRef<HTMLDivElement>(null);
  const cy = useRef<Core | null>(null);
  const drawn = useRef<GraphElement[]>([]);
  const select = useRef(onSelect);
  select.current = onSelect;
  const large = useRef(elements.length >= WEBGL_MIN_ELEMENTS);
  /** Remembers where the nodes are now: after a layout, a drag, or new nodes placed. */
  const remember = useRef(() => {
    if (cy.current) saveLayout(browserStorage(), scope, leafPositions(cy.current));
  });

  useEffect(() => {
    // `renderer.webgl` (cytoscape ≥ 3.31) is not in its type definitions yet; labels stay on the
    // canvas layer.
    const options = {
      container: container.current,
      elements: [],
      style: graphStyle(labels),
      layout: { name: 'preset' },
      minZoom: 0.05,
      maxZoom: 4,
      renderer: { name: 'canvas', webgl: large.current && webglAccelerated() },
    } as cytoscape.CytoscapeOptions;
    const instance = cytoscape(options);
    instance.on('tap', 'node, edge', (evt) => select.current({ kind: evt.target.isNode() ? 'node' : 'edge', data: evt.target.data() }));
    instance.on('tap', (evt) => {
      if (evt.target === instance) select.current(null);
    });
    instance.on('mouseover', 'edge', (evt) => evt.target.addClass('hover'));
    instance.on('mouseout', 'edge', (evt) => evt.target.removeClass('hover'));
    instance.on('dragfree', 'node', () => remember.current());
    cy.current = instance;
    return () => {
      instance.destroy();
      cy.current = null;
      drawn.current = [];
    };
    // The stylesheet follows `labels` in the next effect; the instance lives as long as the component.
  }, []);

  useEffect(() => {
    cy.current?.style(graphStyle(labels));
  }, [labels]);

  useEffect(() => {
    const instance = cy.current;
    if (!instance) return;
    const first = drawn.current.length === 0;
    drawn.current = applyElements(instance, drawn.current, elements, { saved: first ? loadLayout(browserStorage(), scope) : null, onPositions: () => remember.current() });
    container.current?.setAttribute('data-nodes', String(instance.nodes().length));
    container.current?.setAttribute('data-edges', String(instance.edges().length));
  }, [elements]);

  useImperativeHandle(ref, () => ({
    fit: () => {
      if (cy.current) fitGraph(cy.current);
    },
    zoom: (factor) => {
      const instance = cy.current;
      if (!instance) return;
      instance.zoom({ level: instance.zoom() * factor, renderedPosition: { x: instance.width() / 2, y: instance.height() / 2 } });
    },
    relayout: () => {
      if (cy.current) runLayout(cy.current, () => remember.current());
    },
    reveal: (id, coveredRight) => {
      const instance = cy.current;
      const element = instance?.getElementById(id);
      if (!instance || !element || element.empty()) return;
      const pan = revealOffset(element.renderedBoundingBox({}), { width: instance.width(), height: instance.height(), coveredRight });
      if (pan.x !== 0 || pan.y !== 0) instance.panBy(pan);
    },
    png: () => cy.current?.png({ full: true, scale: 2, bg: '#ffffff' }),
  }));

  return <div ref={container} className={className} data-testid="topology-graph" role="img" aria-label="Service dependency graph" />;
});
