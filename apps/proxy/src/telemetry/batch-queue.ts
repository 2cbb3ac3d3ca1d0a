/**
 * Batches waiting for the control plane. The proxy keeps taking a batch every flush interval; while
 * the stream is down they wait here, at most `maxBatches` of them (≤ 256 KiB each, usually a few KiB).
 * When full, the oldest is dropped and counted. Nothing of the count is lost: the next batch that
 * leaves carries, in `dropped`, the batches dropped before it plus the `dropped` counters those
 * batches held themselves. Sent in order, so the receiver sees `seq` grow, with a gap where
 * batches were dropped.
 *
 * Use: every flush interval push `telemetry.takeBatch()` (when not null); while the stream is open,
 * send `peek()` and `shift()` it once the send succeeded.
 */
import type { TelemetryBatch } from '@weft/contracts/telemetry';

export interface BatchQueue {
  /** Appends; drops the oldest when full. */
  push(batch: TelemetryBatch): void;
  /** The oldest batch, as `shift` will return it (with the pending drop counts), without removing it. */
  peek(): TelemetryBatch | undefined;
  /** Removes and returns the oldest batch, carrying the drop counts not reported yet. */
  shift(): TelemetryBatch | undefined;
  readonly size: number;
  /** Batches dropped since the start (for /metrics). */
  readonly droppedTotal: number;
}

export function createBatchQueue(maxBatches: number): BatchQueue {
  if (!Number.isInteger(maxBatches) || maxBatches < 1) throw new RangeError(`maxBatches must be a positive integer, not ${maxBatches}`);
  // A ring buffer: no shifting of arrays while the control plane is away for long.
  const ring: (TelemetryBatch | undefined)[] = new Array(maxBatches).fill(undefined);
  let head = 0;
  let size = 0;
  let droppedTotal = 0;
  /** Counts of dropped batches not yet carried by a sent batch. */
  const pending = { series: 0, spans: 0, batches: 0 };

  function withPending(b: TelemetryBatch): TelemetryBatch {
    if (pending.series === 0 && pending.spans === 0 && pending.batches === 0) return b;
    return {
      ...b,
      dropped: { series: b.dropped.series + pending.series, spans: b.dropped.spans + pending.spans, batches: b.dropped.batches + pending.batches },
    };
  }

  return {
    push(batch) {
      if (size === maxBatches) {
        const oldest = ring[head]!;
        pending.series += oldest.dropped.series;
        pending.spans += oldest.dropped.spans;
        pending.batches += oldest.dropped.batches + 1;
        droppedTotal++;
        ring[head] = undefined;
        head = (head + 1) % maxBatches;
        size--;
      }
      ring[(head + size) % maxBatches] = batch;
      size++;
    },
    peek() {
      return size === 0 ? undefined : withPending(ring[head]!);
    },
    shift() {
      if (size === 0) return undefined;
      const b = withPending(ring[head]!);
      ring[head] = undefined;
      head = (head + 1) % maxBatches;
      size--;
      pending.series = pending.spans = pending.batches = 0;
      return b;
    },
    get size() {
      return size;
    },
    get droppedTotal() {
      return droppedTotal;
    },
  };
}
