import { describe, expect, it } from 'vitest';
import type { ServiceRow } from '../services/services-state';
import { needsAttention } from './attention';

const row = (namespace: string, name: string, health: ServiceRow['health'], errorRate = 0): ServiceRow =>
  ({
    namespace,
    name,
    versions: ['v1'],
    endpoints: { total: 1, byStatus: { SYNCED: 1, PENDING: 0, STALE: 0, NACKED: 0, DISCONNECTED: 0 } },
    received: { requests: 100, errors: errorRate * 100, rps: 1, errorRate, p50Ms: 1, p95Ms: 2, p99Ms: 3 },
    health,
  }) as ServiceRow;

describe('needsAttention', () => {
  it('lists failing, endpoint-less and degraded services, worst first, then by error rate and name', () => {
    const rows = [
      row('shop', 'checkout', 'healthy'),
      row('shop', 'search', 'degraded', 0.02),
      row('shop', 'payments', 'failing', 0.08),
      row('platform', 'mail', 'no-endpoints'),
      row('shop', 'legacy', 'failing', 0.5),
      row('shop', 'batch', 'idle'),
      row('platform', 'auth', 'degraded', 0.03),
    ];
    const { rows: listed, total } = needsAttention(rows, 4);
    expect(listed.map((r) => `${r.namespace}/${r.name}`)).toEqual(['shop/legacy', 'shop/payments', 'platform/mail', 'platform/auth']);
    expect(total).toBe(5);
  });

  it('is empty when every service is healthy or idle', () => {
    expect(needsAttention([row('shop', 'a', 'healthy'), row('shop', 'b', 'idle')], 5)).toEqual({ rows: [], total: 0 });
  });
});
