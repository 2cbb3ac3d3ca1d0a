import { validateResource } from '@weft/contracts/resources';
import { describe, expect, it } from 'vitest';
import { addVersionEdits, backendLabel, httpRouteValues, removeBackendEdits, ruleTimeoutEdits, splitEdits, versionsToAdd } from './http-route-model';
import { propose } from './propose';
import { applyEdits, readDocument } from './yaml-edits';

const ROUTE = `# 95% of recommendations traffic to v1, 5% to v2; testers always get v2.
apiVersion: weft.dev/v1alpha1
kind: HTTPRoute
metadata:
  name: recommendations-split
  namespace: shop
spec:
  parentRefs:
    - kind: Service
      name: recommendations
      port: 80
  rules:
    - name: testers
      matches:
        - headers:
            - name: x-weft-tester
              value: "true"
      backendRefs:
        - name: recommendations
          subset: v2
    - name: split
      backendRefs:
        - name: recommendations
          subset: v1
          weight: 95   # stable
        - name: recommendations
          subset: v2
          weight: 5    # canary
      timeouts:
        request: 2s
        backendRequest: 500ms
`;

function read(text: string): unknown {
  const result = readDocument(text);
  if (!result.ok) throw new Error(result.message);
  return result.document;
}

/** The text is a valid HTTPRoute; its document. */
function valid(text: string): unknown {
  const document = read(text);
  expect(validateResource(document)).toMatchObject({ ok: true });
  return document;
}

const percents = (text: string, rule: number) => httpRouteValues(read(text), rule).backends.map((b) => b.percent);

describe('httpRouteValues', () => {
  it('reads the chosen rule: its backends with their shares, its timeouts', () => {
    const values = httpRouteValues(valid(ROUTE), 1);
    expect(values).toMatchObject({
      service: 'recommendations',
      rules: [{ index: 0, label: 'testers' }, { index: 1, label: 'split' }],
      rule: 1,
      timeouts: { request: '2s', backendRequest: '500ms' },
    });
    expect(values.backends).toEqual([
      { index: 0, name: 'recommendations', subset: 'v1', weight: 95, percent: 95 },
      { index: 1, name: 'recommendations', subset: 'v2', weight: 5, percent: 5 },
    ]);
    expect(values.backends.map((b) => backendLabel(values, b))).toEqual(['v1', 'v2']);
  });

  it('falls back to the first rule, and copes with a route without rules or with wrong types', () => {
    expect(httpRouteValues(read(ROUTE), 7)).toMatchObject({ rule: 0, backends: [{ subset: 'v2', weight: undefined, percent: 100 }] });
    expect(httpRouteValues({ kind: 'HTTPRoute' })).toMatchObject({ rule: -1, rules: [], backends: [], service: undefined });
    expect(httpRouteValues({ spec: { rules: [{ backendRefs: [{ name: 7, weight: 'x' }] }] } }).backends).toEqual([
      { index: 0, name: '', subset: undefined, weight: undefined, percent: 100 },
    ]);
  });

  it('shows 0 % for every backend when every weight is 0, and a slider then splits from there', () => {
    const zero = ROUTE.replace('weight: 95', 'weight: 0').replace('weight: 5 ', 'weight: 0 ');
    const values = httpRouteValues(read(zero), 1);
    expect(values.backends.map((b) => b.percent)).toEqual([0, 0]);
    expect(percents(applyEdits(zero, splitEdits(values, 0, 70)), 1)).toEqual([70, 30]);
  });

  it('names backends of another service with the service', () => {
    const values = httpRouteValues({ spec: { parentRefs: [{ name: 'a' }], rules: [{ backendRefs: [{ name: 'b', subset: 'v1' }, { name: 'a' }] }] } });
    expect(values.backends.map((b) => backendLabel(values, b))).toEqual(['b v1', 'all versions']);
  });
});

