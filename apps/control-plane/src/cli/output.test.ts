import type { BlastRadius, StoredResource } from '@weft/contracts/resources';
import type { ProxyStatus } from '@weft/contracts/snapshot';
import { describe, expect, it } from 'vitest';
import { resourceTable } from './commands/get.ts';
import { historyTable } from './commands/history.ts';
import { countsLine, proxiesTable, statusArg } from './commands/proxies.ts';
import { alignKeys, diffDocuments, editable } from './commands/diff.ts';
import { age, colourDiff, colourEnabled, colours, renderTable, shortVersion, truncate } from './output.ts';
import { blastRadiusSummary, formatBlastRadius, formatFinding } from './report.ts';

const NOW = new Date('2026-11-26T12:00:00Z');
const plain = colours(false);
const ansi = colours(true);

describe('colour', () => {
  it('only on a terminal, never with NO_COLOR or TERM=dumb; FORCE_COLOR forces it', () => {
    expect(colourEnabled({ write: () => 0, isTTY: true }, {})).toBe(true);
    expect(colourEnabled({ write: () => 0, isTTY: false }, {})).toBe(false);
    expect(colourEnabled({ write: () => 0, isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled({ write: () => 0, isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(colourEnabled({ write: () => 0, isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(colourEnabled({ write: () => 0, isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourEnabled({ write: () => 0, isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
    expect(colourEnabled({ write: () => 0, isTTY: true }, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
  });

  it('colours diffs line by line, and drops the library banner', () => {
    const diff = '===================================================================\n--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new\n same\n';
    expect(colourDiff(diff, plain)).toBe('--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new\n same\n');
    expect(colourDiff(diff, ansi)).toBe('\u001b[1m--- a\u001b[22m\n\u001b[1m+++ b\u001b[22m\n\u001b[36m@@ -1 +1 @@\u001b[39m\n\u001b[31m-old\u001b[39m\n\u001b[32m+new\u001b[39m\n same\n');
  });
});

describe('tables', () => {
  it('align columns with three spaces, no trailing blanks', () => {
    expect(renderTable(['NAME', 'AGE'], [['checkout', '5m'], ['a', '10d']])).toBe('NAME       AGE\ncheckout   5m\na          10d\n');
  });

  it('pad before styling, so colours do not shift columns', () => {
    const table = renderTable(['AAA', 'B'], [[{ text: 'x', style: ansi.red }, 'y']]);
    expect(table).toBe('AAA   B\n\u001b[31mx  \u001b[39m   y\n');
  });

  it('ages like kubectl, coarser', () => {
    const ago = (s: number) => new Date(NOW.getTime() - s * 1000).toISOString();
    expect([5, 119, 120, 7199, 7200, 48 * 3600, 729 * 86400, 800 * 86400].map((s) => age(ago(s), NOW))).toEqual(['5s', '119s', '2m', '119m', '2h', '2d', '729d', '2y']);
    expect(age(null, NOW)).toBe('-');
  });

  it('short versions and truncation', () => {
    expect(shortVersion('1a2b3c4d5e6f')).toBe('1a2b3c4d');
    expect(shortVersion(null)).toBe('-');
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('a much longer message', 10)).toBe('a much lo…');
    expect(truncate('two\nlines', 10)).toBe('two…');
  });
});

const stored = (kind: string, name: string, spec: Record<string, unknown>, namespace: string | undefined = 'shop'): StoredResource => ({
  apiVersion: 'weft.dev/v1alpha1',
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}), resourceVersion: '7', uid: 'u', generation: 3, creationTimestamp: '2026-11-26T11:55:00Z' },
  spec,
});

describe('weft get tables', () => {
  it('services: ports and versions', () => {
    const svc = stored('Service', 'recommendations', { ports: [{ name: 'http', port: 80 }, { name: 'grpc', port: 9090, protocol: 'grpc' }], versions: [{ name: 'v1' }, { name: 'v2' }] });
    expect(resourceTable('Service', [svc], NOW)).toBe(
      'NAME              NAMESPACE   AGE   GENERATION   PORTS               VERSIONS\n' + 'recommendations   shop        5m    3            80/http,9090/grpc   v1,v2\n',
    );
  });

  it('routes: parents, rules, backends with subsets and weights', () => {
    const route = stored('HTTPRoute', 'split', {
      parentRefs: [{ kind: 'Service', name: 'recommendations', port: 80 }],
      rules: [{ backendRefs: [{ name: 'recommendations', subset: 'v1', weight: 95 }, { name: 'recommendations', subset: 'v2', weight: 5 }] }],
    });
    expect(resourceTable('HTTPRoute', [route], NOW)).toContain('split   shop        5m    3            recommendations:80   1       recommendations/v1=95,recommendations/v2=5');
  });

  it('cluster-scoped kinds have no NAMESPACE column; defaults are shown', () => {
    expect(resourceTable('MeshConfig', [stored('MeshConfig', 'default', {}, undefined)], NOW)).toBe(
      'NAME      AGE   GENERATION   TRUST DOMAIN   MTLS     DEFAULT AUTHZ\n' + 'default   5m    3            weft.local     STRICT   allow\n',
    );
  });

  it('specs it does not understand show as -, never throw', () => {
    expect(resourceTable('Rollout', [stored('Rollout', 'r', { steps: 'nonsense' })], NOW)).toContain('r      shop        5m    3            -        -        -        -');
  });

  it('history: revisions, authors (tokens marked), messages cut to one line', () => {
    const rev = (revision: number, operation: 'create' | 'update', type: 'user' | 'token', name: string, message: string) => ({
      revision,
      resourceVersion: String(revision),
      operation,
      message,
      author: { type, id: 'x', name },
      labels: {},
      annotations: {},
      spec: {},
      createdAt: '2026-11-26T11:00:00Z',
    });
    expect(historyTable([rev(2, 'update', 'token', 'ci', 'route 5%\nmore detail'), rev(1, 'create', 'user', 'alice', '')], NOW)).toBe(
      'REVISION   OPERATION   AUTHOR       AGE   MESSAGE\n' + '2          update      ci (token)   60m   route 5%…\n' + '1          create      alice        60m   -\n',
    );
  });
});

describe('weft proxies', () => {
  const proxy = (id: string, status: ProxyStatus['status'], extra: Partial<ProxyStatus> = {}): ProxyStatus => ({
    id,
    namespace: 'shop',
    service: 'checkout',
    version: 'v1',
    address: '10.0.0.1',
    inboundPort: 8080,
    dependencies: null,
    status,
    replica: 'cp-1',
    registeredAt: '2026-11-26T11:00:00Z',
    connectedSince: '2026-11-26T11:00:00Z',
    lastSeenAt: '2026-11-26T11:59:00Z',
    desiredVersion: 'bbbbbbbbbbbb',
    versionSent: 'bbbbbbbbbbbb',
    sentAt: '2026-11-26T11:58:00Z',
    versionAcked: 'aaaaaaaaaaaa',
    ackedAt: '2026-11-26T11:57:00Z',
    lastNack: null,
    pushLatencyMs: 12.4,
    ...extra,
  });

  it('table: short versions, latency, the last NACK', () => {
    const table = proxiesTable(
      [proxy('checkout-1', 'SYNCED', { versionAcked: 'bbbbbbbbbbbb' }), proxy('checkout-2', 'NACKED', { pushLatencyMs: null, lastNack: { version: 'bbbbbbbbbbbb', error: 'cluster payments: unknown subset v3', at: '2026-11-26T11:58:30Z' } })],
      NOW,
      plain,
    );
    expect(table).toBe(
      [
        'NAME         NAMESPACE   SERVICE    VERSION   STATUS   SENT       ACKED      LATENCY   LAST NACK',
        'checkout-1   shop        checkout   v1        SYNCED   bbbbbbbb   bbbbbbbb   12ms      -',
        'checkout-2   shop        checkout   v1        NACKED   bbbbbbbb   aaaaaaaa   -         90s ago: cluster payments: unknown subset v3',
        '',
      ].join('\n'),
    );
  });

  it('counts line: every status in a fixed order', () => {
    expect(countsLine({ SYNCED: 37, NACKED: 1 }, 38)).toBe('38 proxies: 37 SYNCED, 0 PENDING, 0 STALE, 1 NACKED, 0 DISCONNECTED');
    expect(countsLine({}, 1)).toBe('1 proxy: 0 SYNCED, 0 PENDING, 0 STALE, 0 NACKED, 0 DISCONNECTED');
  });

  it('--status is case-insensitive; anything else is a usage error', () => {
    expect(statusArg('nacked')).toBe('NACKED');
    expect(() => statusArg('broken')).toThrow(/one of SYNCED, PENDING, STALE, NACKED, DISCONNECTED/);
  });
});

describe('findings and blast radius', () => {
  it('findings: severity, code, path, message, where', () => {
    expect(formatFinding({ severity: 'error', code: 'UnknownService', path: 'spec.rules[0].backendRefs[0].name', message: "no Service 'paymnts'" }, plain, 'routes.yaml:14')).toBe(
      "  error UnknownService spec.rules[0].backendRefs[0].name: no Service 'paymnts' (routes.yaml:14)",
    );
    expect(formatFinding({ path: 'spec.ports.0.port', message: 'must be at most 65535' }, plain)).toBe('  error spec.ports.0.port: must be at most 65535');
    expect(formatFinding({ severity: 'warning', code: 'WeightsNotHundred', path: '', message: 'weights add up to 90' }, plain)).toBe('  warning WeightsNotHundred weights add up to 90');
  });

  const radius: BlastRadius = {
    affectedProxies: 12,
    totalProxies: 40,
    groups: [
      { namespace: 'shop', service: 'checkout', version: 'v1', proxies: 10, proxyIds: ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'], beforeVersion: '1a2b3c4d5e6f', afterVersion: '5e6f7a8b9c0d', diff: '--- before\n+++ after\n@@ -1 +1 @@\n-weight: 95\n+weight: 90\n' },
      { namespace: 'shop', service: 'cart', version: 'v1', proxies: 2, proxyIds: ['k1', 'k2'], beforeVersion: null, afterVersion: '5e6f7a8b9c0d', diff: '' },
    ],
    truncated: true,
  };

  it('summary line', () => {
    expect(blastRadiusSummary(radius)).toBe('would change the config of 12 of 40 proxies');
    expect(blastRadiusSummary({ affectedProxies: 0, totalProxies: 40 })).toBe('would change the config of no proxies (0 of 40)');
  });

  it('groups with their proxies and indented diffs', () => {
    expect(formatBlastRadius(radius, plain)).toBe(
      [
        '  would change the config of 12 of 40 proxies',
        '  shop/checkout v1: 10 proxies, config 1a2b3c4d → 5e6f7a8b',
        '    proxies: c1, c2, c3, c4, c5 and 5 more',
        '    --- before',
        '    +++ after',
        '    @@ -1 +1 @@',
        '    -weight: 95',
        '    +weight: 90',
        '  shop/cart v1: 2 proxies, config (none) → 5e6f7a8b',
        '    proxies: k1, k2',
        '  … more groups were affected than are listed',
      ].join('\n'),
    );
    expect(formatBlastRadius(radius, ansi)).toContain('\u001b[31m-weight: 95\u001b[39m');
  });
});

describe('diff of local against live', () => {
  it('compares labels, annotations and spec only; empty maps are absent', () => {
    expect(editable({ metadata: { labels: {}, annotations: { a: 'b' } }, spec: { x: 1 } })).toEqual({ metadata: { annotations: { a: 'b' } }, spec: { x: 1 } });
  });

  it('orders the live side like the local file, so only values differ', () => {
    expect(JSON.stringify(alignKeys({ b: 1, a: { d: 1, c: 2 }, z: [{ y: 1, x: 2 }] }, { a: { c: 0, d: 0 }, b: 0, z: [{ x: 0, y: 0 }] }))).toBe('{"a":{"c":2,"d":1},"b":1,"z":[{"x":2,"y":1}]}');
  });

  it('no differences → empty; a change → a unified diff; missing live → everything added', () => {
    const local = { apiVersion: 'weft.dev/v1alpha1', kind: 'Service', metadata: { name: 's', namespace: 'shop' }, spec: { ports: [{ name: 'http', port: 80 }] } };
    const live = stored('Service', 's', { ports: [{ port: 80, name: 'http' }] });
    expect(diffDocuments('service.weft.dev/shop/s', live, local, 's.yaml:1')).toBe('');
    const changed = diffDocuments('service.weft.dev/shop/s', live, { ...local, spec: { ports: [{ name: 'http', port: 81 }] } }, 's.yaml:1');
    expect(changed).toContain('--- live/service.weft.dev/shop/s\tlive (generation 3)');
    expect(changed).toContain('-      port: 80\n+      port: 81');
    expect(diffDocuments('service.weft.dev/shop/s', null, local, 's.yaml:1')).toContain('+spec:');
  });
});
