import { describe, expect, it } from 'vitest';
import { endpoint, findings, mesh, messageOf, route, service } from './testing.ts';

const api = service('api', { versions: ['v1', 'v2', 'v3'] });
const running = [endpoint('api', 'v1'), endpoint('api', 'v2'), endpoint('api', 'v3')];
const split = (...weights: (number | undefined)[]) =>
  mesh(
    [
      api,
      route('r', {
        parentRefs: [{ kind: 'Service', name: 'api' }],
        rules: [{ backendRefs: weights.map((weight, i) => ({ name: 'api', subset: `v${i + 1}`, ...(weight === undefined ? {} : { weight }) })) }],
      }),
    ],
    running,
  );
const codes = ['WeightsNotHundred', 'ZeroWeight'];

describe('backend weights', () => {
  it('accepts weights that sum to 100', () => {
    expect(findings(split(95, 5), codes)).toEqual([]);
    expect(findings(split(50, 25, 25), codes)).toEqual([]);
    expect(findings(split(100, 0), codes)).toEqual([]);
  });

  it('warns when explicit weights do not sum to 100, saying the split they give', () => {
    expect(findings(split(90, 20), codes)).toEqual(['warning WeightsNotHundred HTTPRoute shop/r spec.rules[0].backendRefs']);
    expect(messageOf(split(90, 20), 'WeightsNotHundred')).toBe(
      'weights sum to 110, not 100; weights are relative, so requests split api/v1 81.8%, api/v2 18.2%. Make them sum to 100 if you meant percentages',
    );
  });

  it('counts a backend without weight as weight 1', () => {
    expect(messageOf(split(19, undefined), 'WeightsNotHundred')).toContain('api/v1 95%, api/v2 5%');
  });

  it('does not warn about one backend, or weights all left out (an even split)', () => {
    expect(findings(split(50), codes)).toEqual([]);
    expect(findings(split(undefined, undefined, undefined), codes)).toEqual([]);
  });

  it('reports a rule whose weights are all 0 as an error', () => {
    expect(findings(split(0, 0), codes)).toEqual(['error ZeroWeight HTTPRoute shop/r spec.rules[0].backendRefs']);
    expect(findings(split(0), codes)).toEqual(['error ZeroWeight HTTPRoute shop/r spec.rules[0].backendRefs']);
  });
});
