import { describe, expect, it } from 'vitest';
import { importPlan } from './import-plan';

describe('importPlan', () => {
  it('orders Services before what names them, and fills in the namespace', () => {
    const text = 'kind: HTTPRoute\nmetadata: {name: r}\nspec: {}\n---\nkind: Service\nmetadata: {name: s, namespace: billing}\nspec: {}\n---\nkind: MeshConfig\nmetadata: {name: default}\nspec: {}\n';
    const plan = importPlan(text, 'shop');
    expect(plan).toEqual({
      ok: true,
      documents: [
        expect.objectContaining({ kind: 'Service', namespace: 'billing', name: 's' }),
        expect.objectContaining({ kind: 'HTTPRoute', namespace: 'shop', name: 'r' }),
        expect.objectContaining({ kind: 'MeshConfig', namespace: null, name: 'default' }),
      ],
    });
  });

  it('names every document that cannot be imported, with its line', () => {
    const plan = importPlan('kind: Nope\nmetadata: {name: a}\n---\nkind: TrafficPolicy\nmetadata: {}\n---\nkind: HTTPRoute\nmetadata: {name: x}\n', null);
    expect(plan).toEqual({
      ok: false,
      problems: [
        "Document 1 (line 1): kind: 'Nope' is not a resource kind; one of Service, HTTPRoute, TrafficPolicy, AuthorizationPolicy, MeshConfig, Rollout",
        'Document 2 (line 4): metadata.name: required',
        'Document 3 (line 7): metadata.namespace: required (or pick a namespace for documents without one)',
      ],
    });
  });

  it('says when there is nothing to import, and reports broken YAML', () => {
    expect(importPlan('', 'shop')).toMatchObject({ ok: false, problems: [expect.stringContaining('No documents')] });
    expect(importPlan('kind: [\n', 'shop')).toMatchObject({ ok: false, problems: [expect.stringMatching(/^Document 1, line \d+/)] });
  });
});
