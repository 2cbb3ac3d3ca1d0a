import type { ResourceKind } from '@weft/contracts/resources';
import { afterEach, describe, expect, it } from 'vitest';
import { collectFiles, loadResources, toDottedPath } from './documents.ts';
import { ExitCode, type CliError } from './errors.ts';
import { APPLY_ORDER, kindArg, refOf, resourcePath, sortForApply } from './resources.ts';
import { tempTree } from './testing.ts';

const service = (name: string, ns?: string) => `apiVersion: weft.dev/v1alpha1
kind: Service
metadata:
  name: ${name}
${ns ? `  namespace: ${ns}\n` : ''}spec:
  ports:
    - name: http
      port: 80
`;

const route = (name: string, backend = 'checkout') => `apiVersion: weft.dev/v1alpha1
kind: HTTPRoute
metadata:
  name: ${name}
spec:
  parentRefs:
    - kind: Service
      name: ${backend}
  rules:
    - backendRefs:
        - name: ${backend}
`;

const mesh = `apiVersion: weft.dev/v1alpha1
kind: MeshConfig
metadata:
  name: default
  namespace: kustomize-added-this
spec:
  mtls:
    mode: STRICT
`;

const trees: Array<{ remove(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(trees.splice(0).map((t) => t.remove()));
});
const tree = async (files: Record<string, string>) => {
  const t = await tempTree(files);
  trees.push(t);
  return t.dir;
};
const load = (dir: string, inputs: string[], namespace?: string, namespaceFromFlag = false, stdin = '') =>
  loadResources(inputs, { cwd: dir, namespace, namespaceFromFlag, readStdin: async () => stdin });

describe('apply order', () => {
  it('is Service, MeshConfig, TrafficPolicy, HTTPRoute, AuthorizationPolicy, Rollout', () => {
    expect(APPLY_ORDER).toEqual(['Service', 'MeshConfig', 'TrafficPolicy', 'HTTPRoute', 'AuthorizationPolicy', 'Rollout']);
  });

  it('sorts by kind and keeps the file order within a kind', () => {
    const items: Array<{ kind: ResourceKind; id: number }> = [
      { kind: 'Rollout', id: 1 },
      { kind: 'HTTPRoute', id: 2 },
      { kind: 'Service', id: 3 },
      { kind: 'AuthorizationPolicy', id: 4 },
      { kind: 'HTTPRoute', id: 5 },
      { kind: 'MeshConfig', id: 6 },
      { kind: 'Service', id: 7 },
      { kind: 'TrafficPolicy', id: 8 },
    ];
    expect(sortForApply(items).map((i) => i.id)).toEqual([3, 7, 6, 8, 2, 5, 4, 1]);
  });
});

describe('kinds and addresses', () => {
  it('accepts kinds, plurals, singulars and short names in any case', () => {
    for (const name of ['HTTPRoute', 'httproutes', 'httproute', 'route', 'ROUTES']) expect(kindArg(name)).toBe('HTTPRoute');
    expect(kindArg('svc')).toBe('Service');
    expect(kindArg('tp')).toBe('TrafficPolicy');
    expect(kindArg('mc')).toBe('MeshConfig');
  });

  it('an unknown kind is a usage error listing the names', () => {
    try {
      kindArg('gizmo');
      expect.unreachable();
    } catch (e) {
      expect((e as CliError).exitCode).toBe(ExitCode.USAGE);
      expect((e as CliError).hint).toContain('httproute (httproutes, route, routes)');
    }
  });

  it('references and REST paths; cluster-scoped kinds under /cluster', () => {
    expect(refOf({ kind: 'HTTPRoute', namespace: 'shop', name: 'checkout' })).toBe('httproute.weft.dev/shop/checkout');
    expect(refOf({ kind: 'MeshConfig', namespace: null, name: 'default' })).toBe('meshconfig.weft.dev/default');
    expect(resourcePath('HTTPRoute', 'shop', 'checkout')).toBe('/namespaces/shop/httproutes/checkout');
    expect(resourcePath('Service', 'shop', 'a b', '/history')).toBe('/namespaces/shop/services/a%20b/history');
    expect(resourcePath('TrafficPolicy', 'shop')).toBe('/namespaces/shop/trafficpolicies');
    expect(resourcePath('MeshConfig', null, 'default')).toBe('/cluster/meshconfigs/default');
    expect(() => resourcePath('Service', null, 'x')).toThrow(/-n NAMESPACE/);
  });
});

