/**
 * Pure: stored spans of one trace → a tree, its root, its failing span (docs/traces.md "Tree").
 *
 * Every proxy draws its own span id and forwards it in `traceparent`; the next proxy reports it as
 * its span's `parentSpanId`. So one hop checkout → payments is two spans, linked:
 *
 *   checkout outbound (client span, spanId A, parent: whatever checkout's app forwarded)
 *     └─ payments inbound (server span, spanId B, parent A)
 *          └─ payments outbound … (when payments' app forwards the traceparent it received)
 *
 * A span whose parent is not among the spans given (not sampled, outside the mesh, reported in a
 * namespace the caller may not see, or the trace's true root) is a root; roots and children are
 * ordered by start time.
 */
import type { SpanRow } from './ports.ts';

export interface SpanNode {
  span: SpanRow;
  depth: number;
  children: SpanNode[];
}

/** A span failed: status ≥ 500, no response (0), or answered by a proxy itself (`reason`). */
export function spanFailed(s: Pick<SpanRow, 'status' | 'reason'>): boolean {
  return s.status >= 500 || s.status === 0 || s.reason !== null;
}

const byStart = (a: SpanNode, b: SpanNode): number =>
  a.span.startAt.getTime() - b.span.startAt.getTime() ||
  // A client span and the server span it caused can start in the same millisecond: client first.
  (a.span.direction === b.span.direction ? 0 : a.span.direction === 'outbound' ? -1 : 1) ||
  a.span.spanId.localeCompare(b.span.spanId);

/** The spans as a forest (roots ordered by start), each node knowing its depth. Cycles cannot occur: a span is never its own ancestor here. */
export function buildTree(spans: SpanRow[]): SpanNode[] {
  const nodes = spans.map((span): SpanNode => ({ span, depth: 0, children: [] }));
  const byId = new Map<string, SpanNode>();
  for (const n of nodes) if (!byId.has(n.span.spanId)) byId.set(n.span.spanId, n);
  const roots: SpanNode[] = [];
  for (const n of nodes) {
    const parent = n.span.parentSpanId === null ? undefined : byId.get(n.span.parentSpanId);
    if (parent && parent !== n && !isAncestor(n, parent, byId)) parent.children.push(n);
    else roots.push(n);
  }
  const visit = (n: SpanNode, depth: number): void => {
    n.depth = depth;
    n.children.sort(byStart);
    for (const c of n.children) visit(c, depth + 1);
  };
  roots.sort(byStart);
  for (const r of roots) visit(r, 0);
  return roots;
}

/** Whether `node` is an ancestor of `candidate` following parent ids (guards against malformed id loops). */
function isAncestor(node: SpanNode, candidate: SpanNode, byId: Map<string, SpanNode>): boolean {
  let cur: SpanNode | undefined = candidate;
  for (let i = 0; cur && i <= byId.size; i++) {
    if (cur === node) return true;
    cur = cur.span.parentSpanId === null ? undefined : byId.get(cur.span.parentSpanId);
  }
  return false;
}

/** Depth-first, parents before children: the order of a waterfall. */
export function flatten(roots: SpanNode[]): SpanNode[] {
  const out: SpanNode[] = [];
  const walk = (n: SpanNode): void => {
    out.push(n);
    for (const c of n.children) walk(c);
  };
  for (const r of roots) walk(r);
  return out;
}

/**
 * The span where the trace failed: the deepest failed span (the failure the others only passed
 * on); among equally deep ones, the earliest. undefined when nothing failed.
 */
export function failingSpan(roots: SpanNode[]): SpanNode | undefined {
  let best: SpanNode | undefined;
  for (const n of flatten(roots)) {
    if (!spanFailed(n.span)) continue;
    if (!best || n.depth > best.depth || (n.depth === best.depth && n.span.startAt < best.span.startAt)) best = n;
  }
  return best;
}

/** The span a search result describes: the first root (earliest start). */
export function rootSpan(spans: SpanRow[]): SpanRow | undefined {
  return buildTree(spans)[0]?.span;
}
