import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { editDistance, formatPath, parsePath, resourceErrorMap, strictObject, suggest, toFieldIssues } from './issues.ts';

describe('formatPath and parsePath', () => {
  it.each([
    [[], ''],
    [['spec', 'rules', 0, 'backendRefs', 1, 'weight'], 'spec.rules.0.backendRefs.1.weight'],
    [['metadata', 'labels', 'app.kubernetes.io/name'], 'metadata.labels["app.kubernetes.io/name"]'],
    [['metadata', 'annotations', 'a"b'], 'metadata.annotations["a\\"b"]'],
    [['x', '', 'y'], 'x[""].y'],
    [[0, 'a'], '0.a'],
  ])('%j ⇄ %s', (segments, path) => {
    expect(formatPath(segments)).toBe(path);
    expect(parsePath(path)).toEqual(segments);
  });

  it('returns undefined for malformed paths', () => {
    expect(parsePath('a..b')).toBeUndefined();
    expect(parsePath('a.')).toBeUndefined();
    expect(parsePath('a["b')).toBeUndefined();
  });
});

describe('suggest', () => {
  it('finds plausible typos', () => {
    expect(suggest('matchs', ['matches', 'filters', 'backendRefs'])).toBe('matches');
    expect(suggest('wieght', ['weight', 'name'])).toBe('weight');
    expect(suggest('HTTPRoutes', ['Service', 'HTTPRoute'])).toBe('HTTPRoute');
    expect(suggest('pathprefix', ['Exact', 'PathPrefix'])).toBe('PathPrefix');
    expect(suggest('backendRef', ['backendRefs'])).toBe('backendRefs');
  });

  it('stays quiet when nothing is close', () => {
    expect(suggest('colour', ['weight', 'name'])).toBeUndefined();
    expect(suggest('x', ['y'])).toBe('y');
    expect(suggest('', ['a'])).toBeUndefined();
  });

  it('counts a transposition as one edit', () => {
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('strictObject and toFieldIssues', () => {
  const schema = strictObject({ name: z.string(), weight: z.number().int().max(10).optional() });
  const issues = (value: unknown) => toFieldIssues(schema.safeParse(value, { error: resourceErrorMap }).error?.issues ?? [], ['spec']);

  it('reports each unknown field at its own path, with a suggestion', () => {
    expect(issues({ name: 'a', wieght: 1, colour: 'red' })).toEqual([
      { path: 'spec.wieght', message: "unknown field; did you mean 'weight'?" },
      { path: 'spec.colour', message: 'unknown field' },
    ]);
  });

  it('words type and range errors for YAML authors', () => {
    expect(issues({ weight: 11 })).toEqual([
      { path: 'spec.name', message: 'required' },
      { path: 'spec.weight', message: 'must be at most 10' },
    ]);
    expect(issues({ name: 5, weight: 1.5 })).toEqual([
      { path: 'spec.name', message: 'must be a string, got 5' },
      { path: 'spec.weight', message: 'must be an integer, got 1.5' },
    ]);
    expect(issues('x')).toEqual([{ path: 'spec', message: "must be an object (a mapping of fields), got 'x'" }]);
  });

  it('hints at YAML 1.1 booleans', () => {
    const flag = strictObject({ on: z.boolean() });
    const result = flag.safeParse({ on: 'yes' }, { error: resourceErrorMap });
    expect(toFieldIssues(result.error?.issues ?? [])).toEqual([{ path: 'on', message: "must be true or false, got 'yes' (write true or false without quotes)" }]);
  });
});
