/**
 * Pure helpers of the Proxies page (docs/fleet.md): counts per status, the table's sort, relative
 * times, shortened config versions, and what each status means for the person looking at it.
 * No React and no fetching, so they are tested without a browser.
 */
import type { ProxyList, ProxyStatus, ProxyStatusValue } from '@weft/contracts/snapshot';
import { formatDuration } from '../identity/lifetime';

/** The statuses shown as filter chips, in the order of the fleet bar (PENDING only when any). */
export const STATUS_ORDER: readonly ProxyStatusValue[] = ['SYNCED', 'PENDING', 'STALE', 'NACKED', 'DISCONNECTED'];

/** Statuses that always get a chip, even at 0; PENDING is transient and shown only when present. */
const ALWAYS_SHOWN: ReadonlySet<ProxyStatusValue> = new Set(['SYNCED', 'STALE', 'NACKED', 'DISCONNECTED']);

export interface StatusCount {
  status: ProxyStatusValue;
  count: number;
  /** Share of the fleet matching the filters, 0 to 1 (0 when there is none). */
  fraction: number;
}

/** The API's counts (over every match, not just this page) in chip order, missing ones as 0. */
export function statusCounts(counts: Partial<ProxyList['counts']>): StatusCount[] {
  const total = STATUS_ORDER.reduce((sum, status) => sum + (counts[status] ?? 0), 0);
  return STATUS_ORDER.filter((status) => ALWAYS_SHOWN.has(status) || (counts[status] ?? 0) > 0).map((status) => {
    const count = counts[status] ?? 0;
    return { status, count, fraction: total > 0 ? count / total : 0 };
  });
}

/** A proxy's key across namespaces (ids are unique within one): `shop/payments-1`. */
export function proxyKey(proxy: { namespace: string; id: string }): string {
  return `${proxy.namespace}/${proxy.id}`;
}

export type SortKey = 'id' | 'service' | 'status' | 'pushLatency' | 'connectedSince' | 'lastSeen' | 'certExpiry';
export type SortDirection = 'asc' | 'desc';
export interface Sort {
  key: SortKey;
  direction: SortDirection;
}

/** Worst first when ascending: what needs attention comes to the top. */
const STATUS_RANK: Record<ProxyStatusValue, number> = { NACKED: 0, STALE: 1, DISCONNECTED: 2, PENDING: 3, SYNCED: 4 };

