/**
 * A proxy's delivery status, from its ledger row and what this replica compiled for it
 * (packages/contracts/src/snapshot/fleet.ts defines the values). Pure, so it is tested alone.
 */
import type { ProxyStatusValue } from '@weft/contracts/snapshot';
import type { ProxyRecord } from './ports.ts';

export interface StatusSettings {
  now: number;
  /** A stream refreshes `lastSeenAt` every heartbeat; three missed ones mean its replica is gone. */
  heartbeatMs: number;
  /** How long a sent version may wait for its ACK before the proxy counts as STALE. */
  ackDeadlineMs: number;
}

/**
 * In order:
 * - DISCONNECTED: no stream, or its replica stopped refreshing it;
 * - SYNCED: it acknowledged the desired version — also when the desired version went back to one
 *   it acknowledged before a NACK (a revert): nothing is sent then, and the NACK stays visible
 *   as `lastNack` without defining the status. Unless its last word on that version is a NACK
 *   (an ACK and a NACK of the same version: the later one counts);
 * - NACKED: it rejected the desired version (which is never sent to it again), or the latest
 *   version sent while a newer one is not sent yet (and never acknowledged it since);
 * - PENDING / STALE: waiting for the ACK of what was sent, or for a newer version to be sent.
 */
export function proxyStatus(
  row: Pick<ProxyRecord, 'replica' | 'lastSeenAt' | 'connectedSince' | 'versionSent' | 'sentAt' | 'versionAcked' | 'ackedAt' | 'nackVersion' | 'nackAt'>,
  desired: { version: string; since: number } | undefined,
  s: StatusSettings,
): ProxyStatusValue {
  if (row.replica === null || s.now - row.lastSeenAt.getTime() > 3 * s.heartbeatMs) return 'DISCONNECTED';
  const acked = (version: string | null) => version !== null && row.versionAcked === version && !nackedAfterAck(row);
  if (desired !== undefined && acked(desired.version)) return 'SYNCED';
  if (row.nackVersion !== null && (row.nackVersion === desired?.version || (row.nackVersion === row.versionSent && !acked(row.versionSent)))) return 'NACKED';
  // Waiting: for the ACK of what was sent, or for the compile/send of a newer version.
  const waitingSince = Math.max(
    desired?.since ?? 0,
    row.versionSent !== null && row.versionSent === desired?.version && row.sentAt ? row.sentAt.getTime() : 0,
    row.connectedSince?.getTime() ?? 0,
  );
  return s.now - waitingSince <= s.ackDeadlineMs ? 'PENDING' : 'STALE';
}

/** The proxy NACKed the very version it had acknowledged, after acknowledging it. */
function nackedAfterAck(row: Pick<ProxyRecord, 'versionAcked' | 'ackedAt' | 'nackVersion' | 'nackAt'>): boolean {
  return row.nackVersion !== null && row.nackVersion === row.versionAcked && row.nackAt !== null && (row.ackedAt === null || row.nackAt.getTime() > row.ackedAt.getTime());
}
