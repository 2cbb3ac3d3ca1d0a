/**
 * The cytoscape stylesheet of the topology graph. Colours follow the console's palette (the CSS
 * variables cannot reach a canvas, so they are repeated here as values).
 */
import type { StylesheetJson } from 'cytoscape';

export const GRAPH_COLORS = { ok: '#5b8def', warn: '#d98e04', bad: '#d93025', idle: '#c4c9d4', text: '#1f2430', muted: '#6b7280', namespace: '#f5f7fb', service: '#ffffff', version: '#e8eefc' } as const;

export type LabelMode = 'hover' | 'always';

/**
 * Distance of a split edge's weights label from its source, px: about half the label's width
 * past the source node, so the label lies along the edge (graph-apply.ts lays split edges out
 * long enough) instead of across the node it starts from.
 */
export const SPLIT_LABEL_OFFSET = 140;

export function graphStyle(labels: LabelMode): StylesheetJson {
  return [
    // Text is the costliest thing a canvas draws: skip labels too small to read (a 500-service mesh
    // fitted to the screen), they come back as the user zooms in.
    { selector: 'node', style: { label: 'data(label)', color: GRAPH_COLORS.text, 'font-size': 11, 'font-family': 'system-ui, sans-serif', 'min-zoomed-font-size': 7 } },
    {
      selector: 'node.namespace',
      style: { shape: 'round-rectangle', 'background-color': GRAPH_COLORS.namespace, 'border-color': '#d5dae4', 'border-width': 1, 'text-valign': 'top', 'text-halign': 'center', 'font-weight': 600, padding: '18px', color: GRAPH_COLORS.muted },
    },
    {
      selector: 'node.service',
      style: { shape: 'round-rectangle', 'background-color': GRAPH_COLORS.service, 'border-color': '#9aa6bd', 'border-width': 1.5, 'text-valign': 'top', 'text-halign': 'center', 'font-weight': 600, padding: '10px' },
    },
    // A service with its versions folded in (large graphs): a leaf box, its name inside.
    { selector: 'node.service.folded', style: { width: 'label', height: 28, padding: '8px', 'text-valign': 'center', 'font-weight': 600 } },
    { selector: 'node.version', style: { shape: 'ellipse', width: 34, height: 34, 'background-color': GRAPH_COLORS.version, 'border-color': GRAPH_COLORS.ok, 'border-width': 2, 'text-valign': 'center', 'font-size': 10 } },
    // A version only a route's split names yet (the canary before its first request).
    { selector: 'node.version.idle', style: { 'background-color': '#ffffff', 'border-color': GRAPH_COLORS.idle, 'border-style': 'dashed', color: GRAPH_COLORS.muted } },
    { selector: 'node.unknown', style: { shape: 'diamond', width: 36, height: 36, 'background-color': '#ffffff', 'border-color': GRAPH_COLORS.muted, 'border-style': 'dashed', 'border-width': 1.5, 'text-valign': 'bottom', 'text-margin-y': 4 } },
    { selector: 'node.match', style: { 'border-color': '#1a56db', 'border-width': 3 } },
    { selector: 'node:selected', style: { 'border-color': '#1a56db', 'border-width': 3 } },
    {
      selector: 'edge',
      style: {
        width: 'data(width)',
        'line-color': GRAPH_COLORS.ok,
        'target-arrow-color': GRAPH_COLORS.ok,
        'target-arrow-shape': 'triangle',
        'curve-style': 'bezier',
        'arrow-scale': 0.8,
        'font-size': 10,
        color: GRAPH_COLORS.text,
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.85,
        'text-background-padding': '2px',
        'text-rotation': 'autorotate',
        'min-zoomed-font-size': 7,
        label: labels === 'always' ? 'data(label)' : '',
      },
    },
    { selector: 'edge.straight', style: { 'curve-style': 'straight' } },
    { selector: 'edge.split', style: { 'source-label': 'data(split)', 'source-text-offset': SPLIT_LABEL_OFFSET, 'font-weight': 600 } },
    { selector: 'edge.warn', style: { 'line-color': GRAPH_COLORS.warn, 'target-arrow-color': GRAPH_COLORS.warn } },
    { selector: 'edge.bad', style: { 'line-color': GRAPH_COLORS.bad, 'target-arrow-color': GRAPH_COLORS.bad } },
    { selector: 'edge.idle', style: { 'line-color': GRAPH_COLORS.idle, 'target-arrow-color': GRAPH_COLORS.idle, 'line-style': 'dashed' } },
    { selector: 'edge.plaintext', style: { 'line-style': 'dashed' } },
    { selector: 'edge.hover, edge:selected', style: { label: 'data(label)', 'z-index': 10 } },
    { selector: '.dim', style: { opacity: 0.25 } },
  ];
}
