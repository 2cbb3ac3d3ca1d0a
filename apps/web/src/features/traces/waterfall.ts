/**
 * Pure: a trace's span tree → waterfall rows (one per span, parents before children) on a shared
 * time axis from the trace's earliest start to its latest end. Offsets and widths are percentages
 * of that axis; a bar is at least MIN_WIDTH_PERCENT wide so a 0 ms span stays visible.
 */
import type { TraceDetail, TraceSpan } from '@weft/contracts/traces';

export const MIN_WIDTH_PERCENT = 0.5;

export interface WaterfallRow {
  spanId: string;
  depth: number;
  /** `checkout → payments` for a client span, `payments` for a server span. */
  label: string;
  kind: 'server' | 'client';
  /** Start, relative to the trace's start, ms. */
  offsetMs: number;
  durationMs: number;
  offsetPercent: number;
  widthPercent: number;
  status: number;
  failed: boolean;
  /** The span the trace failed at (TraceDetail.failingSpanId). */
  failing: boolean;
  reason: string | null;
  /** Hover text: everything known about the span. */
  title: string;
}

export interface Waterfall {
  totalMs: number;
  rows: WaterfallRow[];
  /** Axis ticks: 0 and four more, evenly spaced, in ms. */
  ticks: Array<{ ms: number; percent: number }>;
}

/** `12.3 ms`, `1.25 s`, `850 µs`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms === 0) return '0 ms';
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

function flatten(roots: TraceSpan[]): TraceSpan[] {
  const out: TraceSpan[] = [];
  const walk = (s: TraceSpan): void => {
    out.push(s);
    s.children.forEach(walk);
  };
  roots.forEach(walk);
  return out;
}

function label(s: TraceSpan): string {
  if (s.direction === 'inbound') return s.service;
  return `${s.service} → ${s.peer ? s.peer.service : 'outside the mesh'}`;
}

function title(s: TraceSpan, offsetMs: number): string {
  const lines = [
    `${s.direction === 'inbound' ? 'Server span (inbound)' : 'Client span (outbound)'} of ${s.namespace}/${s.service} ${s.version}`,
    s.peer ? `${s.direction === 'inbound' ? 'Caller' : 'Calling'}: ${s.peer.namespace}/${s.peer.service} ${s.peer.version}` : null,
    `${s.method} ${s.route || '(no route)'} → ${s.status === 0 ? 'no response' : s.status}`,
    `Starts at +${formatDuration(offsetMs)}, lasts ${formatDuration(s.durationMs)}`,
    s.reason ? `Reason: ${s.reason}` : null,
    `Span ${s.spanId}${s.parentSpanId ? `, parent ${s.parentSpanId}` : ''}, proxy ${s.proxyId}`,
  ];
  return lines.filter((l): l is string => l !== null).join('\n');
}

export function waterfallOf(trace: Pick<TraceDetail, 'roots' | 'failingSpanId'>): Waterfall {
  const spans = flatten(trace.roots);
  if (spans.length === 0) return { totalMs: 0, rows: [], ticks: [{ ms: 0, percent: 0 }] };
  const starts = spans.map((s) => new Date(s.startAt).getTime());
  const t0 = Math.min(...starts);
  const end = Math.max(...spans.map((s, i) => starts[i]! + s.durationMs));
  const totalMs = Math.max(0, end - t0);
  const pct = (ms: number): number => (totalMs === 0 ? 0 : (ms / totalMs) * 100);
  const rows = spans.map((s, i): WaterfallRow => {
    const offsetMs = starts[i]! - t0;
    const offsetPercent = Math.min(pct(offsetMs), 100 - MIN_WIDTH_PERCENT);
    const widthPercent = Math.min(Math.max(totalMs === 0 ? 100 : pct(s.durationMs), MIN_WIDTH_PERCENT), 100 - offsetPercent);
    return {
      spanId: s.spanId,
      depth: s.depth,
      label: label(s),
      kind: s.direction === 'inbound' ? 'server' : 'client',
      offsetMs,
      durationMs: s.durationMs,
      offsetPercent,
      widthPercent,
      status: s.status,
      failed: s.failed,
      failing: s.spanId === trace.failingSpanId,
      reason: s.reason,
      title: title(s, offsetMs),
    };
  });
  const ticks = totalMs === 0 ? [{ ms: 0, percent: 0 }] : [0, 1, 2, 3, 4].map((i) => ({ ms: (totalMs * i) / 4, percent: i * 25 }));
  return { totalMs, rows, ticks };
}