describe('splitEdits', () => {
  it('moves one of two versions and the other takes the complement; only weight lines change', () => {
    const next = applyEdits(ROUTE, splitEdits(httpRouteValues(read(ROUTE), 1), 0, 80));
    valid(next);
    expect(percents(next, 1)).toEqual([80, 20]);
    const changed = next.split('\n').filter((line, i) => line !== ROUTE.split('\n')[i]);
    // An edited line is the yaml library's: one space before its comment.
    expect(changed).toEqual(['          weight: 80 # stable', '          weight: 20 # canary']);
  });

  it('writes relative or default weights out as percentages', () => {
    const relative = ROUTE.replace('weight: 95', 'weight: 19').replace('weight: 5 ', 'weight: 1 ');
    expect(percents(relative, 1)).toEqual([95, 5]);
    const moved = applyEdits(relative, splitEdits(httpRouteValues(read(relative), 1), 1, 50));
    expect(httpRouteValues(valid(moved), 1).backends.map((b) => b.weight)).toEqual([50, 50]);

    const three = ROUTE.replace(/ {10}weight: .*\n/g, '').replace('          subset: v2\n      timeouts', '          subset: v2\n        - name: recommendations\n          subset: v3\n      timeouts');
    expect(percents(three, 1)).toEqual([34, 33, 33]);
    const next = applyEdits(three, splitEdits(httpRouteValues(read(three), 1), 2, 50));
    expect(httpRouteValues(valid(next), 1).backends.map((b) => b.weight)).toEqual([25, 25, 50]);
  });

  it('goes through propose: the result is a valid route', () => {
    const proposal = propose(ROUTE, splitEdits(httpRouteValues(read(ROUTE), 1), 1, 100));
    expect(proposal.ok).toBe(true);
    if (proposal.ok) expect(percents(proposal.text, 1)).toEqual([0, 100]);
  });
});

describe('adding and removing versions', () => {
  it('offers the versions the rule does not send to yet', () => {
    expect(versionsToAdd(httpRouteValues(read(ROUTE), 1), ['v1', 'v2', 'v3'])).toEqual(['v3']);
    expect(versionsToAdd(httpRouteValues(read(ROUTE), 0), ['v1', 'v2', 'v3'])).toEqual(['v1', 'v3']);
  });

  it('adds a version at 0 % without changing the split', () => {
    const next = applyEdits(ROUTE, addVersionEdits(httpRouteValues(read(ROUTE), 1), 'v3'));
    const values = httpRouteValues(valid(next), 1);
    expect(values.backends.map((b) => [b.subset, b.percent])).toEqual([['v1', 95], ['v2', 5], ['v3', 0]]);
    expect(next).toContain('# stable');
  });

  it('adds for a route whose rule has no backends yet, to the parent service', () => {
    const edits = addVersionEdits(httpRouteValues({ spec: { parentRefs: [{ name: 'payments' }], rules: [{ backendRefs: [] }] } }), 'v1');
    expect(edits).toEqual([{ path: ['spec', 'rules', 0, 'backendRefs', 0], value: { name: 'payments', subset: 'v1', weight: 0 } }]);
  });

  it('removes a version; the others take its share in proportion', () => {
    const next = applyEdits(ROUTE, removeBackendEdits(httpRouteValues(read(ROUTE), 1), 0));
    expect(httpRouteValues(valid(next), 1).backends).toEqual([{ index: 0, name: 'recommendations', subset: 'v2', weight: 100, percent: 100 }]);

    const three = applyEdits(ROUTE, [
      ...addVersionEdits(httpRouteValues(read(ROUTE), 1), 'v3'),
      { path: ['spec', 'rules', 1, 'backendRefs', 0, 'weight'], value: 50 },
      { path: ['spec', 'rules', 1, 'backendRefs', 1, 'weight'], value: 20 },
      { path: ['spec', 'rules', 1, 'backendRefs', 2, 'weight'], value: 30 },
    ]);
    const after = applyEdits(three, removeBackendEdits(httpRouteValues(read(three), 1), 1));
    expect(httpRouteValues(valid(after), 1).backends.map((b) => [b.subset, b.weight])).toEqual([['v1', 63], ['v3', 37]]);
  });

  it('never removes the last backend', () => {
    expect(removeBackendEdits(httpRouteValues(read(ROUTE), 0), 0)).toEqual([]);
  });
});

describe('ruleTimeoutEdits', () => {
  it('sets and clears the rule timeouts, keeping the route valid', () => {
    const values = httpRouteValues(read(ROUTE), 1);
    const set = applyEdits(ROUTE, ruleTimeoutEdits(values, 'request', ' 3s '));
    expect(httpRouteValues(valid(set), 1).timeouts).toEqual({ request: '3s', backendRequest: '500ms' });
    const cleared = applyEdits(ROUTE, [...ruleTimeoutEdits(values, 'request', ''), ...ruleTimeoutEdits(values, 'backendRequest', '')]);
    expect(cleared).not.toContain('timeouts');
    valid(cleared);
  });

  it('is refused by propose when it breaks a rule of the schema', () => {
    const values = httpRouteValues(read(ROUTE), 1);
    expect(propose(ROUTE, ruleTimeoutEdits(values, 'backendRequest', '5s'))).toEqual({
      ok: false,
      problem: 'spec.rules.1.timeouts.backendRequest: must not be longer than request (2s)',
    });
    expect(propose(ROUTE, ruleTimeoutEdits(values, 'request', '2 s'))).toMatchObject({ ok: false, problem: expect.stringContaining('must be a duration') });
  });
});
