import { describe, expect, it } from 'vitest';
import { createHealthService, type DatabaseProbe } from './health-service.ts';

const startedAt = new Date('2026-01-01T00:00:00Z');
const now = () => new Date('2026-01-01T00:01:30Z');

function service(probe: DatabaseProbe) {
  return createHealthService({ probe, version: '1.2.3', databaseMode: 'embedded', startedAt, now });
}

describe('health service', () => {
  it('is ok and ready when the database answers and nothing is pending', async () => {
    const s = service({ ping: async () => 2, migrations: async () => ({ applied: ['a', 'b'], pending: [] }) });
    const status = await s.status();
    expect(status).toMatchObject({ status: 'ok', version: '1.2.3', uptimeSeconds: 90 });
    expect(status.database).toMatchObject({ reachable: true, latencyMs: 2, migrationsApplied: 2 });
    expect(await s.readiness()).toEqual({ ready: true, reasons: [] });
  });

  it('is degraded and not ready when migrations are pending', async () => {
    const s = service({ ping: async () => 1, migrations: async () => ({ applied: ['a'], pending: ['b'] }) });
    expect((await s.status()).status).toBe('degraded');
    expect(await s.readiness()).toEqual({ ready: false, reasons: ['migrations pending: b'] });
  });

  it('reports the first line of the database error when unreachable', async () => {
    const s = service({
      ping: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:5999\n    at stack');
      },
      migrations: async () => ({ applied: [], pending: [] }),
    });
    const status = await s.status();
    expect(status.database).toMatchObject({ reachable: false, latencyMs: null, error: 'connect ECONNREFUSED 127.0.0.1:5999' });
    expect((await s.readiness()).ready).toBe(false);
  });
});
