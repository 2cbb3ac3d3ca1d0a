import { describe, expect, it } from 'vitest';
import type { StoredResource } from '@weft/contracts/resources';
import { editableYaml, findingsOf, parsePolicyText, portableYaml, withResourceVersion } from './policy-text';

const stored: StoredResource = {
  apiVersion: 'weft.dev/v1alpha1',
  kind: 'TrafficPolicy',
  metadata: { name: 'payments', namespace: 'shop', labels: { team: 'shop' }, resourceVersion: '42', uid: 'u-1', generation: 3, creationTimestamp: '2026-11-26T10:00:00.000Z' },
  spec: { targetRef: { kind: 'Service', name: 'payments' }, retries: { attempts: 2 } },
};

describe('editableYaml', () => {
  it('keeps what can be applied again, with the resourceVersion, and drops server-only metadata', () => {
    const text = editableYaml(stored);
    expect(text).toContain('resourceVersion: "42"');
    expect(text).not.toContain('uid');
    expect(text).not.toContain('generation');
    const parsed = parsePolicyText(text);
    expect(parsed).toMatchObject({ ok: true, kind: 'TrafficPolicy', name: 'payments', namespace: 'shop', resourceVersion: '42' });
  });

  it('has a portable twin without the resourceVersion', () => {
    expect(portableYaml(stored)).not.toContain('resourceVersion');
    expect(portableYaml(stored)).toContain('attempts: 2');
  });
});

describe('parsePolicyText', () => {
  it('says where the YAML is broken', () => {
    const parsed = parsePolicyText('kind: TrafficPolicy\nspec:\n  retries: [\n');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/^Line \d+/);
  });

  it('takes one document only', () => {
    expect(parsePolicyText('kind: A\n---\nkind: B\n')).toMatchObject({ ok: false, message: expect.stringContaining('2 documents') });
    expect(parsePolicyText('')).toMatchObject({ ok: false, message: expect.stringContaining('empty') });
  });

  it('reads an unknown kind as null, not as an error (the API names it)', () => {
    expect(parsePolicyText('kind: Nope\nmetadata: {name: x}\n')).toMatchObject({ ok: true, kind: null, name: 'x' });
  });
});

describe('withResourceVersion', () => {
  it('sets the version and keeps comments', () => {
    const text = withResourceVersion('# mine\nkind: TrafficPolicy\nmetadata:\n  name: a\n  resourceVersion: "1"\nspec: {}\n', '7');
    expect(text).toContain('# mine');
    expect(parsePolicyText(text)).toMatchObject({ ok: true, resourceVersion: '7' });
  });
});

describe('findingsOf', () => {
  it('places issues of a refused dry run and diagnostics of an accepted one at their lines', () => {
    const parsed = parsePolicyText(editableYaml(stored));
    if (!parsed.ok) throw new Error(parsed.message);
    const findings = findingsOf(
      { issues: [{ path: 'spec.retries.attempts', message: 'must be at most 10' }, { path: 'window', message: 'not the editor’s' }], diagnostics: [{ severity: 'warning', code: 'NoEndpoints', path: 'spec.targetRef', message: 'no endpoints' }] },
      parsed.lineOf,
    );
    expect(findings).toEqual([
      { severity: 'error', path: 'spec.retries.attempts', line: 14, message: 'must be at most 10' },
      { severity: 'warning', path: 'spec.targetRef', line: 10, message: 'no endpoints', code: 'NoEndpoints' },
    ]);
  });
});
