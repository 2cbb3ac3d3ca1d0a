import type { ProxyStatus } from '@weft/contracts/snapshot';
import { describe, expect, it } from 'vitest';
import { durationSince, explainStatus, formatLatency, nextSort, shortHash, sortProxies, statusCounts, timeAgo } from './fleet';

const NOW = new Date('2026-11-26T12:00:00Z');

function proxy(over: Partial<ProxyStatus>): ProxyStatus {
  return {
    id: 'p-1',
    namespace: 'shop',
    service: 'payments',
    version: 'v1',
    address: '10.0.0.1',
    inboundPort: 15006,
    dependencies: null,
    status: 'SYNCED',
    replica: 'cp-1',
    registeredAt: '2026-11-26T11:00:00Z',
    connectedSince: '2026-11-26T11:00:00Z',
    lastSeenAt: '2026-11-26T11:59:50Z',
    desiredVersion: 'aaaaaaaaaaaaaaaa',
    versionSent: 'aaaaaaaaaaaaaaaa',
    sentAt: '2026-11-26T11:00:01Z',
    versionAcked: 'aaaaaaaaaaaaaaaa',
    ackedAt: '2026-11-26T11:00:01Z',
    lastNack: null,
    pushLatencyMs: 4,
    ...over,
  };
}

describe('statusCounts', () => {
  it('lists the four chips in order with zeros, and PENDING only when present', () => {
    expect(statusCounts({ SYNCED: 3, NACKED: 1 }).map((c) => [c.status, c.count])).toEqual([
      ['SYNCED', 3],
      ['STALE', 0],
      ['NACKED', 1],
      ['DISCONNECTED', 0],
    ]);
    expect(statusCounts({ PENDING: 2 }).map((c) => c.status)).toContain('PENDING');
  });

  it('gives each status its share of the fleet, and 0 for an empty fleet', () => {
    const counts = statusCounts({ SYNCED: 3, NACKED: 1 });
    expect(counts.find((c) => c.status === 'SYNCED')!.fraction).toBe(0.75);
    expect(statusCounts({}).every((c) => c.fraction === 0)).toBe(true);
  });
});

describe('sortProxies', () => {
  const a = proxy({ id: 'a', status: 'SYNCED', pushLatencyMs: 9, lastSeenAt: '2026-11-26T11:59:00Z' });
  const b = proxy({ id: 'b', status: 'NACKED', pushLatencyMs: null, lastSeenAt: '2026-11-26T11:59:30Z' });
  const c = proxy({ id: 'c', status: 'STALE', pushLatencyMs: 2, lastSeenAt: '2026-11-26T11:58:00Z' });

  it('sorts by status worst first, and flips', () => {
    expect(sortProxies([a, b, c], { key: 'status', direction: 'asc' }).map((p) => p.id)).toEqual(['b', 'c', 'a']);
    expect(sortProxies([a, b, c], { key: 'status', direction: 'desc' }).map((p) => p.id)).toEqual(['a', 'c', 'b']);
  });

  it('puts missing values last in both directions', () => {
    expect(sortProxies([a, b, c], { key: 'pushLatency', direction: 'asc' }).map((p) => p.id)).toEqual(['c', 'a', 'b']);
    expect(sortProxies([a, b, c], { key: 'pushLatency', direction: 'desc' }).map((p) => p.id)).toEqual(['a', 'c', 'b']);
  });

  it('sorts by certificate expiry from the joined map, and by time', () => {
    const expiry = new Map([
      ['shop/a', '2026-11-27T00:00:00Z'],
      ['shop/c', '2026-11-26T13:00:00Z'],
    ]);
    expect(sortProxies([a, b, c], { key: 'certExpiry', direction: 'asc' }, expiry).map((p) => p.id)).toEqual(['c', 'a', 'b']);
    expect(sortProxies([a, b, c], { key: 'lastSeen', direction: 'desc' }).map((p) => p.id)).toEqual(['b', 'a', 'c']);
  });

  it('breaks ties by namespace and id, and does not change its input', () => {
    const input = [proxy({ id: 'z' }), proxy({ id: 'y' }), proxy({ id: 'x', namespace: 'auth' })];
    expect(sortProxies(input, { key: 'service', direction: 'asc' }).map((p) => p.id)).toEqual(['x', 'y', 'z']);
    expect(input.map((p) => p.id)).toEqual(['z', 'y', 'x']);
  });
});

