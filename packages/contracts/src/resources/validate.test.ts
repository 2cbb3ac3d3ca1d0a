import { describe, expect, it } from 'vitest';
import { MAX_DOCUMENT_BYTES } from './common.ts';
import { KIND_NAMES, KINDS, resolveKind, ResourceSchema } from './kinds.ts';
import { doc, EXAMPLE_NAMES, example, issueLines } from './testing.ts';
import { utf8ByteLength, validateResource } from './validate.ts';

const service = () => doc('Service', { ports: [{ name: 'http', port: 80 }] }, 'payments');

describe('validateResource', () => {
  it('returns a typed copy of a valid document', () => {
    const input = service();
    const result = validateResource(input);
    expect(result.ok).toBe(true);
    if (!result.ok || result.resource.kind !== 'Service') throw new Error('expected a Service');
    expect(result.resource.spec.ports[0]?.port).toBe(80);
    expect(result.resource).toEqual(input);
    expect(result.resource).not.toBe(input);
  });

  it('refuses what is not an object', () => {
    for (const value of [null, 1, 'kind: Service', [], true, undefined]) {
      expect(issueLines(value)[0]).toMatch(/^: must be an object with apiVersion, kind, metadata and spec; got /);
    }
  });

  it('gives one clear issue for an unknown kind, with a suggestion', () => {
    expect(issueLines({ ...service(), kind: 'HTTPRoutes' })).toEqual(["kind: unknown kind 'HTTPRoutes'; did you mean HTTPRoute?"]);
    expect(issueLines({ ...service(), kind: 'httproute' })).toEqual(["kind: unknown kind 'httproute'; did you mean HTTPRoute?"]);
    expect(issueLines({ ...service(), kind: 'tp' })).toEqual(["kind: unknown kind 'tp'; did you mean TrafficPolicy?"]);
    expect(issueLines({ ...service(), kind: 'AuthorisationPolicy' })).toEqual(["kind: unknown kind 'AuthorisationPolicy'; did you mean AuthorizationPolicy?"]);
    expect(issueLines({ ...service(), kind: 'Deployment' })).toEqual([
      "kind: unknown kind 'Deployment'; one of: Service, HTTPRoute, TrafficPolicy, AuthorizationPolicy, MeshConfig, Rollout",
    ]);
    expect(issueLines({ ...service(), kind: undefined })).toEqual(['kind: required; one of: Service, HTTPRoute, TrafficPolicy, AuthorizationPolicy, MeshConfig, Rollout']);
    expect(issueLines({ ...service(), kind: 7 })[0]).toMatch(/^kind: must be a string, one of: .*; got 7$/);
  });

  it('gives one clear issue for a wrong apiVersion', () => {
    expect(issueLines({ ...service(), apiVersion: 'weft.dev/v1' })).toEqual(["apiVersion: must be weft.dev/v1alpha1, got 'weft.dev/v1'"]);
    expect(issueLines({ ...service(), apiVersion: undefined })).toEqual(['apiVersion: required; use weft.dev/v1alpha1']);
    expect(issueLines({ ...service(), apiVersion: 'v1', kind: 'Svc' })).toEqual(["apiVersion: must be weft.dev/v1alpha1, got 'v1'", "kind: unknown kind 'Svc'; did you mean Service?"]);
  });

  it('fills the namespace from defaultNamespace, never overriding one that is set', () => {
    const noNamespace = { ...service(), metadata: { name: 'payments' } };
    expect(issueLines(noNamespace)).toEqual(['metadata.namespace: required']);
    const result = validateResource(noNamespace, { defaultNamespace: 'shop' });
    expect(result.ok && result.resource.metadata).toEqual({ name: 'payments', namespace: 'shop' });
    const elsewhere = validateResource(service(), { defaultNamespace: 'other' });
    expect(elsewhere.ok && 'namespace' in elsewhere.resource.metadata && elsewhere.resource.metadata.namespace).toBe('shop');
    expect(noNamespace.metadata).toEqual({ name: 'payments' });
  });

  it('checks metadata: names, labels, annotations, server-set fields, unknown fields', () => {
    const d = service();
    d['metadata'] = {
      name: 'payments',
      namespace: 'Shop',
      labels: { 'app.kubernetes.io/name': 'payments', version: 'v 1', 'bad key!': 'x' },
      annotations: { 'weft.dev/owner': 'payments team, #payments on chat' },
      resourceVersion: '',
      generation: -1,
      creationTimestamp: '2026-11-25',
      uid: 'c0ffee',
      owner: 'team-payments',
    };
    expect(issueLines(d)).toEqual([
      'metadata.namespace: must be lower-case letters, digits and -, starting and ending with a letter or digit',
      'metadata.labels.version: must be letters, digits, -, _ and ., starting and ending with a letter or digit (or empty)',
      "metadata.labels[\"bad key!\"]: invalid key: 'bad key!': must be at most 63 letters, digits, -, _ and ., starting and ending with a letter or digit (optionally after a DNS prefix and /)",
      'metadata.resourceVersion: must not be empty',
      'metadata.generation: must be at least 0',
      'metadata.creationTimestamp: must be an RFC 3339 date-time in UTC, like 2026-01-31T12:00:00Z',
      'metadata.owner: unknown field',
    ]);
  });

  it('accepts the server-set metadata of a document read back from the API', () => {
    const d = service();
    d['metadata'] = { name: 'payments', namespace: 'shop', resourceVersion: '7f3a', uid: '4c1d6a7e-2f5b-4c8e-9a1d-0b7e6f5a4c3d', generation: 3, creationTimestamp: '2026-11-25T10:00:00Z' };
    expect(issueLines(d)).toEqual([]);
  });

  it('caps labels and annotations', () => {
    const d = service();
    const labels = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`l${i}`, 'x']));
    d['metadata'] = { name: 'payments', namespace: 'shop', labels, annotations: { big: 'x'.repeat(70_000) } };
    expect(issueLines(d)).toEqual(['metadata.labels: must have at most 64 labels, got 65', 'metadata.annotations: must total at most 65536 characters (keys and values), got 70003']);
  });

  it('refuses oversized documents before looking inside', () => {
    const d = service();
    d['metadata'] = { name: 'payments', namespace: 'shop', annotations: { big: 'é'.repeat(MAX_DOCUMENT_BYTES / 2) } };
    expect(issueLines(d)).toEqual([expect.stringMatching(/^: is too large: \d+ bytes as JSON; at most 262144$/)]);
  });

  it('refuses values that are not JSON data, without throwing', () => {
    const cyclic: Record<string, unknown> = service();
    cyclic['spec'] = cyclic;
    expect(issueLines(cyclic)).toEqual([': must be plain JSON data (no cycles, no big integers)']);
    expect(issueLines({ ...service(), spec: { ports: [{ name: 'http', port: 10n }] } })).toEqual([': must be plain JSON data (no cycles, no big integers)']);
    expect(issueLines(new Date())[0]).toMatch(/must be an object/);
  });

  it('validates every example', () => {
    for (const name of EXAMPLE_NAMES) expect(issueLines(example(name)), name).toEqual([]);
  });
});

