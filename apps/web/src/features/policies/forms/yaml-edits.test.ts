import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyEdits, layoutOf, readDocument, restoreUntouchedLines } from './yaml-edits';

const ROUTE = `# 95% of recommendations traffic to v1, 5% to v2.
apiVersion: weft.dev/v1alpha1
kind: HTTPRoute
metadata:
  name: recommendations-split
  namespace: shop
spec:
  parentRefs:
    - kind: Service
      name: recommendations   # the service whose traffic this governs
  rules:
    - name: split
      backendRefs:
        - name: recommendations
          subset: v1
          weight: 95 # stable
        - name: recommendations
          subset: "v2"
          weight: 5

      timeouts:
        request: 2s
        backendRequest: 500ms
`;

/** The lines of `after` that differ from `before`, position by position (same line count). */
function changedLines(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b).toHaveLength(a.length);
  return b.filter((line, i) => line !== a[i]);
}

describe('readDocument', () => {
  it('reads one document as the resource API does', () => {
    expect(readDocument(ROUTE)).toMatchObject({ ok: true, document: { kind: 'HTTPRoute', spec: { rules: [{ name: 'split' }] } } });
    // YAML 1.2 core schema: `on` is a string.
    expect(readDocument('a: on\n')).toEqual({ ok: true, document: { a: 'on' } });
  });

  it('says what is wrong, and on which line', () => {
    expect(readDocument('kind: HTTPRoute\nspec:\n  rules: [\n')).toMatchObject({ ok: false, line: expect.any(Number) });
    expect(readDocument('a: 1\na: 2\n')).toMatchObject({ ok: false, message: expect.stringContaining('duplicate key'), line: 2 });
  });

  it('refuses empty text and several documents', () => {
    expect(readDocument('# nothing yet\n')).toEqual({ ok: false, message: 'The document is empty.', line: undefined });
    expect(readDocument('a: 1\n---\nb: 2\n')).toEqual({ ok: false, message: 'The text holds 2 documents; the form edits one.', line: 3 });
  });
});

describe('applyEdits', () => {
  it('changes only the edited line: comments, quotes, blank lines and key order stay', () => {
    const after = applyEdits(ROUTE, [{ path: ['spec', 'rules', 0, 'backendRefs', 0, 'weight'], value: 80 }]);
    expect(changedLines(ROUTE, after)).toEqual(['          weight: 80 # stable']);
  });

  it('keeps a quoted scalar quoted when its value changes', () => {
    const after = applyEdits(ROUTE, [{ path: ['spec', 'rules', 0, 'backendRefs', 1, 'subset'], value: 'v3' }]);
    expect(changedLines(ROUTE, after)).toEqual(['          subset: "v3"']);
  });

  it("keeps the spacing before comments on untouched lines (the yaml library would make it one space)", () => {
    const after = applyEdits(ROUTE, [{ path: ['metadata', 'name'], value: 'split' }]);
    expect(changedLines(ROUTE, after)).toEqual(['  name: split']);
    expect(after).toContain('      name: recommendations   # the service whose traffic this governs\n');
  });

  it('appends to lists and creates missing mappings', () => {
    const after = applyEdits(ROUTE, [
      { path: ['spec', 'rules', 0, 'backendRefs', 2], value: { name: 'recommendations', subset: 'v3', weight: 0 } },
      { path: ['metadata', 'labels', 'team'], value: 'recs' },
    ]);
    expect(readDocument(after)).toMatchObject({
      ok: true,
      document: { metadata: { labels: { team: 'recs' } }, spec: { rules: [{ backendRefs: [{ subset: 'v1' }, { subset: 'v2' }, { subset: 'v3', weight: 0 }] }] } },
    });
    expect(after).toContain('        - name: recommendations\n          subset: v3\n          weight: 0\n');
    expect(after).toContain('# 95% of recommendations traffic to v1, 5% to v2.\n');
  });

  it('deletes, and removes the mappings a deletion empties', () => {
    const after = applyEdits(ROUTE, [
      { path: ['spec', 'rules', 0, 'timeouts', 'request'], value: undefined },
      { path: ['spec', 'rules', 0, 'timeouts', 'backendRequest'], value: undefined },
    ]);
    expect(after).not.toContain('timeouts');
    expect(readDocument(after)).toMatchObject({ ok: true, document: { spec: { rules: [{ name: 'split', backendRefs: [{}, {}] }] } } });
  });

  it('never removes a list item it emptied, only the mapping values', () => {
    const text = 'spec:\n  rules:\n    - from:\n        - namespaces: [shop]\n';
    expect(applyEdits(text, [{ path: ['spec', 'rules', 0, 'from', 0, 'namespaces'], value: undefined }])).toBe('spec:\n  rules:\n    - from:\n        - {}\n');
    expect(applyEdits(text, [{ path: ['spec', 'rules', 0, 'from', 0], value: undefined }])).toBe('spec:\n  rules:\n    - {}\n');
  });

  it('writes new lists of scalars in flow style and keeps the style of a replaced list', () => {
    const text = 'spec:\n  retries:\n    retryOn:\n      - reset\n  methods: [GET]\n';
    const after = applyEdits(text, [
      { path: ['spec', 'retries', 'retryOn'], value: ['reset', '5xx'] },
      { path: ['spec', 'methods'], value: ['GET', 'POST'] },
      { path: ['spec', 'paths'], value: ['/admin', '/admin/*'] },
    ]);
    expect(after).toBe('spec:\n  retries:\n    retryOn:\n      - reset\n      - 5xx\n  methods: [GET, POST]\n  paths: [/admin, /admin/*]\n');
  });

  it('quotes strings that would read back as another type', () => {
    const after = applyEdits('a: x\n', [{ path: ['a'], value: 'true' }, { path: ['b'], value: '80' }]);
    expect(readDocument(after)).toEqual({ ok: true, document: { a: 'true', b: '80' } });
  });

  it('replaces a scalar standing where a mapping is needed', () => {
    expect(applyEdits('spec: null\n', [{ path: ['spec', 'mode'], value: 'audit' }])).toBe('spec:\n  mode: audit\n');
    expect(applyEdits('spec:\n  rules: none\n', [{ path: ['spec', 'rules', 0], value: {} }])).toBe('spec:\n  rules:\n    - {}\n');
  });

  it('appends to a list only at its end', () => {
    expect(() => applyEdits('a: [x]\n', [{ path: ['a', 3], value: 'y' }])).toThrow(RangeError);
    expect(() => applyEdits('a: 1\n', [{ path: [], value: 'y' }])).toThrow('non-empty path');
  });

  it('leaves text that does not parse exactly as it is', () => {
    const broken = 'spec:\n  rules: [\n';
    expect(applyEdits(broken, [{ path: ['spec', 'mode'], value: 'audit' }])).toBe(broken);
    const two = 'a: 1\n---\nb: 2\n';
    expect(applyEdits(two, [{ path: ['a'], value: 2 }])).toBe(two);
  });

  it('keeps a document start marker and the trailing comment', () => {
    const text = '---\na: 1 # one\n# the end\n';
    expect(applyEdits(text, [{ path: ['a'], value: 2 }])).toBe('---\na: 2 # one\n# the end\n');
  });
});

