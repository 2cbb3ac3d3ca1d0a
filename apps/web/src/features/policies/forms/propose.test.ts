import { describe, expect, it } from 'vitest';
import { propose } from './propose';

const POLICY = `apiVersion: weft.dev/v1alpha1
kind: AuthorizationPolicy
metadata:
  name: p
  namespace: shop
spec:
  action: DENY
  rules:
    - to:
        - paths: [/admin]
`;

describe('propose', () => {
  it('passes an edit that keeps the document valid', () => {
    // A new key goes at the end of its mapping.
    expect(propose(POLICY, [{ path: ['spec', 'mode'], value: 'audit' }])).toEqual({ ok: true, text: `${POLICY}  mode: audit\n` });
  });

  it('names the first issue an edit introduces', () => {
    expect(propose(POLICY, [{ path: ['spec', 'mode'], value: 'dry-run' }])).toEqual({
      ok: false,
      problem: expect.stringMatching(/^spec\.mode: /),
    });
  });

  it('does not blame the edit for issues the text already had', () => {
    const unfinished = POLICY.replace('  namespace: shop\n', '').replace('paths: [/admin]', 'paths: [admin]');
    const result = propose(unfinished, [{ path: ['spec', 'mode'], value: 'audit' }]);
    expect(result).toMatchObject({ ok: true, text: expect.stringContaining('mode: audit') });
  });

  it('refuses to edit text that does not parse', () => {
    expect(propose('spec: [\n', [{ path: ['spec', 'mode'], value: 'audit' }])).toEqual({ ok: false, problem: 'Fix the YAML to use the form.' });
  });
});
