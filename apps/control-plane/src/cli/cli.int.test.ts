/**
 * The real `weft` process (bin/weft.mjs) against a real control plane on PostgreSQL: login
 * (file mode 0600), apply a directory, apply again (unchanged), get in every format, diff (exit
 * 1 then 0), history, revert, delete, bad documents, refused tokens, an unreachable server, an
 * unsafe config file, and the launcher on an older Node.
 *
 * The blast radius of dry runs, `weft proxies`, cluster-scoped MeshConfig and the mesh
 * validation's findings are in fleet.int.test.ts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../runtime/testing.ts';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMesh, tempTree, weft, type Mesh, type WeftOptions } from './testing.ts';

const services = `# Two services; checkout has two versions.
apiVersion: weft.dev/v1alpha1
kind: Service
metadata:
  name: checkout
  labels:
    tier: web
spec:
  ports:
    - name: http
      port: 80
  versions:
    - name: v1
      labels: {version: v1}
    - name: v2
      labels: {version: v2}
---
apiVersion: weft.dev/v1alpha1
kind: Service
metadata:
  name: payments
  labels:
    tier: api
spec:
  ports:
    - name: http
      port: 80
  versions:
    - name: v1
      labels: {version: v1}
    - name: v2
      labels: {version: v2}
`;

const route = (v1: number, v2: number) => `apiVersion: weft.dev/v1alpha1
kind: HTTPRoute
metadata:
  name: checkout-split
spec:
  parentRefs:
    - kind: Service
      name: checkout
      port: 80
  rules:
    - backendRefs:
        - name: checkout
          subset: v1
          weight: ${v1}
        - name: checkout
          subset: v2
          weight: ${v2}
`;

const traffic = `apiVersion: weft.dev/v1alpha1
kind: TrafficPolicy
metadata:
  name: payments
spec:
  targetRef:
    kind: Service
    name: payments
  timeouts:
    request: 3s
`;

const authz = `apiVersion: weft.dev/v1alpha1
kind: AuthorizationPolicy
metadata:
  name: payments-callers
spec:
  targetRef:
    kind: Service
    name: payments
  action: ALLOW
  rules:
    - from:
        - services: [checkout]
`;

const rollout = JSON.stringify(
  {
    apiVersion: 'weft.dev/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'payments-v2' },
    spec: { targetRef: { kind: 'Service', name: 'payments' }, stableVersion: 'v1', canaryVersion: 'v2', steps: [{ weight: 10, pause: '1m' }, { weight: 100 }] },
  },
  null,
  2,
);

let mesh: Mesh;
let home: string;
let configFile: string;
let work: { dir: string; remove(): Promise<void> };
let env: Record<string, string>;

/** `weft …` as the logged-in user (config file in a temporary XDG_CONFIG_HOME). */
const run = (args: string[], opts: WeftOptions = {}) => weft(args, { cwd: work.dir, ...opts, env: { ...env, ...opts.env } });
/** The resource lines of apply/delete output (findings are indented under them). */
const lines = (stdout: string) => stdout.split('\n').filter((l) => l && !l.startsWith(' '));

beforeAll(async () => {
  mesh = await startMesh();
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'weft-cli-home-'));
  configFile = path.join(home, 'xdg', 'weft', 'config.json');
  env = { HOME: home, XDG_CONFIG_HOME: path.join(home, 'xdg') };
  work = await tempTree({
    // Sorted by name, routes.yaml comes before services.yaml: apply must still create Services first.
    'mesh/routes.yaml': route(90, 10),
    'mesh/services.yaml': services,
    'mesh/policies/traffic.yml': traffic,
    'mesh/policies/authz.yaml': authz,
    'mesh/rollout.json': rollout,
    'mesh/README.md': 'not a resource',
  });
}, 120_000);

afterAll(async () => {
  await mesh?.stop();
  await work?.remove();
  if (home) await fs.rm(home, { recursive: true, force: true });
});

