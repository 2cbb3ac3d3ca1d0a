/**
 * The CLI in process: argument parsing, what is sent to the API and what is printed, exit codes.
 * The API is a fake fetch (testing.ts); cli.int.test.ts runs the real process against a real
 * control plane.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { run } from './program.ts';
import { fakeFetch, fakeIO, tempTree } from './testing.ts';

const ENV = { WEFT_URL: 'http://cp.test', WEFT_TOKEN: 'weft_test' };

const svcYaml = (name: string) => `apiVersion: weft.dev/v1alpha1
kind: Service
metadata:
  name: ${name}
spec:
  ports:
    - name: http
      port: 80
`;
const routeYaml = `apiVersion: weft.dev/v1alpha1
kind: HTTPRoute
metadata:
  name: checkout
spec:
  parentRefs:
    - kind: Service
      name: checkout
  rules:
    - backendRefs:
        - name: checkout
          weight: 90
`;
const meshYaml = `apiVersion: weft.dev/v1alpha1
kind: MeshConfig
metadata:
  name: default
spec:
  mtls:
    mode: STRICT
`;

const stored = (kind: string, name: string, spec: unknown, namespace: string | undefined = 'shop') => ({
  apiVersion: 'weft.dev/v1alpha1',
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}), resourceVersion: '9', uid: 'u', generation: 2, creationTimestamp: '2026-11-26T11:00:00Z' },
  spec,
});
const applied = (result: string, extra: Record<string, unknown> = {}) => () => [200, { resource: stored('Service', 'x', {}), result, dryRun: false, diagnostics: [], ...extra }] as [number, unknown];
const apiError = (status: number, code: string, message: string, issues?: unknown[]) => [status, { error: { code, message, requestId: 'req-42', ...(issues ? { issues } : {}) } }] as [number, unknown];

const trees: Array<{ remove(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(trees.splice(0).map((t) => t.remove()));
});
async function files(content: Record<string, string>): Promise<string> {
  const t = await tempTree(content);
  trees.push(t);
  return t.dir;
}

describe('usage', () => {
  it('--help on every command: exit 0, usage on stdout', async () => {
    for (const cmd of ['login', 'logout', 'whoami', 'apply', 'get', 'delete', 'diff', 'history', 'revert', 'proxies', 'version']) {
      const io = fakeIO();
      expect(await run([cmd, '--help'], io), cmd).toBe(0);
      expect(io.out(), cmd).toContain(`Usage: weft ${cmd}`);
    }
    const io = fakeIO();
    expect(await run(['--help'], io)).toBe(0);
    expect(io.out()).toContain('Exit codes:');
    expect(await run(['help', 'apply'], fakeIO())).toBe(0);
  });

  it('bad command lines exit 2 with the problem on stderr', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /Usage: weft/],
      [['frobnicate'], /unknown command 'frobnicate'/],
      [['get', 'svc', '--bogus'], /unknown option '--bogus'/],
      [['get'], /missing required argument 'kind'/],
      [['apply'], /required option '-f, --filename <path>' not specified/],
      [['get', 'svc', '-o', 'xml'], /argument 'xml' is invalid/],
      [['get', 'gizmos', '-n', 'shop'], /unknown resource kind 'gizmos'/],
      [['get', 'svc', 'x', '-A'], /-A lists every namespace/],
      [['get', 'svc'], /pass -n NAMESPACE, or -A/],
      [['revert', 'svc', 'x', '-n', 'shop'], /required option '--to <revision>'/],
      [['revert', 'svc', 'x', '-n', 'shop', '--to', 'two'], /a revision is a whole number/],
      [['diff', 'svc', 'x', '-n', 'shop'], /needs --from REVISION/],
      [['delete', 'svc'], /say what to delete/],
      [['login', 'http://x'], /no token/],
      [['login', 'not a url', '--token', 't'], /is not a URL/],
      [['proxies', '--status', 'weird'], /one of SYNCED/],
      [['get', 'svc', 'a', 'b', 'c'], /too many arguments/],
    ];
    for (const [argv, message] of cases) {
      const io = fakeIO({ env: ENV, fetch: fakeFetch({}) });
      expect(await run(argv, io), argv.join(' ')).toBe(2);
      expect(io.err(), argv.join(' ')).toMatch(message);
    }
  });

  it('--version and `weft version --client` need no login', async () => {
    const io = fakeIO();
    expect(await run(['--version'], io)).toBe(0);
    expect(io.out()).toMatch(/^\d+\.\d+\.\d+\n$/);
    const v = fakeIO();
    expect(await run(['version', '--client'], v)).toBe(0);
    expect(v.out()).toMatch(/^weft \d+\.\d+\.\d+ \(node v\d+/);
  });

  it('not logged in: exit 3 and how to log in', async () => {
    const io = fakeIO({ env: { WEFT_CONFIG: '/nonexistent/weft.json' } });
    expect(await run(['get', 'svc', '-n', 'shop'], io)).toBe(3);
    expect(io.err()).toContain('error: not logged in');
    expect(io.err()).toContain('weft login URL --token-stdin');
  });
});

describe('apply', () => {
  it('applies a directory in kind order, with the token, message and dry-run flag, one line each', async () => {
    const dir = await files({ 'mesh/routes.yaml': routeYaml, 'mesh/services.yaml': `${svcYaml('checkout')}---\n${svcYaml('cart')}`, 'mesh/mesh.yaml': meshYaml });
    const fetch = fakeFetch({
      'PUT /api/v1/namespaces/shop/services/checkout': applied('created'),
      'PUT /api/v1/namespaces/shop/services/cart': applied('unchanged'),
      'PUT /api/v1/cluster/meshconfigs/default': applied('updated'),
      'PUT /api/v1/namespaces/shop/httproutes/checkout': applied('created', { diagnostics: [{ severity: 'warning', code: 'WeightsNotHundred', path: 'spec.rules[0].backendRefs[0].weight', message: 'weights add up to 90' }] }),
    });
    const io = fakeIO({ env: ENV, fetch, cwd: dir });
    expect(await run(['apply', '-f', 'mesh', '-n', 'shop', '-m', 'first'], io)).toBe(0);
    expect(fetch.requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      'PUT /api/v1/namespaces/shop/services/checkout',
      'PUT /api/v1/namespaces/shop/services/cart',
      'PUT /api/v1/cluster/meshconfigs/default',
      'PUT /api/v1/namespaces/shop/httproutes/checkout',
    ]);
    expect(fetch.requests[0]!.headers.authorization).toBe('Bearer weft_test');
    expect(fetch.requests[0]!.body).toEqual({ document: { apiVersion: 'weft.dev/v1alpha1', kind: 'Service', metadata: { name: 'checkout', namespace: 'shop' }, spec: { ports: [{ name: 'http', port: 80 }] } }, message: 'first' });
    expect(io.out()).toBe(
      [
        'service.weft.dev/shop/checkout created',
        'service.weft.dev/shop/cart unchanged',
        'meshconfig.weft.dev/default updated',
        'httproute.weft.dev/shop/checkout created',
        '  warning WeightsNotHundred spec.rules[0].backendRefs[0].weight: weights add up to 90 (mesh/routes.yaml:12)',
        '',
      ].join('\n'),
    );
    expect(io.err()).toBe('');
  });

  it('--dry-run: sends every document to /preview at once, prints "(dry run)" and one blast radius', async () => {
    const dir = await files({ 'r.yaml': routeYaml });
    const fetch = fakeFetch({
      'POST /api/v1/preview': () => [
        200,
        {
          ok: true,
          results: [{ kind: 'HTTPRoute', namespace: 'shop', name: 'checkout', result: 'updated', diagnostics: [] }],
          elsewhere: [],
          blastRadius: { affectedProxies: 3, totalProxies: 40, truncated: false, groups: [{ namespace: 'shop', service: 'web', version: 'v1', proxies: 3, proxyIds: ['w1', 'w2', 'w3'], beforeVersion: 'aaaaaaaaaa', afterVersion: 'bbbbbbbbbb', diff: '@@ -1 +1 @@\n-weight: 100\n+weight: 90\n' }] },
        },
      ],
    });
    const io = fakeIO({ env: ENV, fetch, cwd: dir });
    expect(await run(['apply', '-f', 'r.yaml', '-n', 'shop', '--dry-run'], io)).toBe(0);
    expect(fetch.requests[0]!.body).toMatchObject({ documents: [{ kind: 'HTTPRoute', metadata: { name: 'checkout' } }] });
    expect(io.out()).toBe(
      [
        'httproute.weft.dev/shop/checkout updated (dry run)',
        '  would change the config of 3 of 40 proxies',
        '  shop/web v1: 3 proxies, config aaaaaaaa → bbbbbbbb',
        '    proxies: w1, w2, w3',
        '    @@ -1 +1 @@',
        '    -weight: 100',
        '    +weight: 90',
        '',
      ].join('\n'),
    );
  });

  it('--dry-run with an error finding: "would be refused", exit 1', async () => {
    const dir = await files({ 'r.yaml': routeYaml });
    const fetch = fakeFetch({
      'POST /api/v1/preview': () => [
        200,
        {
          ok: false,
          results: [{ kind: 'HTTPRoute', namespace: 'shop', name: 'checkout', result: 'created', diagnostics: [{ severity: 'error', code: 'UnknownParent', path: 'spec.parentRefs[0].name', message: "service 'web' does not exist" }] }],
          elsewhere: [],
          blastRadius: { affectedProxies: 0, totalProxies: 0, truncated: false, groups: [] },
        },
      ],
    });
    const io = fakeIO({ env: ENV, fetch, cwd: dir });
    expect(await run(['apply', '-f', 'r.yaml', '-n', 'shop', '--dry-run'], io)).toBe(1);
    expect(io.out()).toContain('httproute.weft.dev/shop/checkout would be refused (dry run)');
    expect(io.out()).toContain('UnknownParent');
  });

  it('invalid documents: every problem with file:line, nothing sent, exit 1', async () => {
    const dir = await files({ 'bad.yaml': routeYaml.replace('weight: 90', 'weight: -1') });
    const fetch = fakeFetch({});
    const io = fakeIO({ env: ENV, fetch, cwd: dir });
    expect(await run(['apply', '-f', 'bad.yaml', '-n', 'shop'], io)).toBe(1);
    expect(io.err()).toBe('bad.yaml:12: spec.rules.0.backendRefs.0.weight: must be at least 0\nerror: 1 problem in the documents: nothing was applied\n');
    expect(fetch.requests).toEqual([]);
  });

  it('a write the server blocks: its issues with lines, the others still applied, exit 1', async () => {
    const dir = await files({ 'a.yaml': `${svcYaml('checkout')}---\n${routeYaml}` });
    const fetch = fakeFetch({
      'PUT /api/v1/namespaces/shop/services/checkout': applied('created'),
      'PUT /api/v1/namespaces/shop/httproutes/checkout': apiError(400, 'BAD_REQUEST', 'blocked', [
        { path: 'spec.rules[0].backendRefs[0].name', message: "no Service 'checkout' in namespace shop", code: 'UnknownService', severity: 'error' },
      ]),
    });
    const io = fakeIO({ env: ENV, fetch, cwd: dir });
    expect(await run(['apply', '-f', 'a.yaml', '-n', 'shop'], io)).toBe(1);
    expect(io.out()).toBe('service.weft.dev/shop/checkout created\n');
    expect(io.err()).toBe(
      [
        'error: httproute.weft.dev/shop/checkout (a.yaml:10) was refused:',
        "  error UnknownService spec.rules[0].backendRefs[0].name: no Service 'checkout' in namespace shop (a.yaml:20)",
        'error: 1 of 2 resources were not applied',
        '',
      ].join('\n'),
    );
  });

  it('a conflict alone exits 5; a refused token stops everything with 3; no answer is 6', async () => {
    const dir = await files({ 'a.yaml': `${svcYaml('one')}---\n${svcYaml('two')}` });
    const conflict = fakeFetch({ 'PUT /api/v1/namespaces/shop/services/one': apiError(409, 'CONFLICT', 'Service shop/one has been changed'), 'PUT /api/v1/namespaces/shop/services/two': applied('created') });
    const io = fakeIO({ env: ENV, fetch: conflict, cwd: dir });
    expect(await run(['apply', '-f', 'a.yaml', '-n', 'shop'], io)).toBe(5);
    expect(io.err()).toContain('Read the resource again');

    const unauthorized = fakeFetch({ 'PUT /api/v1/namespaces/shop/services/one': apiError(401, 'UNAUTHENTICATED', 'Authentication required: the API token is invalid, expired or revoked') });
    const io401 = fakeIO({ env: ENV, fetch: unauthorized, cwd: dir });
    expect(await run(['apply', '-f', 'a.yaml', '-n', 'shop'], io401)).toBe(3);
    expect(unauthorized.requests).toHaveLength(1);
    expect(io401.err()).toContain('service.weft.dev/shop/one: not applied, nor the 1 after it');

    const down = Object.assign((async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    }) as typeof fetch);
    const ioDown = fakeIO({ env: ENV, fetch: down, cwd: dir });
    expect(await run(['apply', '-f', 'a.yaml', '-n', 'shop'], ioDown)).toBe(6);
    expect(ioDown.err()).toContain('cannot reach the control plane at http://cp.test (ECONNREFUSED)');
  });

  it('reads standard input', async () => {
    const fetch = fakeFetch({ 'PUT /api/v1/namespaces/shop/services/piped': applied('created') });
    const io = fakeIO({ env: ENV, fetch, stdin: svcYaml('piped') });
    expect(await run(['apply', '-f', '-', '-n', 'shop'], io)).toBe(0);
    expect(io.out()).toBe('service.weft.dev/shop/piped created\n');
  });
});

describe('get', () => {
  it('follows nextCursor, passes the selector, prints a table', async () => {
    const fetch = fakeFetch({
      'GET /api/v1/namespaces/shop/services': ({ url }) =>
        url.searchParams.get('cursor') === 'p2'
          ? [200, { items: [stored('Service', 'b', { ports: [{ name: 'http', port: 81 }] })], nextCursor: null }]
          : [200, { items: [stored('Service', 'a', { ports: [{ name: 'http', port: 80 }] })], nextCursor: 'p2' }],
    });
    const io = fakeIO({ env: ENV, fetch });
    expect(await run(['get', 'services', '-n', 'shop', '-l', 'tier=web'], io)).toBe(0);
    expect(fetch.requests.map((r) => r.url.search)).toEqual(['?labelSelector=tier%3Dweb&limit=500', '?labelSelector=tier%3Dweb&limit=500&cursor=p2']);
    expect(io.out()).toBe('NAME   NAMESPACE   AGE   GENERATION   PORTS     VERSIONS\na      shop        60m   2            80/http   -\nb      shop        60m   2            81/http   -\n');
  });

  it('-A lists across namespaces; -o yaml is a re-appliable stream; -o name', async () => {
    const fetch = fakeFetch({ 'GET /api/v1/resources/httproutes': [200, { items: [stored('HTTPRoute', 'a', { rules: [] }), stored('HTTPRoute', 'b', { rules: [] }, 'staging')], nextCursor: null }] });
    const yaml = fakeIO({ env: ENV, fetch });
    expect(await run(['get', 'routes', '-A', '-o', 'yaml'], yaml)).toBe(0);
    expect(yaml.out().split('---\n')).toHaveLength(2);
    expect(yaml.out()).toContain('kind: HTTPRoute\nmetadata:\n  name: a\n');
    const names = fakeIO({ env: ENV, fetch });
    expect(await run(['get', 'routes', '-A', '-o', 'name'], names)).toBe(0);
    expect(names.out()).toBe('httproute.weft.dev/shop/a\nhttproute.weft.dev/staging/b\n');
  });

  it('one resource as JSON; not found is exit 4', async () => {
    const fetch = fakeFetch({
      'GET /api/v1/namespaces/shop/services/a': [200, stored('Service', 'a', {})],
      'GET /api/v1/namespaces/shop/services/nope': apiError(404, 'NOT_FOUND', 'Service shop/nope not found'),
    });
    const io = fakeIO({ env: { ...ENV, WEFT_NAMESPACE: 'shop' }, fetch });
    expect(await run(['get', 'svc', 'a', '-o', 'json'], io)).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ kind: 'Service', metadata: { name: 'a' } });
    const missing = fakeIO({ env: { ...ENV, WEFT_NAMESPACE: 'shop' }, fetch });
    expect(await run(['get', 'svc', 'nope'], missing)).toBe(4);
    expect(missing.err()).toBe('error: Service shop/nope not found\n');
  });
});

describe('diff', () => {
  it('local against live: exit 0 when equal, 1 with a unified diff when not', async () => {
    const dir = await files({ 'r.yaml': routeYaml });
    const live = (weight: number) =>
      fakeFetch({ 'GET /api/v1/namespaces/shop/httproutes/checkout': [200, stored('HTTPRoute', 'checkout', { rules: [{ backendRefs: [{ weight, name: 'checkout' }] }], parentRefs: [{ name: 'checkout', kind: 'Service' }] })] });
    const same = fakeIO({ env: ENV, fetch: live(90), cwd: dir });
    expect(await run(['diff', '-f', 'r.yaml', '-n', 'shop'], same)).toBe(0);
    expect(same.out()).toBe('');
    const differ = fakeIO({ env: ENV, fetch: live(100), cwd: dir });
    expect(await run(['diff', '-f', 'r.yaml', '-n', 'shop'], differ)).toBe(1);
    expect(differ.out()).toContain('-          weight: 100\n+          weight: 90\n');
  });

  it('two revisions: --to defaults to the newest', async () => {
    const fetch = fakeFetch({
      'GET /api/v1/namespaces/shop/services/a/history': [200, [{ revision: 4 }, { revision: 3 }]],
      'GET /api/v1/namespaces/shop/services/a/diff': ({ url }) => [200, { from: Number(url.searchParams.get('from')), to: Number(url.searchParams.get('to')), unified: '--- a\n+++ b\n-x\n+y\n', changes: [{ path: 'spec.x' }] }],
    });
    const io = fakeIO({ env: ENV, fetch });
    expect(await run(['diff', 'svc', 'a', '-n', 'shop', '--from', '2'], io)).toBe(1);
    expect(fetch.requests.at(-1)!.url.search).toBe('?from=2&to=4');
  });
});

describe('revert and delete dry runs never write on a server that lacks dryRun', () => {
  const openApi = (declared: boolean) => [
    200,
    {
      paths: {
        '/namespaces/{namespace}/{plural}/{name}/revert': { post: { requestBody: { content: { 'application/json': { schema: { properties: { toRevision: {}, ...(declared ? { dryRun: {} } : {}) } } } } } } },
        '/namespaces/{namespace}/{plural}/{name}': { delete: { parameters: [{ name: 'resourceVersion' }, ...(declared ? [{ name: 'dryRun' }] : [])] } },
      },
    },
  ] as [number, unknown];

  it('revert --dry-run: refused (exit 2, nothing posted) without server support; sent with it', async () => {
    const old = fakeFetch({ 'GET /api/v1/openapi.json': openApi(false) });
    const io = fakeIO({ env: ENV, fetch: old });
    expect(await run(['revert', 'svc', 'a', '-n', 'shop', '--to', '1', '--dry-run'], io)).toBe(2);
    expect(old.requests.map((r) => r.method)).toEqual(['GET']);
    expect(io.err()).toContain('does not support --dry-run for revert; nothing was done');

    const current = fakeFetch({ 'GET /api/v1/openapi.json': openApi(true), 'POST /api/v1/namespaces/shop/services/a/revert': applied('updated', { dryRun: true }) });
    const io2 = fakeIO({ env: ENV, fetch: current });
    expect(await run(['revert', 'svc', 'a', '-n', 'shop', '--to', '1', '--dry-run', '-m', 'undo'], io2)).toBe(0);
    expect(current.requests.at(-1)!.body).toEqual({ toRevision: 1, message: 'undo', dryRun: true });
    expect(io2.out()).toBe('service.weft.dev/shop/a reverted to revision 1 (dry run)\n');
  });

  it('delete --dry-run without server support: only checks that it exists', async () => {
    const fetch = fakeFetch({ 'GET /api/v1/openapi.json': openApi(false), 'GET /api/v1/namespaces/shop/services/a': [200, stored('Service', 'a', {})] });
    const io = fakeIO({ env: ENV, fetch });
    expect(await run(['delete', 'svc', 'a', '-n', 'shop', '--dry-run'], io)).toBe(0);
    expect(fetch.requests.map((r) => r.method)).toEqual(['GET', 'GET']);
    expect(io.out()).toBe('service.weft.dev/shop/a deleted (dry run)\n');
  });
});

describe('proxies', () => {
  it('all pages, the status filter upper-cased, counts from the server', async () => {
    const proxy = (id: string) => ({ id, namespace: 'shop', service: 'web', version: 'v1', status: 'NACKED', versionSent: 'bbbbbbbbbb', versionAcked: 'aaaaaaaaaa', pushLatencyMs: null, lastNack: null });
    const fetch = fakeFetch({
      'GET /api/v1/proxies': ({ url }) =>
        url.searchParams.get('cursor') ? [200, { items: [proxy('p2')], counts: { NACKED: 2 }, total: 2, nextCursor: null }] : [200, { items: [proxy('p1')], counts: { NACKED: 2 }, total: 2, nextCursor: 'c' }],
    });
    const io = fakeIO({ env: ENV, fetch });
    expect(await run(['proxies', '-n', 'shop', '--service', 'web', '--status', 'nacked'], io)).toBe(0);
    expect(fetch.requests[0]!.url.search).toBe('?namespace=shop&service=web&status=NACKED&limit=500');
    expect(io.out().trim().split('\n')).toEqual([
      'NAME   NAMESPACE   SERVICE   VERSION   STATUS   SENT       ACKED      LATENCY   LAST NACK',
      'p1     shop        web       v1        NACKED   bbbbbbbb   aaaaaaaa   -         -',
      'p2     shop        web       v1        NACKED   bbbbbbbb   aaaaaaaa   -         -',
      '2 proxies: 0 SYNCED, 0 PENDING, 0 STALE, 2 NACKED, 0 DISCONNECTED',
    ]);
  });
});
