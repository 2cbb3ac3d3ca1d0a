import { describe, expect, it } from 'vitest';
import { MESH_CONFIG_DEFAULTS, MeshConfigSchema } from './mesh-config.ts';
import { example, issueLines } from './testing.ts';

const mesh = (spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'default' }) => ({
  apiVersion: 'weft.dev/v1alpha1',
  kind: 'MeshConfig',
  metadata,
  spec,
});

describe('MeshConfig', () => {
  it('accepts the example and an empty spec (all defaults)', () => {
    expect(issueLines(example('mesh-config'))).toEqual([]);
    expect(issueLines(mesh({}))).toEqual([]);
    expect(issueLines(mesh({ ...MESH_CONFIG_DEFAULTS, egress: { allowedHosts: [] } }))).toEqual([]);
  });

  it('is a singleton named default', () => {
    expect(issueLines(mesh({}, { name: 'prod' }))).toEqual(["metadata.name: must be 'default': there is one MeshConfig"]);
    expect(issueLines(mesh({}, {}))).toEqual(['metadata.name: required']);
  });

  it('is cluster-scoped: validateResource drops a namespace, the schema has none', () => {
    const withNamespace = mesh({}, { name: 'default', namespace: 'shop' });
    expect(issueLines(withNamespace)).toEqual([]);
    expect(MeshConfigSchema.safeParse(withNamespace).success).toBe(false);
  });

  it('checks the trust domain, modes and telemetry bounds', () => {
    const spec = {
      trustDomain: 'spiffe://Weft.Local',
      mtls: { mode: 'strict' },
      defaultAuthorization: 'ALLOW',
      telemetry: { samplingPercent: 101, flushInterval: '500ms' },
      egress: { allowedHosts: ['https://api.stripe.com', 'api.stripe.com', 'api.stripe.com'] },
    };
    expect(issueLines(mesh(spec))).toEqual([
      'spec.trustDomain: must be lower-case letters, digits, -, _ and dots (like weft.local), without scheme or path',
      'spec.mtls.mode: must be one of: STRICT, PERMISSIVE; did you mean STRICT?',
      'spec.defaultAuthorization: must be one of: allow, deny; did you mean allow?',
      'spec.telemetry.samplingPercent: must be at most 100',
      'spec.telemetry.flushInterval: must be at least 1s',
      'spec.egress.allowedHosts.0: must be a lower-case hostname, optionally starting with *. (like api.example.com or *.example.com), without port or scheme',
      'spec.egress.allowedHosts.2: duplicate host: same as item 1',
    ]);
  });

  it('names typos', () => {
    expect(issueLines(mesh({ mTLS: { mode: 'STRICT' }, telemetry: { sampling: 5 } }))).toEqual([
      "spec.telemetry.sampling: unknown field; did you mean 'samplingPercent'?",
      "spec.mTLS: unknown field; did you mean 'mtls'?",
    ]);
  });
});
