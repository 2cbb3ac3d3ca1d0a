import { describe, expect, it } from 'vitest';
import { ClientMessageSchema, clusterName, ProxySnapshotSchema, RegistrationSchema, spiffeId } from './index.ts';

const minimal = {
  version: 'a'.repeat(64),
  proxy: { service: 'web', namespace: 'demo', version: 'v1' },
  meshConfig: { trustDomain: 'weft.local', mtlsMode: 'STRICT', defaultAuthorization: 'allow', telemetry: { samplingPercent: 1, flushIntervalMs: 5_000 } },
  inbound: { ports: [{ name: 'http', port: 80, protocol: 'http', targetPort: 8080 }], authorization: { policies: [] } },
  outbound: { services: [] },
  clusters: [],
  egress: { allowedHosts: [] },
};

describe('ProxySnapshotSchema', () => {
  it('accepts a minimal snapshot and strips unknown fields (forward compatible)', () => {
    const parsed = ProxySnapshotSchema.parse({ ...minimal, addedLater: true });
    // A snapshot from a control plane older than the trust bundle gets an empty one: fail closed.
    expect(parsed).toEqual({ ...minimal, trustBundle: { roots: [] } });
  });
  it('rejects a version that is not a SHA-256 hex digest', () => {
    expect(ProxySnapshotSchema.safeParse({ ...minimal, version: 'v1' }).success).toBe(false);
  });
  it('names clusters and identities', () => {
    expect(clusterName('payments', 'shop', 'all', 8080)).toBe('payments.shop|all|8080');
    expect(spiffeId('weft.local', 'shop', 'payments')).toBe('spiffe://weft.local/ns/shop/sa/payments');
  });
});

describe('stream messages', () => {
  const registration = { proxyId: 'checkout-7f9c', namespace: 'shop', service: 'checkout', version: 'v1', address: '10.0.0.7', inboundPort: 15006 };
  it('accepts a hello, an ACK and a NACK with its error', () => {
    expect(ClientMessageSchema.safeParse({ type: 'hello', registration, currentVersion: 'a'.repeat(64) }).success).toBe(true);
    expect(ClientMessageSchema.safeParse({ type: 'ack', version: 'x' }).success).toBe(true);
    expect(ClientMessageSchema.safeParse({ type: 'nack', version: 'x', error: 'clusters[0]: bad' }).success).toBe(true);
  });
  it('requires the error of a NACK', () => {
    expect(ClientMessageSchema.safeParse({ type: 'nack', version: 'x' }).success).toBe(false);
  });
  it('names the bad field of a registration', () => {
    const result = ClientMessageSchema.safeParse({ type: 'hello', registration: { ...registration, namespace: 'Shop' } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['registration', 'namespace']);
  });
  it('accepts dependencies as name or name.namespace only', () => {
    expect(RegistrationSchema.safeParse({ ...registration, dependencies: ['payments', 'auth.platform'] }).success).toBe(true);
    expect(RegistrationSchema.safeParse({ ...registration, dependencies: ['a.b.c'] }).success).toBe(false);
  });
});
