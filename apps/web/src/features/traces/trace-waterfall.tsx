'use client';

import { useQuery } from '@tanstack/react-query';
import { formatDateTime } from '../../lib/format-time';
import { useTRPC } from '../../lib/trpc';
import { Button } from '../ui/button';
import { Alert, LoadingState, ProblemState } from '../ui/feedback';
import { Section } from '../ui/page';
import { formatDuration, waterfallOf } from './waterfall';
import styles from './traces.module.css';

/** Indentation per tree level, rem. */
const INDENT_REM = 1.25;

/** One trace as a waterfall: a row per span, its bar on the trace's time axis, the failing span in red. */
export function TraceWaterfall({ namespace, traceId, onClose }: { namespace: string; traceId: string; onClose: () => void }) {
  const trpc = useTRPC();
  const trace = useQuery(trpc.traces.get.queryOptions({ namespace, traceId }));
  const close = (
    <Button size="small" onClick={onClose}>
      Close
    </Button>
  );
  if (trace.isPending) return <LoadingState label="Loading the trace…" />;
  if (trace.error) return <ProblemState error={trace.error} what={`trace ${traceId}`} onRetry={() => void trace.refetch()} />;
  const t = trace.data;
  const w = waterfallOf(t);
  const failing = w.rows.find((r) => r.failing);
  return (
    <Section
      id="waterfall"
      title={`Trace ${traceId}`}
      description={`${w.rows.length} span${w.rows.length === 1 ? '' : 's'} over ${formatDuration(w.totalMs)}, started ${formatDateTime(t.startAt)}`}
      actions={close}
      flush
    >
      {failing && (
        <Alert tone="error" className={styles.failingAlert}>
          Failed at <strong>{failing.label}</strong>: {failing.status === 0 ? 'no response' : `HTTP ${failing.status}`}
          {failing.reason ? ` — ${failing.reason}` : ''}
        </Alert>
      )}
      {t.hiddenSpans > 0 && (
        <Alert tone="warning" className={styles.failingAlert}>
          {t.hiddenSpans === 1 ? '1 more span of this trace belongs to another namespace and is not shown.' : `${t.hiddenSpans} more spans of this trace belong to other namespaces and are not shown.`}
        </Alert>
      )}
      <div className={styles.waterfall} role="table" aria-label="Waterfall">
        <div className={styles.axisRow} role="row">
          <div className={styles.labelCell} role="columnheader">
            Span
          </div>
          <div className={styles.axis} role="columnheader" aria-label="Time">
            {w.ticks.map((tick) => (
              <span key={tick.percent} className={styles.tick} style={{ left: `${tick.percent}%` }}>
                {formatDuration(tick.ms)}
              </span>
            ))}
          </div>
        </div>
        {w.rows.map((r) => (
          <div
            key={`${r.spanId}-${r.kind}`}
            role="row"
            className={[styles.spanRow, r.failing && styles.failingRow].filter(Boolean).join(' ')}
            data-failing={r.failing ? 'true' : undefined}
            title={r.title}
          >
            <div className={styles.labelCell} role="cell" style={{ paddingLeft: `${0.75 + r.depth * INDENT_REM}rem` }}>
              <span className={styles.kind} title={r.kind === 'server' ? 'Server span (inbound proxy)' : 'Client span (outbound proxy)'}>
                {r.kind === 'server' ? 'S' : 'C'}
              </span>
              <span className={styles.spanLabel}>{r.label}</span>
              <span className={r.failed ? styles.statusBad : styles.status}>{r.status === 0 ? '—' : r.status}</span>
              {r.failing && r.reason && <span className={styles.reason}>{r.reason}</span>}
            </div>
            <div className={styles.track} role="cell">
              <span
                className={[styles.bar, r.kind === 'client' && styles.barClient, r.failed && styles.barFailed, r.failing && styles.barFailing].filter(Boolean).join(' ')}
                style={{ left: `${r.offsetPercent}%`, width: `${r.widthPercent}%` }}
              />
              <span className={styles.barText} style={{ left: `${r.offsetPercent + r.widthPercent}%` }}>
                {formatDuration(r.durationMs)}
              </span>
            </div>
          </div>
        ))}
      </div>
    </Section>
  );
}
