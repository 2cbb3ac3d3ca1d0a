import type { HealthStatus } from '@weft/contracts';
import { describe, expect, it } from 'vitest';
import { describeHealthError, healthBadge } from './status';

const health: HealthStatus = {
  status: 'ok',
  version: '0.1.0',
  startedAt: '2025-11-25T14:00:00.000Z',
  uptimeSeconds: 30,
  checkedAt: '2025-11-25T14:00:30.000Z',
  database: { mode: 'embedded', reachable: true, latencyMs: 0.6, migrationsApplied: 3, migrationsPending: [], error: null },
};

/** The shape of a TRPCClientError whose request reached the control plane. */
function apiError(message: string, apiCode: string) {
  return Object.assign(new Error(message), { data: { code: 'INTERNAL_SERVER_ERROR', apiCode } });
}

describe('describeHealthError', () => {
  it('treats a failed fetch as unreachable', () => {
    expect(describeHealthError(new TypeError('Failed to fetch'))).toEqual({ kind: 'unreachable', detail: 'Failed to fetch' });
  });

  it('treats an error without an API code (e.g. the proxy failing) as unreachable', () => {
    const e = Object.assign(new Error('Unable to transform response from server'), { data: undefined });
    expect(describeHealthError(e).kind).toBe('unreachable');
  });

  it('reports an API error with its code', () => {
    expect(describeHealthError(apiError('Database is down', 'UNAVAILABLE'))).toEqual({
      kind: 'error',
      detail: 'Database is down (UNAVAILABLE)',
    });
  });

  it('copes with non-Error values', () => {
    expect(describeHealthError('boom')).toEqual({ kind: 'unreachable', detail: 'boom' });
  });
});

describe('healthBadge', () => {
  it('is checking before the first answer', () => {
    expect(healthBadge({ data: undefined, error: null })).toBe('checking');
  });

  it('follows the control plane’s own status', () => {
    expect(healthBadge({ data: health, error: null })).toBe('ok');
    expect(healthBadge({ data: { ...health, status: 'degraded' }, error: null })).toBe('degraded');
  });

  it('lets a newer error win over older data', () => {
    expect(healthBadge({ data: health, error: new TypeError('Failed to fetch') })).toBe('unreachable');
    expect(healthBadge({ data: health, error: apiError('x', 'INTERNAL') })).toBe('error');
  });
});
