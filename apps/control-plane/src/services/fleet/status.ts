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

export function proxyStatus(
  row: Pick<ProxyRecord, 'replica' | 'lastSeenAt' | 'connectedSince' | 'versionSent' | 'sentAt' | 'versionAcked' | 'nackVersion'>,
  desired: { version: string; since: number } | undefined,
  s: StatusSettings,
): ProxyStatusValue {
  if (row.replica === null || s.now - row.lastSeenAt.getTime() > 3 * s.heartbeatMs) return 'DISCONNECTED';
  if (row.nackVersion !== null && row.nackVersion === row.versionSent && row.versionAcked !== row.versionSent) return 'NACKED';
  if (desired !== undefined && row.versionAcked === desired.version) return 'SYNCED';
  // Waiting: for the ACK of what was sent, or for the compile/send of a newer version.
  const waitingSince = Math.max(
    desired?.since ?? 0,
    row.versionSent !== null && row.versionSent === desired?.version && row.sentAt ? row.sentAt.getTime() : 0,
    row.connectedSince?.getTime() ?? 0,
  );
  return s.now - waitingSince <= s.ackDeadlineMs ? 'PENDING' : 'STALE';
}