describe('weft against a real control plane', () => {
  it('login checks the token and saves it 0600 in a 0700 directory', async () => {
    const res = await run(['login', mesh.url, '--token-stdin', '-n', 'shop'], { stdin: `${mesh.tokens.editor}\n` });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(`Logged in to ${mesh.url} as token cli-editor (team shop-team: editor).`);
    expect((await fs.stat(configFile)).mode & 0o777).toBe(0o600);
    expect((await fs.stat(path.dirname(configFile))).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await fs.readFile(configFile, 'utf8'))).toEqual({ url: mesh.url, token: mesh.tokens.editor, namespace: 'shop' });

    const me = await run(['whoami']);
    expect(me.stdout).toBe(`token cli-editor (team shop-team: editor) at ${mesh.url}, default namespace shop\n`);
  });

  it('login with a wrong token: exit 3, and the saved login is left alone', async () => {
    const res = await run(['login', mesh.url, '--token-stdin'], { stdin: 'weft_not-a-real-token' });
    expect(res.code).toBe(3);
    expect(res.stderr).toContain(`the control plane at ${mesh.url} refused this token`);
    expect(JSON.parse(await fs.readFile(configFile, 'utf8')).token).toBe(mesh.tokens.editor);
  });

  it('apply a directory: every document, Services first, one line each', async () => {
    const res = await run(['apply', '-f', 'mesh', '-m', 'first']);
    expect(res.code, res.stderr).toBe(0);
    expect(lines(res.stdout)).toEqual([
      'service.weft.dev/shop/checkout created',
      'service.weft.dev/shop/payments created',
      'trafficpolicy.weft.dev/shop/payments created',
      'httproute.weft.dev/shop/checkout-split created',
      'authorizationpolicy.weft.dev/shop/payments-callers created',
      'rollout.weft.dev/shop/payments-v2 created',
    ]);
  });

  it('apply again: unchanged, nothing written', async () => {
    const res = await run(['apply', '-f', 'mesh']);
    expect(res.code, res.stderr).toBe(0);
    expect(lines(res.stdout).map((l) => l.split(' ')[1])).toEqual(Array(6).fill('unchanged'));
    const history = await run(['history', 'svc', 'checkout']);
    expect(history.stdout.trim().split('\n')).toHaveLength(2); // header + revision 1
  });

  it('get: table, yaml, json, name, selectors, every namespace', async () => {
    const table = await run(['get', 'svc']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^NAME\s+NAMESPACE\s+AGE\s+GENERATION\s+PORTS\s+VERSIONS$/);
    expect(table.stdout).toMatch(/\ncheckout\s+shop\s+\d+s\s+1\s+80\/http\s+v1,v2\n/);

    const routes = await run(['get', 'routes', '-n', 'shop']);
    expect(routes.stdout).toMatch(/checkout-split\s+shop\s+\d+s\s+1\s+checkout:80\s+1\s+checkout\/v1=90,checkout\/v2=10/);

    const yaml = await run(['get', 'services', '-o', 'yaml']);
    const docs = parseAllDocuments(yaml.stdout).map((d) => d.toJS() as { kind: string; metadata: { name: string; resourceVersion: string } });
    expect(docs.map((d) => [d.kind, d.metadata.name])).toEqual([
      ['Service', 'checkout'],
      ['Service', 'payments'],
    ]);

    const json = await run(['get', 'svc', 'payments', '-o', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ kind: 'Service', metadata: { name: 'payments', namespace: 'shop', generation: 1, labels: { tier: 'api' } } });

    const selected = await run(['get', 'svc', '-l', 'tier=api', '-o', 'name']);
    expect(selected.stdout).toBe('service.weft.dev/shop/payments\n');
    const all = await run(['get', 'svc', '-A', '-o', 'name']);
    expect(all.stdout).toBe('service.weft.dev/shop/checkout\nservice.weft.dev/shop/payments\n');
    const empty = await run(['get', 'svc', '-n', 'staging']);
    expect(empty).toMatchObject({ code: 0, stdout: '', stderr: 'No services found in namespace staging.\n' });

    // What get -o yaml prints applies again as it is.
    const reapplied = await run(['apply', '-f', '-'], { stdin: yaml.stdout });
    expect(lines(reapplied.stdout)).toEqual(['service.weft.dev/shop/checkout unchanged', 'service.weft.dev/shop/payments unchanged']);
  });

  it('diff: exit 0 when the files match, 1 with the change, 0 again once applied', async () => {
    const same = await run(['diff', '-f', 'mesh']);
    expect(same).toMatchObject({ code: 0, stdout: '' });
    expect(same.stderr).toBe('no differences (6 resources)\n');

    await fs.writeFile(path.join(work.dir, 'mesh/routes.yaml'), route(80, 20));
    const differ = await run(['diff', '-f', 'mesh']);
    expect(differ.code).toBe(1);
    expect(differ.stdout).toContain('--- live/httproute.weft.dev/shop/checkout-split\tlive (generation 1)');
    expect(differ.stdout).toContain('+++ local/httproute.weft.dev/shop/checkout-split\tmesh/routes.yaml:1');
    expect(differ.stdout).toContain('-          weight: 90\n+          weight: 80\n');
    expect(differ.stdout).not.toContain('service.weft.dev');

    const applied = await run(['apply', '-f', 'mesh/routes.yaml', '-m', '20% to v2']);
    expect(lines(applied.stdout)).toEqual(['httproute.weft.dev/shop/checkout-split updated']);
    expect((await run(['diff', '-f', 'mesh'])).code).toBe(0);
  });

  it('history and a diff of two revisions', async () => {
    const history = await run(['history', 'route', 'checkout-split']);
    expect(history.code).toBe(0);
    expect(history.stdout.trim().split('\n').map((l) => l.split(/\s{3,}/))).toEqual([
      ['REVISION', 'OPERATION', 'AUTHOR', 'AGE', 'MESSAGE'],
      ['2', 'update', 'cli-editor (token)', expect.stringMatching(/^\d+s$/), '20% to v2'],
      ['1', 'create', 'cli-editor (token)', expect.stringMatching(/^\d+s$/), 'first'],
    ]);
    const json = await run(['history', 'route', 'checkout-split', '-o', 'json']);
    expect(JSON.parse(json.stdout).map((r: { revision: number }) => r.revision)).toEqual([2, 1]);

    const revisions = await run(['diff', 'httproute', 'checkout-split', '--from', '1', '--to', '2']);
    expect(revisions.code).toBe(1);
    expect(revisions.stdout).toContain('-          weight: 90\n+          weight: 80\n');
    expect((await run(['diff', 'httproute', 'checkout-split', '--from', '2'])).code).toBe(0);
  });

  it('revert: a new revision with the old content', async () => {
    const res = await run(['revert', 'route', 'checkout-split', '--to', '1', '-m', 'back to 10%']);
    expect(res.code, res.stderr).toBe(0);
    expect(lines(res.stdout)).toEqual(['httproute.weft.dev/shop/checkout-split reverted to revision 1 (now revision 3)']);
    const got = JSON.parse((await run(['get', 'route', 'checkout-split', '-o', 'json'])).stdout);
    expect(got.spec.rules[0].backendRefs.map((b: { weight: number }) => b.weight)).toEqual([90, 10]);
    expect(got.metadata.generation).toBe(3);
    expect((await run(['history', 'route', 'checkout-split'])).stdout).toMatch(/\n3\s+revert\s+cli-editor \(token\)\s+\d+s\s+back to 10%\n/);
    const missing = await run(['revert', 'route', 'checkout-split', '--to', '99']);
    expect(missing.code).toBe(4);
  });

  it('delete: soft (history stays), then not found (4) unless --ignore-not-found', async () => {
    const res = await run(['delete', 'route', 'checkout-split', '-m', 'retire']);
    expect(res).toMatchObject({ code: 0, stdout: 'httproute.weft.dev/shop/checkout-split deleted\n' });
    expect((await run(['get', 'route', 'checkout-split'])).code).toBe(4);
    expect((await run(['history', 'route', 'checkout-split'])).stdout).toMatch(/\n4\s+delete\s+cli-editor \(token\)\s+\d+s\s+retire\n/);
    const again = await run(['delete', 'route', 'checkout-split']);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain('error: httproute.weft.dev/shop/checkout-split not found');
    expect((await run(['delete', 'route', 'checkout-split', '--ignore-not-found'])).code).toBe(0);

    const dry = await run(['delete', 'svc', 'payments', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(lines(dry.stdout)).toEqual(['service.weft.dev/shop/payments deleted (dry run)']);
    expect((await run(['get', 'svc', 'payments'])).code).toBe(0);
  });

  it('a bad document: exit 1, the file, line and field named, nothing applied', async () => {
    await fs.writeFile(path.join(work.dir, 'bad.yaml'), `${route(50, 50).replace('    - backendRefs:', '    - matchs: []\n      backendRefs:')}`);
    const res = await run(['apply', '-f', 'bad.yaml']);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe("bad.yaml:11: spec.rules.0.matchs: unknown field; did you mean 'matches'?\nerror: 1 problem in the documents: nothing was applied\n");
    expect((await run(['get', 'route', 'checkout-split'])).code).toBe(4);
  });

  it('refused credentials: a wrong token and a viewer token exit 3', async () => {
    const wrong = await run(['get', 'svc'], { env: { WEFT_TOKEN: 'weft_wrong' } });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain('the API token is invalid, expired or revoked');
    expect(wrong.stderr).toContain('weft login URL --token-stdin');

    const viewer = await run(['apply', '-f', 'mesh/services.yaml'], { env: { WEFT_TOKEN: mesh.tokens.viewer } });
    expect(viewer.code).toBe(3);
    expect(viewer.stderr).toBe(
      [
        "error: service.weft.dev/shop/checkout (mesh/services.yaml:2): Forbidden: requires the editor role on this namespace's team; you are viewer",
        "error: service.weft.dev/shop/payments (mesh/services.yaml:18): Forbidden: requires the editor role on this namespace's team; you are viewer",
        'error: 2 of 2 resources were not applied',
        "Your token's role on this namespace's team is too low: ask an owner of the team for a token with a higher role.",
        '',
      ].join('\n'),
    );
    expect((await run(['get', 'svc'], { env: { WEFT_TOKEN: mesh.tokens.viewer } })).code).toBe(0);
  });

  it('CI without a config file: WEFT_URL and WEFT_TOKEN', async () => {
    const res = await weft(['get', 'svc', '-n', 'shop', '-o', 'name'], { env: { HOME: home, WEFT_CONFIG: path.join(home, 'none.json'), WEFT_URL: `${mesh.url}/api/v1`, WEFT_TOKEN: mesh.tokens.viewer } });
    expect(res).toMatchObject({ code: 0, stdout: 'service.weft.dev/shop/checkout\nservice.weft.dev/shop/payments\n' });
  });

  it('an unreachable control plane: exit 6', async () => {
    const res = await run(['get', 'svc'], { env: { WEFT_URL: `http://127.0.0.1:${await freePort()}` } });
    expect(res.code).toBe(6);
    expect(res.stderr).toMatch(/cannot reach the control plane at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });

  it('a config file others can read is refused (exit 3), like ssh does', async () => {
    await fs.chmod(configFile, 0o644);
    try {
      const res = await run(['get', 'svc']);
      expect(res.code).toBe(3);
      expect(res.stderr).toContain(`refusing to use ${configFile}: it is accessible by other users (mode 0644)`);
      expect(res.stderr).toContain(`chmod 600 ${configFile}`);
    } finally {
      await fs.chmod(configFile, 0o600);
    }
  });

  it('delete -f: everything in the files, in reverse order (Rollouts first, Services last)', async () => {
    await fs.writeFile(path.join(work.dir, 'mesh/routes.yaml'), route(90, 10));
    const res = await run(['delete', '-f', 'mesh', '--ignore-not-found']);
    expect(res.code, res.stderr).toBe(0);
    expect(lines(res.stdout)).toEqual([
      'rollout.weft.dev/shop/payments-v2 deleted',
      'authorizationpolicy.weft.dev/shop/payments-callers deleted',
      'trafficpolicy.weft.dev/shop/payments deleted',
      'service.weft.dev/shop/payments deleted',
      'service.weft.dev/shop/checkout deleted',
    ]);
    expect((await run(['get', 'svc'])).stderr).toBe('No services found in namespace shop.\n');
  });

  it('logout removes the saved login', async () => {
    expect((await run(['logout'])).stdout).toBe(`Removed ${configFile}.\n`);
    expect(existsSync(configFile)).toBe(false);
    expect((await run(['get', 'svc'])).code).toBe(3);
  });
});

describe('the launcher', () => {
  const root = path.resolve(import.meta.dirname, '../../../..');
  /** A Node older than 23.6 on this machine (the system's), if there is one. */
  const oldNode = ['/usr/bin/node', '/usr/local/bin/node'].find((p) => {
    if (!existsSync(p)) return false;
    const [major, minor] = execFileSync(p, ['-p', 'process.versions.node']).toString().trim().split('.').map(Number) as [number, number];
    return major < 23 || (major === 23 && minor < 6);
  });

  it.skipIf(!oldNode)('re-executes with the project’s Node 24 when started by an older Node', async () => {
    const res = await weft(['version', '--client'], { node: oldNode! });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^weft \d+\.\d+\.\d+ \(node v24\./);
  });

  it('is linked as node_modules/.bin/weft (npx weft), and passes exit codes through', () => {
    const bin = path.join(root, 'node_modules/.bin/weft');
    expect(existsSync(bin), 'run `npm install` to link the bin').toBe(true);
    // The system PATH only: `#!/usr/bin/env node` finds whatever Node the machine has. (The cast:
    // a dependency's types declare a global NODE_ENV.)
    const systemEnv = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: home } as unknown as NodeJS.ProcessEnv;
    const help = spawnSync(bin, ['--help'], { env: systemEnv, encoding: 'utf8' });
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toContain('Usage: weft');
    const usage = spawnSync(bin, ['get'], { env: systemEnv, encoding: 'utf8' });
    expect(usage.status).toBe(2);
  });
});