describe('collectFiles', () => {
  it('walks directories recursively: *.yaml, *.yml, *.json only, sorted, hidden entries skipped', async () => {
    const dir = await tree({
      'b.yaml': '',
      'a.yml': '',
      'sub/z.json': '',
      'sub/deeper/c.yaml': '',
      'notes.txt': '',
      '.hidden.yaml': '',
      '.git/config.yaml': '',
      'README.md': '',
    });
    expect(await collectFiles(['.'], dir)).toEqual(['a.yml', 'b.yaml', 'sub/deeper/c.yaml', 'sub/z.json']);
    // A file named explicitly is read whatever its extension.
    expect(await collectFiles(['notes.txt', 'sub'], dir)).toEqual(['notes.txt', 'sub/deeper/c.yaml', 'sub/z.json']);
  });

  it('missing paths, empty directories and two stdins are usage errors', async () => {
    const dir = await tree({ 'empty/.keep': '' });
    for (const inputs of [['nope.yaml'], ['empty'], ['-', '-'], []]) {
      const err = (await collectFiles(inputs, dir).catch((e: unknown) => e)) as CliError;
      expect(err.exitCode, inputs.join(' ')).toBe(ExitCode.USAGE);
    }
  });
});

describe('loadResources', () => {
  it('reads multi-document YAML and JSON, filling in the namespace', async () => {
    const json = JSON.stringify({ apiVersion: 'weft.dev/v1alpha1', kind: 'Service', metadata: { name: 'cart' }, spec: { ports: [{ name: 'http', port: 80 }] } });
    const dir = await tree({ 'mesh/a.yaml': `${service('checkout')}---\n${route('checkout')}---\n# only a comment\n`, 'mesh/b.json': json, 'mesh/c.yaml': mesh });
    const { resources, errors } = await load(dir, ['mesh'], 'shop');
    expect(errors).toEqual([]);
    expect(resources.map((r) => [refOf(r.address), r.file, r.line])).toEqual([
      ['service.weft.dev/shop/checkout', 'mesh/a.yaml', 1],
      ['httproute.weft.dev/shop/checkout', 'mesh/a.yaml', 10],
      ['service.weft.dev/shop/cart', 'mesh/b.json', 1],
      // Cluster-scoped: a namespace in the document is dropped.
      ['meshconfig.weft.dev/default', 'mesh/c.yaml', 1],
    ]);
    // Lines of fields, dotted or bracketed.
    expect(resources[1]!.lineOf('spec.rules[0].backendRefs[0].name')).toBe(20);
    expect(resources[1]!.lineOf('spec.rules.0.backendRefs.0.name')).toBe(20);
    // A field that is not there: its nearest ancestor.
    expect(resources[1]!.lineOf('spec.rules[0].timeouts.request')).toBe(19);
  });

  it('reports every problem of every file with file:line and the field, and returns nothing to apply from a bad file', async () => {
    const bad = route('r').replace('  rules:\n', '  rules:\n    - matchs: []\n');
    const dir = await tree({ 'a.yaml': bad, 'b.yaml': 'kind: Servise\napiVersion: weft.dev/v1alpha1\nmetadata: {name: x}\nspec: {}\n', 'c.yaml': service('fine') });
    const { resources, errors } = await load(dir, ['.'], 'shop');
    expect(errors).toEqual([
      'a.yaml:10: spec.rules.0.backendRefs: required',
      "a.yaml:10: spec.rules.0.matchs: unknown field; did you mean 'matches'?",
      "b.yaml:1: kind: unknown kind 'Servise'; did you mean Service?",
    ]);
    expect(resources.map((r) => r.address.name)).toEqual(['fine']);
  });

  it('a document without a namespace and no -n: metadata.namespace required', async () => {
    const dir = await tree({ 'a.yaml': service('checkout') });
    const { errors } = await load(dir, ['a.yaml'], undefined);
    expect(errors).toEqual(['a.yaml:3: metadata.namespace: required: write it in the document, or pass -n NAMESPACE']);
  });

  it('-n on the command line must match a namespace written in the document', async () => {
    const dir = await tree({ 'a.yaml': service('checkout', 'other') });
    expect((await load(dir, ['a.yaml'], 'shop', true)).errors).toEqual(["a.yaml:5: metadata.namespace: 'other' does not match -n shop"]);
    // A default namespace (config, WEFT_NAMESPACE) only fills in.
    expect((await load(dir, ['a.yaml'], 'shop', false)).resources[0]!.address.namespace).toBe('other');
  });

  it('the same resource in two files is an error naming both places', async () => {
    const dir = await tree({ 'a.yaml': service('checkout'), 'b.yaml': `${service('cart')}---\n${service('checkout')}` });
    expect((await load(dir, ['.'], 'shop')).errors).toEqual(['b.yaml:13: service.weft.dev/shop/checkout is also defined at a.yaml:1']);
  });

  it('reads standard input for -', async () => {
    const { resources } = await load('/', ['-'], 'shop', false, service('from-stdin'));
    expect(resources.map((r) => [r.file, r.address.name])).toEqual([['<stdin>', 'from-stdin']]);
  });

  it('issue paths: brackets become dots', () => {
    expect(toDottedPath('spec.rules[0].backendRefs[12].name')).toBe('spec.rules.0.backendRefs.12.name');
    expect(toDottedPath('spec.rules.0')).toBe('spec.rules.0');
  });
});
