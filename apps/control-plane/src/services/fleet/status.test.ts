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
  ackedAt: ago(29_000) as Date | null,
  nackVersion: null as string | null,
  nackAt: null as Date | null,
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
    const nacked = { ...base, versionSent: 'v3', sentAt: ago(5_000), nackVersion: 'v3', nackAt: ago(4_000) };
    expect(proxyStatus(nacked, desired('v3'), s)).toBe('NACKED');
    expect(proxyStatus({ ...nacked, versionSent: 'v4', versionAcked: 'v4', ackedAt: ago(1_000) }, desired('v4'), s)).toBe('SYNCED');
    // The mesh moved on, the next version is not sent yet: still the rejected one's status.
    expect(proxyStatus(nacked, desired('v4', 1), s)).toBe('NACKED');
  });
  it('SYNCED again when the desired version goes back to the one it acknowledged before the NACK (a revert)', () => {
    // ACKed v2, NACKed v3; desired is v2 again. Nothing is sent (the proxy runs v2): versionSent stays v3.
    const reverted = { ...base, versionSent: 'v3', sentAt: ago(5_000), nackVersion: 'v3', nackAt: ago(4_000) };
    expect(proxyStatus(reverted, desired('v2', 1_000), s)).toBe('SYNCED');
    // Long after the revert, too (no deadline applies to a version it already has).
    expect(proxyStatus(reverted, desired('v2', 60_000), s)).toBe('SYNCED');
  });
  it('NACKED when it rejected the desired version, even if that was not the latest version sent', () => {
    // NACKed v3, then ACKed v4; desired goes back to v3, which is never sent to it again.
    const row = { ...base, versionSent: 'v4', sentAt: ago(3_000), versionAcked: 'v4', ackedAt: ago(2_000), nackVersion: 'v3', nackAt: ago(5_000) };
    expect(proxyStatus(row, desired('v3', 1_000), s)).toBe('NACKED');
    expect(proxyStatus(row, desired('v4'), s)).toBe('SYNCED');
  });
  it('NACKED when its latest word on the desired version is a NACK, after an earlier ACK of it', () => {
    // Ran v2, restarted without its state, was sent v2 again and rejected it this time.
    const row = { ...base, versionSent: 'v2', sentAt: ago(3_000), versionAcked: 'v2', ackedAt: ago(60_000), nackVersion: 'v2', nackAt: ago(2_000) };
    expect(proxyStatus(row, desired('v2'), s)).toBe('NACKED');
    // An ACK after the NACK (it took the version after all): SYNCED.
    expect(proxyStatus({ ...row, ackedAt: ago(1_000) }, desired('v2'), s)).toBe('SYNCED');
  });
  it('a just-connected proxy with nothing compiled yet is PENDING, then STALE', () => {
    const fresh = { ...base, versionSent: null, sentAt: null, versionAcked: null, connectedSince: ago(1_000) };
    expect(proxyStatus(fresh, undefined, s)).toBe('PENDING');
    expect(proxyStatus({ ...fresh, connectedSince: ago(20_000) }, undefined, s)).toBe('STALE');
  });
});
