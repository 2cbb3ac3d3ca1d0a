/**
 * Load shedding: a request is refused with 503 `overloaded` before any work when the listener
 * already has `maxInFlight` requests in flight, or when V8's used heap is above `maxHeapFraction`
 * of its limit — answering cheaply early beats running out of memory later.
 *
 * The heap is sampled at most every HEAP_SAMPLE_MS (v8.getHeapStatistics allocates; a request
 * path must not call it each time); the sample is shared by every listener of the process.
 */
import v8 from 'node:v8';

export const HEAP_SAMPLE_MS = 100;

let sampledAt = -Infinity;
let heapRatio = 0;

/** Used heap / heap limit, at most HEAP_SAMPLE_MS old. */
export function heapUsedRatio(now: number = Date.now()): number {
  if (now - sampledAt >= HEAP_SAMPLE_MS) {
    const s = v8.getHeapStatistics();
    heapRatio = s.heap_size_limit > 0 ? s.used_heap_size / s.heap_size_limit : 0;
    sampledAt = now;
  }
  return heapRatio;
}

/** Why a new request must be shed now, or undefined. */
export function overloadReason(inFlight: number, limits: { maxInFlight: number; maxHeapFraction: number }): string | undefined {
  if (inFlight >= limits.maxInFlight) return 'overloaded';
  if (limits.maxHeapFraction < 1 && heapUsedRatio() > limits.maxHeapFraction) return 'overloaded';
  return undefined;
}
