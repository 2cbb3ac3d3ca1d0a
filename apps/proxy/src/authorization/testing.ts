/**
 * Fixtures for the authorization tests: a snapshot with AuthorizationPolicies, and the path
 * corpus — spellings of `/admin` that servers are known to read as `/admin` — with what the
 * inbound proxy must answer. Used only by *.test.ts files.
 */
import type { ProxySnapshot, SnapshotAuthorizationPolicy } from '@weft/contracts/snapshot';
import { makeSnapshot, rawRequest, statuses } from '../listeners/testing.ts';

/** A `payments` snapshot whose inbound port 8080 forwards to `appPort`, with these policies. */
export function snapshotWithPolicies(appPort: number, policies: SnapshotAuthorizationPolicy[], defaultAuthorization: 'allow' | 'deny' = 'allow'): ProxySnapshot {
  const base = makeSnapshot({ proxy: { service: 'payments' }, inboundPorts: [{ name: 'http', port: 8080, targetPort: appPort }] });
  return { ...base, meshConfig: { ...base.meshConfig, defaultAuthorization }, inbound: { ...base.inbound, authorization: { policies } } };
}

/** An enforced DENY on `/admin` and `/admin/*` (rule 0), in namespace shop. */
export const DENY_ADMIN: SnapshotAuthorizationPolicy = {
  name: 'deny-admin',
  namespace: 'shop',
  action: 'DENY',
  mode: 'enforce',
  rules: [{ from: [], to: [{ paths: ['/admin', '/admin/*'] }], when: [] }],
};

/**
 * `400`: refused as a malformed path; `403`: denied by DENY_ADMIN; `4xx`: refused one way or
 * another (by Node's parser, target parsing or normalisation); `pass`: may reach the app, which
 * must not read it as /admin (a different resource).
 */
export type Expect = 400 | 403 | '4xx' | 'pass';

/** Request-targets sent as they are (raw bytes where `raw`). */
export const PATH_CORPUS: Array<{ target: string; expect: Expect; raw?: boolean }> = [
  { target: '/admin', expect: 403 },
  { target: '//admin', expect: 403 },
  { target: '///admin', expect: 403 },
  { target: '/./admin', expect: 403 },
  { target: '/%61dmin', expect: 403 },
  { target: '/%61%64%6D%69%6e', expect: 403 },
  { target: '/admin/', expect: 403 },
  { target: '/admin/.', expect: 403 },
  { target: '/admin/x/..', expect: 403 },
  { target: '/admin/users', expect: 403 },
  { target: '/admin//users', expect: 403 },
  { target: '/ADMIN', expect: 403 },
  { target: '/AdMiN/', expect: 403 },
  { target: '/ADMIN/USERS', expect: 403 },
  { target: '/x/../admin', expect: 403 },
  { target: '/x/%2e%2e/admin', expect: 403 },
  { target: '/%2e%2e/admin', expect: 403 },
  { target: '/%2E%2E/admin', expect: 403 },
  { target: '/.%2e/admin', expect: 403 },
  { target: '/%2e/admin', expect: 403 },
  { target: '/../admin', expect: 403 },
  { target: '/admin?x', expect: 403 },
  { target: '/admin?/../public', expect: 403 },
  { target: '/admin#x', expect: 403 },
  { target: '/admin;x', expect: 400 },
  { target: '/admin;/', expect: 400 },
  { target: '/.;/admin', expect: 400 },
  { target: '/admin..;/', expect: 400 },
  { target: '/admin%3bx', expect: 400 },
  { target: '/admin%2f..', expect: 400 },
  { target: '/admin%2F', expect: 400 },
  { target: '/%2fadmin', expect: 400 },
  { target: '/admin%00', expect: 400 },
  { target: '/admin%09', expect: 400 },
  { target: '/admin%0d%0a', expect: 400 },
  { target: '/%2561dmin', expect: 400 },
  { target: '/%252e%252e/admin', expect: 400 },
  { target: '/admin%', expect: 400 },
  { target: '/admin%u0061', expect: 400 },
  { target: '/x\\..\\admin', expect: 400 },
  { target: '/admin\\', expect: 400 },
  { target: '/%5cadmin', expect: 400 },
  { target: '\\admin', expect: '4xx' },
  { target: '/%c0%afadmin', expect: 400 },
  { target: '/x/%c0%ae%c0%ae/admin', expect: 400 },
  { target: '/x/%e0%80%ae%e0%80%ae/admin', expect: 400 },
  { target: '/x/%c0%2e%c0%2e/admin', expect: 400 },
  { target: '/\u00c0\u00afadmin', expect: '4xx', raw: true },
  { target: '/admin\u0000', expect: '4xx', raw: true },
  { target: 'http://payments.shop/admin', expect: 403 },
  { target: 'http://payments.shop//%61dmin/', expect: 403 },
  { target: 'http://payments.shop/x/../ADMIN?q', expect: 403 },
  { target: 'admin', expect: '4xx' },
  // Different resources: they may pass, and must not be read as /admin.
  { target: '/admin%20', expect: 'pass' },
  { target: '/admin.', expect: 'pass' },
  { target: '/administrator', expect: 'pass' },
  { target: '/public/admin', expect: 'pass' },
  { target: '/admin%3f', expect: 'pass' },
];

/**
 * How a careful server reads a received path: WHATWG URL resolution (dot segments, including
 * `%2e`, and `\` as `/`), segment-wise percent-decoding, `;` parameters dropped (Tomcat, Spring),
 * repeated slashes merged, ASCII case folded and a trailing slash dropped (case-insensitive,
 * lenient routers). True when that reading is /admin or under it.
 */
export function readsAsAdmin(received: string): boolean {
  const pathname = new URL(received, 'http://app.local').pathname;
  const segments = pathname.split('/').map((s) => {
    const noParams = s.split(';')[0]!;
    try {
      return decodeURIComponent(noParams);
    } catch {
      return noParams;
    }
  });
  const read = segments.join('/').replace(/\/{2,}/g, '/').toLowerCase().replace(/\/$/, '');
  return read === '/admin' || read.startsWith('/admin/');
}

/** Sends every corpus target to the listener on `port` (one raw HTTP/1.1 request each) and returns the statuses (0: no response). */
export async function sendCorpus(port: number): Promise<Array<{ target: string; expect: Expect; status: number }>> {
  const out: Array<{ target: string; expect: Expect; status: number }> = [];
  for (const { target, expect } of PATH_CORPUS) {
    const bytes = Buffer.from(`GET ${target} HTTP/1.1\r\nHost: payments.shop\r\nConnection: close\r\n\r\n`, 'latin1');
    const res = await rawRequest(port, bytes);
    out.push({ target, expect, status: statuses(res.data)[0] ?? 0 });
  }
  return out;
}

/** The corpus entries whose status broke their expectation. */
export function unexpectedStatuses(results: Array<{ target: string; expect: Expect; status: number }>): string[] {
  return results
    .filter(({ expect, status }) => (expect === 'pass' ? status !== 200 : expect === '4xx' ? status < 400 || status > 499 : status !== expect))
    .map(({ target, expect, status }) => `${JSON.stringify(target)}: expected ${expect}, got ${status}`);
}
