import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../data-path.ts';
import { formatAccessLog } from './access-log.ts';

const record: RequestRecord = {
  direction: 'outbound',
  source: { service: 'web', namespace: 'shop', version: 'v1' },
  destination: { service: 'payments', namespace: 'shop', version: 'v2' },
  route: 'shop/payments/0/0',
  method: 'POST',
  status: 503,
  durationMs: 12.34567,
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  reason: 'circuit open',
  mtls: true,
};

describe('formatAccessLog', () => {
  it('writes one JSON line per request', () => {
    const line = formatAccessLog(record, { time: 0, authority: 'payments', path: '/charge', headers: { 'user-agent': 'curl/8', 'x-request-id': 'abc' }, bytesIn: 10, bytesOut: 20 });
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(JSON.parse(line)).toEqual({
      time: '1970-01-01T00:00:00.000Z', direction: 'outbound', method: 'POST', authority: 'payments', path: '/charge', status: 503, durationMs: 12.346,
      route: 'shop/payments/0/0', source: 'web.shop@v1', destination: 'payments.shop@v2', mtls: true, reason: 'circuit open',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736', requestId: 'abc', userAgent: 'curl/8', bytesIn: 10, bytesOut: 20,
    });
  });

  it('never logs credentials, bodies or query strings', () => {
    const headers = {
      authorization: 'Bearer SECRET1', 'proxy-authorization': 'Basic SECRET2', cookie: 'session=SECRET3', 'set-cookie': ['SECRET4'],
      'x-api-key': 'SECRET5', 'user-agent': 'ua',
    };
    const line = formatAccessLog(record, { headers, path: '/login?token=SECRET6#frag', authority: 'a' });
    expect(line).not.toMatch(/SECRET|token|frag/);
    expect(JSON.parse(line).path).toBe('/login');
  });

  it('keeps hostile values on one line and cuts long ones', () => {
    const line = formatAccessLog({ ...record, route: 'r', reason: 'a\nb\r\nc' }, { path: `/${'x'.repeat(5000)}`, headers: { 'user-agent': 'evil\n{"fake":1}' } });
    expect(line.split('\n')).toHaveLength(2);
    const parsed = JSON.parse(line);
    expect(parsed.userAgent).toBe('evil\n{"fake":1}');
    expect(parsed.path.length).toBeLessThanOrEqual(513);
    expect(formatAccessLog({ ...record, source: null, traceparent: undefined })).not.toMatch(/source|traceId/);
  });
});
