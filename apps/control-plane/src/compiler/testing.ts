/**
 * Test helpers: load a golden case (validating its resources as the API would), render the
 * compiler's output the way the .expected.json files hold it, and build synthetic meshes of any
 * size (for grouping and incremental tests, and for timing).
 */
import { readFileSync } from 'node:fs';
import { validateResource, type Resource } from '@weft/contracts/resources';
import { compile } from './compile.ts';
import type { CompilerInput, InventoryEndpoint } from './types.ts';

export const TESTDATA = new URL('./testdata/', import.meta.url);

/** Validates documents as the API would; throws on the first invalid one. */
export function validated(docs: unknown[], what = 'resources'): Resource[] {
  return docs.map((doc, i) => {
    const result = validateResource(doc);
    if (!result.ok) throw new Error(`${what}[${i}] is invalid: ${JSON.stringify(result.issues)}`);
    return result.resource;
  });
}

export function loadCase(name: string): CompilerInput {
  const raw = JSON.parse(readFileSync(new URL(`${name}.json`, TESTDATA), 'utf8')) as { resources: unknown[]; inventory: CompilerInput['inventory'] };
  return { resources: validated(raw.resources, `${name}.json resources`), inventory: raw.inventory };
}

export function render(input: CompilerInput): string {
  const { snapshots, diagnostics } = compile(input);
  return `${JSON.stringify({ snapshots: Object.fromEntries(snapshots), diagnostics }, null, 2)}\n`;
}

export interface SyntheticMeshOptions {
  /** Services `svc-0`… in namespace `mesh`, each with a Service (port 8080, versions v1…) and an HTTPRoute splitting its versions. */
  services: number;
  versions: number;
  endpointsPerVersion: number;
  /** Each instance of `svc-i` depends on `svc-(i+1)`… `svc-(i+n)` (mod services); `undefined`: declares nothing. */
  dependencies?: number;
}

/** The proxy id of the `n`th endpoint of a version of a synthetic service. */
export const syntheticProxyId = (service: number, version: number, n: number): string => `svc-${service}-v${version + 1}-${n}`;

/** A synthetic mesh: services × versions × endpoints, with one split route per service. */
export function syntheticMesh(opts: SyntheticMeshOptions): CompilerInput {
  const ns = 'mesh';
  const names = Array.from({ length: opts.services }, (_, i) => `svc-${i}`);
  const versions = Array.from({ length: opts.versions }, (_, v) => `v${v + 1}`);
  const docs: unknown[] = [];
  for (const name of names) {
    docs.push({
      apiVersion: 'weft.dev/v1alpha1',
      kind: 'Service',
      metadata: { name, namespace: ns },
      spec: { ports: [{ name: 'http', port: 8080 }], versions: versions.map((v) => ({ name: v, labels: { version: v } })) },
    });
    docs.push({
      apiVersion: 'weft.dev/v1alpha1',
      kind: 'HTTPRoute',
      metadata: { name, namespace: ns },
      spec: { parentRefs: [{ kind: 'Service', name }], rules: [{ name: 'split', backendRefs: versions.map((v, i) => ({ name, subset: v, weight: i === 0 ? 90 : 10 })) }] },
    });
  }
  const endpoints: InventoryEndpoint[] = [];
  names.forEach((name, s) => {
    const dependencies =
      opts.dependencies === undefined ? undefined : Array.from({ length: opts.dependencies }, (_, d) => ({ service: names[(s + d + 1) % names.length] ?? name, namespace: ns }));
    versions.forEach((version, v) => {
      for (let n = 0; n < opts.endpointsPerVersion; n++) {
        const i = endpoints.length;
        endpoints.push({
          proxyId: syntheticProxyId(s, v, n),
          service: name,
          namespace: ns,
          version,
          address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
          inboundPort: 15006,
          ...(dependencies === undefined ? {} : { dependencies }),
        });
      }
    });
  });
  return { resources: validated(docs, 'synthetic resources'), inventory: { endpoints } };
}