describe('ResourceSchema and KINDS', () => {
  it('discriminates on kind', () => {
    for (const name of EXAMPLE_NAMES) {
      const parsed = ResourceSchema.parse(example(name));
      expect(KIND_NAMES).toContain(parsed.kind);
    }
    expect(ResourceSchema.safeParse({ ...service(), kind: 'Nope' }).success).toBe(false);
  });

  it('describes every kind for REST paths and the CLI', () => {
    expect(KIND_NAMES).toEqual(['Service', 'HTTPRoute', 'TrafficPolicy', 'AuthorizationPolicy', 'MeshConfig', 'Rollout']);
    expect(KINDS.HTTPRoute.plural).toBe('httproutes');
    expect(KINDS.MeshConfig.namespaced).toBe(false);
    const names = Object.values(KINDS).flatMap((k) => [k.plural, k.singular, ...k.shortNames]);
    expect(new Set(names).size).toBe(names.length);
    for (const info of Object.values(KINDS)) {
      expect(info.plural).toMatch(/^[a-z]+$/);
      expect(resolveKind(info.plural)).toBe(info.kind);
      expect(resolveKind(info.kind.toUpperCase())).toBe(info.kind);
      for (const short of info.shortNames) expect(resolveKind(short)).toBe(info.kind);
    }
    expect(resolveKind('route')).toBe('HTTPRoute');
    expect(resolveKind('authz')).toBe('AuthorizationPolicy');
    expect(resolveKind('pods')).toBeUndefined();
  });
});

describe('utf8ByteLength', () => {
  it('counts UTF-8 bytes', () => {
    for (const s of ['', 'abc', 'é', '€', '😀', 'a\ud800b', 'x😀é€']) expect(utf8ByteLength(s)).toBe(new TextEncoder().encode(s).length);
  });
});