describe('nextSort', () => {
  it('flips the same column and starts a new one ascending', () => {
    expect(nextSort({ key: 'id', direction: 'asc' }, 'id')).toEqual({ key: 'id', direction: 'desc' });
    expect(nextSort({ key: 'id', direction: 'desc' }, 'status')).toEqual({ key: 'status', direction: 'asc' });
  });
});

describe('relative times', () => {
  it('says how long ago', () => {
    expect(timeAgo('2026-11-26T11:59:48Z', NOW)).toBe('12 s ago');
    expect(timeAgo('2026-11-26T11:55:00Z', NOW)).toBe('5 min ago');
    expect(timeAgo('2026-11-26T12:00:00.500Z', NOW)).toBe('just now');
    expect(timeAgo(null, NOW)).toBe('—');
  });

  it('says how long since, never negative', () => {
    expect(durationSince('2026-11-26T09:55:00Z', NOW)).toBe('2 h 5 min');
    expect(durationSince('2026-11-26T12:00:05Z', NOW)).toBe('0 s');
    expect(durationSince(null, NOW)).toBe('—');
  });
});

describe('formatLatency and shortHash', () => {
  it('formats latency', () => {
    expect(formatLatency(4)).toBe('4 ms');
    expect(formatLatency(1_234)).toBe('1.2 s');
    expect(formatLatency(12_345)).toBe('12 s');
    expect(formatLatency(null)).toBe('—');
  });

  it('shortens hashes and keeps short ones', () => {
    expect(shortHash('a9d2c3e4f5a6b7c8d9')).toBe('a9d2c3e4…');
    expect(shortHash('v1')).toBe('v1');
    expect(shortHash(null)).toBe('—');
  });
});

describe('explainStatus', () => {
  it('explains a NACK with the version and the proxy’s own error', () => {
    const nacked = proxy({
      status: 'NACKED',
      versionAcked: '3f1c000000000000',
      lastNack: { version: 'a9d2000000000000', error: 'clusters[0]: bad endpoint (test)', at: '2026-11-26T11:59:00Z' },
    });
    const text = explainStatus(nacked, NOW);
    expect(text.meaning).toBe('The proxy rejected version a9d20000…: clusters[0]: bad endpoint (test). It keeps running its previous version (3f1c0000…).');
    expect(text.next).toContain('revert');
    expect(text.next).toContain('change timeline');
    expect(explainStatus({ ...nacked, versionAcked: null }, NOW).meaning).toMatch(/test\)\. It has acknowledged no version yet\.$/);
  });

  it('says how long ago a STALE version was sent', () => {
    const stale = proxy({ status: 'STALE', versionSent: 'bbbbbbbbbbbbbbbb', sentAt: '2026-11-26T11:59:30Z' });
    expect(explainStatus(stale, NOW).meaning).toBe('Version bbbbbbbb… was sent 30 s ago and not acknowledged; the proxy still runs aaaaaaaa….');
  });

  it('needs nothing for SYNCED, and keeps an old NACK as history', () => {
    expect(explainStatus(proxy({}), NOW).next).toBeNull();
    const reverted = proxy({ lastNack: { version: 'cccccccccccccccc', error: 'x', at: '2026-11-26T11:50:00Z' } });
    expect(explainStatus(reverted, NOW).next).toContain('10 min ago');
  });

  it('says when a DISCONNECTED proxy was last seen', () => {
    expect(explainStatus(proxy({ status: 'DISCONNECTED', replica: null, connectedSince: null }), NOW).meaning).toContain('last seen 10 s ago');
  });
});