describe('layoutOf', () => {
  it('finds the indentation and how list items sit under their key', () => {
    expect(layoutOf(ROUTE)).toMatchObject({ indent: 2, indentSeq: true, flowCollectionPadding: false });
    expect(layoutOf('spec:\n    rules:\n    - a: 1\n')).toMatchObject({ indent: 4, indentSeq: false });
    expect(layoutOf('a: { b: 1 }\nc: [ d ]\n')).toMatchObject({ flowCollectionPadding: true });
  });

  it('keeps a four-space, unindented-list layout through an edit', () => {
    const text = 'spec:\n    rules:\n    -   name: a\n        weight: 1\n    -   name: b\n';
    const after = applyEdits(text, [{ path: ['spec', 'rules', 0, 'weight'], value: 2 }]);
    expect(readDocument(after)).toEqual({ ok: true, document: { spec: { rules: [{ name: 'a', weight: 2 }, { name: 'b' }] } } });
    expect(after.split('\n')[1]).toBe('    rules:');
    expect(after.split('\n')[2]).toMatch(/^ {4}- +name: a$/);
  });
});

describe('restoreUntouchedLines', () => {
  it('puts back the original spacing of lines with the same content', () => {
    expect(restoreUntouchedLines('a: 1   # one\nb:\n  -   x\nc: 2\n', 'a: 1 # one\nb:\n  - x\nc: 3\n')).toBe('a: 1   # one\nb:\n  -   x\nc: 3\n');
  });

  it('keeps the output when restoring would change what the text means', () => {
    // Matching `b: 1` by content would put it back under `a`.
    expect(restoreUntouchedLines('a:\n  b: 1\n', 'a: null\nb: 1\n')).toBe('a: null\nb: 1\n');
  });
});

/** The examples of docs/resources.md, comments and all. */
const EXAMPLES = ['http-route', 'traffic-policy', 'authorization-policy'].map((name) => ({
  name,
  text: readFileSync(new URL(`../../../../../../packages/contracts/src/resources/testdata/examples/${name}.yaml`, import.meta.url), 'utf8'),
}));

/** Every path to a scalar in `value`. */
function leafPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((item, i) => leafPaths(item, [...path, i]));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...path, k]));
  return [path];
}

describe.each(EXAMPLES)('the $name example', ({ text }) => {
  const read = readDocument(text);
  if (!read.ok) throw new Error(read.message);
  const leaves = leafPaths(read.document);

  it('comes back byte for byte when every value is set to itself', () => {
    expect(leaves.length).toBeGreaterThan(5);
    const edits = leaves.map((path) => ({ path, value: path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], read.document) }));
    expect(applyEdits(text, edits)).toBe(text);
  });

  it('changes one line when one number or string changes', () => {
    for (const path of leaves) {
      const old = path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], read.document);
      if (typeof old !== 'string' && typeof old !== 'number') continue;
      const value = typeof old === 'number' ? old + 1 : `${old}x`;
      const after = applyEdits(text, [{ path, value }]);
      const changed = after.split('\n').filter((line, i) => line !== text.split('\n')[i]);
      expect(changed, path.join('.')).toHaveLength(1);
    }
  });
});
