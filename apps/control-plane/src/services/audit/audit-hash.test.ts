import { describe, expect, it } from 'vitest';
import { canonicalJson, GENESIS_HASH, hashEntry, type AuditRecord } from './audit-hash.ts';

const record: AuditRecord = {
  at: new Date('2026-11-26T10:15:30.123Z'),
  actorType: 'user',
  actorId: '6f1c3a52-8a4e-4d8e-9a51-0c6f2f0d9b11',
  actorName: 'alice',
  action: 'teams.create',
  targetKind: 'team',
  targetId: 'payments',
  namespace: 'payments-prod',
  beforeVersion: null,
  afterVersion: 'v1',
  outcome: 'success',
  reason: '',
  requestId: 'req-1',
  sourceAddress: '10.0.0.7',
  details: { displayName: 'Payments', members: ['alice', 'bob'], limits: { rps: 10, burst: 2.5 } },
};

describe('hashEntry', () => {
  it('is deterministic: lower-case hex SHA-256', () => {
    const hash = hashEntry(record, GENESIS_HASH);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashEntry({ ...record, at: new Date(record.at.getTime()) }, GENESIS_HASH)).toBe(hash);
  });

  it('does not depend on the key order of details, at any depth', () => {
    const reordered = { ...record, details: { limits: { burst: 2.5, rps: 10 }, members: ['alice', 'bob'], displayName: 'Payments' } };
    expect(hashEntry(reordered, GENESIS_HASH)).toBe(hashEntry(record, GENESIS_HASH));
  });

  it('treats undefined properties in details as absent, as the database will', () => {
    const withUndefined = { ...record, details: { ...(record.details as object), note: undefined } } as unknown as AuditRecord;
    expect(hashEntry(withUndefined, GENESIS_HASH)).toBe(hashEntry(record, GENESIS_HASH));
  });

  it('changes when any field changes', () => {
    const changed: { [K in keyof AuditRecord]: AuditRecord[K] } = {
      at: new Date(record.at.getTime() + 1),
      actorType: 'token',
      actorId: null,
      actorName: 'mallory',
      action: 'teams.delete',
      targetKind: 'namespace',
      targetId: 'payments-2',
      namespace: null,
      beforeVersion: 'v0',
      afterVersion: null,
      outcome: 'denied',
      reason: 'not a member',
      requestId: 'req-2',
      sourceAddress: '10.0.0.8',
      details: { displayName: 'Payments', members: ['bob', 'alice'], limits: { rps: 10, burst: 2.5 } },
    };
    const original = hashEntry(record, GENESIS_HASH);
    const keys = Object.keys(changed) as Array<keyof AuditRecord>;
    expect(keys).toHaveLength(15); // every field of AuditRecord
    for (const key of keys) {
      expect(hashEntry({ ...record, [key]: changed[key] }, GENESIS_HASH), key).not.toBe(original);
    }
    expect(hashEntry(record, 'f'.repeat(64)), 'prevHash').not.toBe(original);
  });

  it('tells null apart from an empty string and from a missing details key', () => {
    const base = hashEntry(record, GENESIS_HASH);
    expect(hashEntry({ ...record, namespace: '' }, GENESIS_HASH)).not.toBe(hashEntry({ ...record, namespace: null }, GENESIS_HASH));
    expect(hashEntry({ ...record, details: { ...(record.details as object), extra: null } }, GENESIS_HASH)).not.toBe(base);
    expect(hashEntry({ ...record, details: null }, GENESIS_HASH)).not.toBe(hashEntry({ ...record, details: {} }, GENESIS_HASH));
  });

  it('cannot be confused by field values that look like serialization syntax', () => {
    const a = hashEntry({ ...record, actorName: 'a","action":"x', action: 'y' }, GENESIS_HASH);
    const b = hashEntry({ ...record, actorName: 'a', action: 'x","action":"y' }, GENESIS_HASH);
    expect(a).not.toBe(b);
  });
});

describe('canonicalJson', () => {
  it('sorts keys recursively and writes no whitespace', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 'x' }], a: { z: null, y: true } })).toBe('{"a":{"y":true,"z":null},"b":[{"c":"x","d":1}]}');
  });

  it('rejects numbers that JSON cannot carry', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson([Number.POSITIVE_INFINITY])).toThrow(TypeError);
  });
});
