/**
 * The first stop of the proxies' telemetry batches (they arrive on the proxy streams): each
 * batch is checked against its stream's proxy, de-duplicated on (proxyId, runId, seq), gaps in
 * `seq` are counted, and accepted batches go on to `onBatch` (the ingestion of the telemetry
 * issue: windows, rollups, topology). Memory is bounded by the number of proxies.
 */
import type { TelemetryBatch } from '@weft/contracts/telemetry';

export type BatchOutcome = 'accepted' | 'duplicate';

export interface TelemetryReceiverStats {
  batches: number;
  duplicates: number;
  /** Batches the proxies say they dropped, plus gaps in `seq` seen here. */
  lost: number;
  requests: number;
  spans: number;
}

export function createTelemetryReceiver(opts: { onBatch?: (batch: TelemetryBatch) => void } = {}) {
  const last = new Map<string, { runId: string; seq: number }>();
  const stats: TelemetryReceiverStats = { batches: 0, duplicates: 0, lost: 0, requests: 0, spans: 0 };

  return {
    accept(batch: TelemetryBatch): BatchOutcome {
      const seen = last.get(batch.proxyId);
      if (seen && seen.runId === batch.runId) {
        if (batch.seq <= seen.seq) {
          stats.duplicates += 1;
          return 'duplicate';
        }
        stats.lost += batch.seq - seen.seq - 1;
      }
      last.set(batch.proxyId, { runId: batch.runId, seq: batch.seq });
      stats.batches += 1;
      stats.lost += batch.dropped.batches;
      for (const s of batch.series) stats.requests += s.requests;
      stats.spans += batch.spans.length;
      opts.onBatch?.(batch);
      return 'accepted';
    },
    /** A proxy left the inventory: forget its sequence. */
    forget(proxyId: string): void {
      last.delete(proxyId);
    },
    stats(): TelemetryReceiverStats {
      return { ...stats };
    },
  };
}

export type TelemetryReceiver = ReturnType<typeof createTelemetryReceiver>;
