/**
 * Fault injection (TrafficPolicy `faultInjection`, applied by the calling proxy before sending):
 * delay `delay.percent` % of requests by `fixedDelayMs`, then answer `abort.percent` % with
 * `abort.httpStatus` without calling the service. Percentages may be fractions. The two are
 * sampled independently (a request may be both delayed and aborted), delay first, as Envoy does.
 */
import type { SnapshotClusterPolicy } from '@weft/contracts/snapshot';

export type FaultPolicy = SnapshotClusterPolicy['faultInjection'];

export interface FaultDecision {
  delayMs: number;
  /** The status to answer with, or null to send the request. */
  abortStatus: number | null;
}

const sample = (percent: number, random: () => number): boolean => percent > 0 && random() * 100 < percent;

export function decideFault(fault: FaultPolicy, random: () => number): FaultDecision {
  if (fault === undefined) return { delayMs: 0, abortStatus: null };
  const delayMs = fault.delay !== undefined && sample(fault.delay.percent, random) ? fault.delay.fixedDelayMs : 0;
  const abortStatus = fault.abort !== undefined && sample(fault.abort.percent, random) ? fault.abort.httpStatus : null;
  return { delayMs, abortStatus };
}
