import { describe, expect, it } from 'vitest';
import { proxyStatus } from './status.ts';

const now = Date.parse('2026-11-26T12:00:00Z');
const s = { now, heartbeatMs: 10_000, ackDeadlineMs: 10_000 };
const ago = (ms: number) => new Date(now - ms);
const base = {
  replica: 'cp-1',
  lastSeenAt: ago(1_000),
  connectedSince: ago(60_000),
  versionSent: 'v2',
  sentAt: ago(30_000),
  versionAcked: 'v2',
  nackVersion: null as string | null,
};
const desired = (version: string, sinceMs = 30_000) => ({ version, since: now - sinceMs });

describe('proxyStatus', () => {
  it('SYNCED when the desired version is acknowledged', () => {
    expect(proxyStatus(base, desired('v2'), s)).toBe('SYNCED');
  });
  it('DISCONNECTED without a stream, or when its replica stopped refreshing it', () => {
    expect(proxyStatus({ ...base, replica: null }, desired('v2'), s)).toBe('DISCONNECTED');
    expect(proxyStatus({ ...base, lastSeenAt: ago(31_000) }, desired('v2'), s)).toBe('DISCONNECTED');
  });
  it('PENDING while a sent version awaits its ACK within the deadline, STALE after', () => {
    expect(proxyStatus({ ...base, versionSent: 'v3', sentAt: ago(2_000) }, desired('v3', 2_000), s)).toBe('PENDING');
    expect(proxyStatus({ ...base, versionSent: 'v3', sentAt: ago(12_000) }, desired('v3', 12_000), s)).toBe('STALE');
  });
  it('STALE when a newer version was compiled long ago and never sent', () => {
    expect(proxyStatus(base, desired('v3', 20_000), s)).toBe('STALE');
    expect(proxyStatus(base, desired('v3', 1_000), s)).toBe('PENDING');
  });
  it('NACKED when the latest sent version was rejected, until a later one is acknowledged', () => {
    const nacked = { ...base, versionSent: 'v3', sentAt: ago(5_000), nackVersion: 'v3' };
    expect(proxyStatus(nacked, desired('v3'), s)).toBe('NACKED');
    expect(proxyStatus({ ...nacked, versionSent: 'v4', versionAcked: 'v4' }, desired('v4'), s)).toBe('SYNCED');
  });
  it('a just-connected proxy with nothing compiled yet is PENDING, then STALE', () => {
    const fresh = { ...base, versionSent: null, sentAt: null, versionAcked: null, connectedSince: ago(1_000) };
    expect(proxyStatus(fresh, undefined, s)).toBe('PENDING');
    expect(proxyStatus({ ...fresh, connectedSince: ago(20_000) }, undefined, s)).toBe('STALE');
  });
});