function time(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

/** The value a row sorts by; null sorts last in either direction. */
function sortValue(proxy: ProxyStatus, key: SortKey, certExpiry: ReadonlyMap<string, string>): string | number | null {
  switch (key) {
    case 'id':
      return proxyKey(proxy);
    case 'service':
      return `${proxy.namespace}/${proxy.service}/${proxy.version}`;
    case 'status':
      return STATUS_RANK[proxy.status];
    case 'pushLatency':
      return proxy.pushLatencyMs;
    case 'connectedSince':
      return time(proxy.connectedSince);
    case 'lastSeen':
      return time(proxy.lastSeenAt);
    case 'certExpiry':
      return time(certExpiry.get(proxyKey(proxy)));
  }
}

/**
 * A sorted copy: by `sort`, then by namespace and id so the order is stable between refreshes.
 * Missing values (no ACK yet, disconnected, no certificate) go last whichever the direction.
 * `certExpiry` maps a proxy's key (proxyKey) to its newest certificate's notAfter.
 */
export function sortProxies(proxies: readonly ProxyStatus[], sort: Sort, certExpiry: ReadonlyMap<string, string> = new Map()): ProxyStatus[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  const tieBreak = (a: ProxyStatus, b: ProxyStatus) => a.namespace.localeCompare(b.namespace) || a.id.localeCompare(b.id);
  return [...proxies].sort((a, b) => {
    const va = sortValue(a, sort.key, certExpiry);
    const vb = sortValue(b, sort.key, certExpiry);
    if (va === null && vb === null) return tieBreak(a, b);
    if (va === null) return 1;
    if (vb === null) return -1;
    const order = typeof va === 'string' && typeof vb === 'string' ? va.localeCompare(vb) : (va as number) - (vb as number);
    return order !== 0 ? sign * order : tieBreak(a, b);
  });
}

/** The next sort after clicking a column: the same column flips, a new one starts ascending. */
export function nextSort(current: Sort, key: SortKey): Sort {
  return current.key === key ? { key, direction: current.direction === 'asc' ? 'desc' : 'asc' } : { key, direction: 'asc' };
}

/** `12 s ago`, `5 min ago`, `just now` (under a second, or a clock slightly ahead); a dash without a time. */
export function timeAgo(iso: string | null | undefined, now: Date): string {
  const t = time(iso);
  if (t === null) return '—';
  const ms = now.getTime() - t;
  return ms < 1_000 ? 'just now' : `${formatDuration(ms)} ago`;
}

/** How long since `iso` (`3 min`, `2 h 5 min`), for uptime; a dash without a time. */
export function durationSince(iso: string | null | undefined, now: Date): string {
  const t = time(iso);
  if (t === null) return '—';
  return formatDuration(Math.max(0, now.getTime() - t));
}

/** A push-to-ACK latency: `4 ms`, `1.2 s`; a dash when nothing was acknowledged. */
export function formatLatency(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1_000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/**
 * A config version (an opaque content hash) shortened for a cell: its first 8 characters, enough
 * to tell versions apart; the whole value goes in the title. Short values are kept whole.
 */
export function shortHash(version: string | null): string {
  if (version === null) return '—';
  return version.length > 10 ? `${version.slice(0, 8)}…` : version;
}

export interface StatusExplanation {
  /** What the status means, one sentence. */
  meaning: string;
  /** What to do about it, for this proxy; null when nothing is needed. */
  next: string | null;
}

/** What a proxy's status means and what to do next, from its own ledger (docs/fleet.md). */
export function explainStatus(proxy: ProxyStatus, now: Date): StatusExplanation {
  switch (proxy.status) {
    case 'SYNCED':
      return {
        meaning: `The proxy acknowledged the version the control plane wants it to have (${shortHash(proxy.versionAcked)}).`,
        next: proxy.lastNack ? `Nothing to do. It rejected version ${shortHash(proxy.lastNack.version)} ${timeAgo(proxy.lastNack.at, now)}; that is history now.` : null,
      };
    case 'PENDING':
      return {
        meaning: `Version ${shortHash(proxy.versionSent ?? proxy.desiredVersion)} was sent ${timeAgo(proxy.sentAt, now)}; the proxy has not acknowledged it yet, and the ACK deadline has not passed.`,
        next: 'Wait a few seconds: it becomes SYNCED when the proxy acknowledges, or STALE if it does not in time.',
      };
    case 'STALE':
      return {
        meaning: proxy.sentAt
          ? `Version ${shortHash(proxy.versionSent)} was sent ${timeAgo(proxy.sentAt, now)} and not acknowledged; the proxy still runs ${shortHash(proxy.versionAcked)}.`
          : `Version ${shortHash(proxy.desiredVersion)} is compiled for it but was not acknowledged within the deadline; the proxy still runs ${shortHash(proxy.versionAcked)}.`,
        next: 'Check that the proxy is healthy and not overloaded (its logs, its replica’s stream); restarting it makes it reconnect and receive the current version.',
      };
    case 'NACKED': {
      const nack = proxy.lastNack;
      const keeps = proxy.versionAcked ? `It keeps running its previous version (${shortHash(proxy.versionAcked)}).` : 'It has acknowledged no version yet.';
      return {
        meaning: nack ? `The proxy rejected version ${shortHash(nack.version)}: ${nack.error}. ${keeps}` : `The proxy rejected the version it was sent. ${keeps}`,
        next: 'Fix the resource that produced it, or revert it (see the change timeline): the next different version is sent as usual, and reverting to the version it runs makes it SYNCED again. A rejected version is never sent to it again.',
      };
    }
    case 'DISCONNECTED':
      return {
        meaning: `No control-plane replica holds a stream from this proxy; it was last seen ${timeAgo(proxy.lastSeenAt, now)}.`,
        next: 'If it should be running, check the workload and its network path to the control plane. It leaves the inventory (and every snapshot’s endpoints) after the endpoint expiry.',
      };
  }
}
