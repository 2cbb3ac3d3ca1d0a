import { describe, expect, it } from 'vitest';
import { clusterName, ProxySnapshotSchema, SnapshotAckSchema, spiffeId } from './index.ts';

const minimal = {
  version: 'a'.repeat(64),
  proxy: { service: 'web', namespace: 'demo', version: 'v1' },
  meshConfig: { trustDomain: 'weft.local', mtlsMode: 'STRICT', defaultAuthorization: 'allow' },
  inbound: { ports: [{ name: 'http', port: 80, protocol: 'http', targetPort: 8080 }], authorization: { policies: [] } },
  outbound: { services: [] },
  clusters: [],
  egress: { allowedHosts: [] },
};

describe('ProxySnapshotSchema', () => {
  it('accepts a minimal snapshot and strips unknown fields (forward compatible)', () => {
    const parsed = ProxySnapshotSchema.parse({ ...minimal, addedLater: true });
    expect(parsed).toEqual(minimal);
  });
  it('rejects a version that is not a SHA-256 hex digest', () => {
    expect(ProxySnapshotSchema.safeParse({ ...minimal, version: 'v1' }).success).toBe(false);
  });
  it('names clusters and identities', () => {
    expect(clusterName('payments', 'shop', 'all', 8080)).toBe('payments.shop|all|8080');
    expect(spiffeId('weft.local', 'shop', 'payments')).toBe('spiffe://weft.local/ns/shop/sa/payments');
  });
});

describe('SnapshotAckSchema', () => {
  it('accepts an ACK and a NACK with its error', () => {
    expect(SnapshotAckSchema.parse({ proxyId: 'p', version: 'x', ok: true }).ok).toBe(true);
    expect(SnapshotAckSchema.safeParse({ proxyId: 'p', version: 'x', ok: false, error: 'bad' }).success).toBe(true);
  });
  it('requires the error of a NACK', () => {
    expect(SnapshotAckSchema.safeParse({ proxyId: 'p', version: 'x', ok: false }).success).toBe(false);
  });
});
