/**
 * The fleet view: each proxy's registration and its delivery ledger, as the API returns them.
 *
 * Status (computed by the replica answering, against its latest compiled snapshots):
 * - SYNCED: the proxy acknowledged the version it should have (also after a revert to the version
 *   it ran before a NACK: `lastNack` stays as history).
 * - PENDING: a new version was sent and the ACK deadline has not passed yet.
 * - STALE: the proxy should have a newer version but has not acknowledged one within the deadline.
 * - NACKED: the proxy rejected the version it should have, or the latest version sent (see
 *   `lastNack`); it keeps its previous one.
 * - DISCONNECTED: no replica holds a stream from it; it leaves the inventory after the expiry.
 * Rules in order: apps/control-plane/src/services/fleet/status.ts.
 */
import { z } from 'zod';

export const ProxyStatusValueSchema = z.enum(['SYNCED', 'PENDING', 'STALE', 'NACKED', 'DISCONNECTED']);
export type ProxyStatusValue = z.infer<typeof ProxyStatusValueSchema>;

const isoDate = z.iso.datetime();

export const ProxyStatusSchema = z.object({
  id: z.string(),
  namespace: z.string(),
  service: z.string(),
  version: z.string(),
  address: z.string(),
  inboundPort: z.number().int(),
  /** Declared dependencies (`name.namespace`); null: all services. */
  dependencies: z.array(z.string()).nullable(),
  status: ProxyStatusValueSchema,
  /** The replica holding its stream; null when disconnected. */
  replica: z.string().nullable(),
  registeredAt: isoDate,
  connectedSince: isoDate.nullable(),
  lastSeenAt: isoDate,
  /** The version the control plane wants it to have; null while nothing is compiled for it. */
  desiredVersion: z.string().nullable(),
  versionSent: z.string().nullable(),
  sentAt: isoDate.nullable(),
  versionAcked: z.string().nullable(),
  ackedAt: isoDate.nullable(),
  lastNack: z.object({ version: z.string(), error: z.string(), at: isoDate }).nullable(),
  /** Time from sending its latest acknowledged version to the ACK. */
  pushLatencyMs: z.number().nullable(),
});
export type ProxyStatus = z.infer<typeof ProxyStatusSchema>;

export const ProxyListSchema = z.object({
  items: z.array(ProxyStatusSchema),
  /** Counts per status over every proxy matching the filters (not just this page). */
  counts: z.record(ProxyStatusValueSchema, z.number().int()),
  total: z.number().int(),
  nextCursor: z.string().nullable(),
});
export type ProxyList = z.infer<typeof ProxyListSchema>;
