/**
 * Documents must be storable as they validate: no NUL characters and no half surrogate pairs in
 * any key or string (PostgreSQL's jsonb refuses both; the API answered 500), and no nesting deeper
 * than MAX_NESTING_DEPTH whether the document came from YAML or JSON. Found by the control plane's
 * fuzz test (apps/control-plane/src/api/resources.fuzz.int.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { MAX_NESTING_DEPTH } from './common.ts';
import { parsePath } from './issues.ts';
import { parseResources } from './parse.ts';
import { doc, example, issueLines } from './testing.ts';
import { unstorableIssues, unstorableText, validateResource } from './validate.ts';

describe('unstorableText', () => {
  it.each([
    ['plain', undefined],
    ['', undefined],
    ['tab\tand é 🦀 👩‍👩‍👧', undefined],
    ['\ud83e\udd80', undefined],
    ['a\u0000b', 'must not contain NUL characters (\\u0000)'],
    ['\ud800', 'must be valid Unicode: half a surrogate pair (\\ud800) at character 0'],
    ['x\udfff', 'must be valid Unicode: half a surrogate pair (\\udfff) at character 1'],
    ['\ud83d\ud83d\ude00', 'must be valid Unicode: half a surrogate pair (\\ud83d) at character 0'],
  ])('%j → %s', (text, expected) => {
    expect(unstorableText(text)).toBe(expected);
  });
});

describe('validateResource refuses what cannot be stored, naming the field', () => {
  it('NUL in an annotation value, a label key, a spec string', () => {
    const service = example('service');
    service.metadata.annotations = { note: 'a\u0000b' };
    expect(issueLines(service)).toEqual(['metadata.annotations.note: must not contain NUL characters (\\u0000)']);

    const keyed = example('service');
    keyed.metadata.labels = { 'a\u0000': 'x' };
    expect(issueLines(keyed)).toEqual(['metadata.labels["a\\u0000"]: the key must not contain NUL characters (\\u0000)']);

    const route = example('http-route');
    route.spec.rules[0].name = 'x\u0000';
    expect(issueLines(route)).toEqual(['spec.rules.0.name: must not contain NUL characters (\\u0000)']);
  });

  it('half a surrogate pair, anywhere', () => {
    const service = example('service');
    service.metadata.annotations = { note: 'bad \ud800 text' };
    expect(issueLines(service)).toEqual(['metadata.annotations.note: must be valid Unicode: half a surrogate pair (\\ud800) at character 4']);
    expect(issueLines({ ...example('service'), kind: 'Serv\udfffice' })).toEqual(['kind: must be valid Unicode: half a surrogate pair (\\udfff) at character 4']);
  });

  it('every reported path parses back', () => {
    const service = example('service');
    service.metadata.annotations = { 'we\u0000ird': 'x', ok: '\u0000' };
    const result = validateResource(service);
    expect(result.ok).toBe(false);
    for (const issue of result.ok ? [] : result.issues) expect(parsePath(issue.path), issue.path).toBeDefined();
  });

  it('nesting deeper than MAX_NESTING_DEPTH in a JSON document, without exhausting the stack', () => {
    const deep = (depth: number): unknown => {
      let value: unknown = 0;
      for (let i = 0; i < depth; i++) value = [value];
      return value;
    };
    const atLimit = doc('Service', { ports: [{ name: 'http', port: 80 }], extra: deep(MAX_NESTING_DEPTH - 2) });
    expect(issueLines(atLimit)).toEqual(['spec.extra: unknown field']);
    const tooDeep = doc('Service', { ports: [{ name: 'http', port: 80 }], extra: deep(100_000) });
    const lines = issueLines(tooDeep);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^spec\\.extra(\\.0)+: nested too deeply \\(more than ${MAX_NESTING_DEPTH} levels\\)$`));
  });

  it('a YAML document with escapes that make NUL or half a surrogate gets the line of the field', () => {
    const text = 'apiVersion: weft.dev/v1alpha1\nkind: Service\nmetadata:\n  name: x\n  namespace: shop\n  annotations:\n    note: "a\\0b"\nspec:\n  ports: [{name: http, port: 80}]\n';
    expect(parseResources(text).errors).toEqual([
      { document: 0, path: 'metadata.annotations.note', message: 'must not contain NUL characters (\\u0000)', line: 7 },
    ]);
    const surrogate = text.replace('"a\\0b"', '"\\ud800"');
    expect(parseResources(surrogate).errors.map((e) => e.path)).toEqual(['metadata.annotations.note']);
  });
});

describe('unstorableIssues, on any API input', () => {
  it('names every bad key and string, up to 20', () => {
    // A bad key is reported with its object, before what the object holds.
    expect(unstorableIssues({ namespace: 'shop', message: 'a\u0000', document: { spec: ['ok', '\udc00'] }, 'k\u0000': 1 })).toEqual([
      { path: '["k\\u0000"]', message: 'the key must not contain NUL characters (\\u0000)' },
      { path: 'message', message: 'must not contain NUL characters (\\u0000)' },
      { path: 'document.spec.1', message: 'must be valid Unicode: half a surrogate pair (\\udc00) at character 0' },
    ]);
    expect(unstorableIssues(Array.from({ length: 100 }, () => '\u0000'))).toHaveLength(20);
    expect(unstorableIssues('\u0000')).toEqual([{ path: '', message: 'must not contain NUL characters (\\u0000)' }]);
    expect(unstorableIssues({ a: [1, true, null, 'fine', { b: 'é🦀' }] })).toEqual([]);
  });

  it('takes linear time on very deep values, and stops at cycles', () => {
    let deep: unknown = '\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const started = performance.now();
    const issues = unstorableIssues(deep, { maxDepth: Infinity });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toMatch(/^0(\.0){199999}$/);

    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    expect(unstorableIssues(cyclic)).toEqual([{ path: `self${'.self'.repeat(MAX_NESTING_DEPTH)}`, message: `nested too deeply (more than ${MAX_NESTING_DEPTH} levels)` }]);
  });
});
