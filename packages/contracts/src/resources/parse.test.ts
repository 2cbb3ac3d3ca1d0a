import { describe, expect, it } from 'vitest';
import { MAX_DOCUMENT_BYTES } from './common.ts';
import { MAX_INPUT_BYTES, parseDocuments, parseResources } from './parse.ts';
import { EXAMPLE_NAMES, exampleText } from './testing.ts';

const service = (name: string) => `apiVersion: weft.dev/v1alpha1
kind: Service
metadata:
  name: ${name}
  namespace: shop
spec:
  ports:
    - name: http
      port: 80
`;

describe('parseDocuments', () => {
  it('parses a multi-document YAML stream, skipping empty documents, with start lines', () => {
    const text = `# the shop\n---\n${service('checkout')}---\n---\n${service('payments')}...\n`;
    const parsed = parseDocuments(text);
    expect(parsed.errors).toEqual([]);
    expect(parsed.documents.map((d) => (d as { metadata: { name: string } }).metadata.name)).toEqual(['checkout', 'payments']);
    expect(parsed.sources.map((s) => [s.document, s.line])).toEqual([
      [0, 3],
      [1, 14],
    ]);
  });

  it('looks up the line of any path, or of its nearest ancestor', () => {
    const { sources } = parseDocuments(service('checkout'));
    const source = sources[0];
    expect(source?.lineOf('spec.ports.0.port')).toBe(9);
    expect(source?.lineOf('spec.ports.0')).toBe(8);
    expect(source?.lineOf('metadata.name')).toBe(4);
    expect(source?.lineOf('spec.versions.0.name')).toBe(6);
    expect(source?.lineOf('')).toBe(1);
    expect(source?.lineOf('not..a path')).toBe(1);
  });

  it('parses JSON, pretty-printed with tabs or on one line', () => {
    const value = { apiVersion: 'weft.dev/v1alpha1', kind: 'Service', metadata: { name: 'a', namespace: 'b' }, spec: { ports: [{ name: 'http', port: 80 }] } };
    for (const text of [JSON.stringify(value), JSON.stringify(value, null, '\t'), JSON.stringify(value, null, 2)]) {
      expect(parseDocuments(text)).toMatchObject({ documents: [value], errors: [] });
    }
  });

  it('reports syntax errors with document, line and column, and keeps the good documents', () => {
    const text = `${service('checkout')}---\nkind: [Service\n---\n${service('payments')}`;
    const parsed = parseDocuments(text);
    expect(parsed.documents).toHaveLength(2);
    expect(parsed.sources.map((s) => s.document)).toEqual([0, 2]);
    expect(parsed.errors.length).toBeGreaterThan(0);
    expect(parsed.errors[0]).toMatchObject({ document: 1, path: '', line: expect.any(Number) as number });
    expect(parsed.errors.every((e) => e.document === 1)).toBe(true);
  });

  it('refuses duplicate keys, naming the path and both lines', () => {
    const parsed = parseDocuments('metadata:\n  name: a\n  labels:\n    app: x\n    app: y\n');
    expect(parsed.documents).toEqual([]);
    expect(parsed.errors).toEqual([{ document: 0, path: 'metadata.labels.app', message: "duplicate key 'app' (first on line 4)", line: 5, column: 5 }]);
    expect(parseDocuments('{"a": 1, "a": 2}').errors[0]).toMatchObject({ path: 'a', message: "duplicate key 'a' (first on line 1)", line: 1, column: 10 });
  });

  it('refuses documents that are not mappings', () => {
    const parsed = parseDocuments('- a\n---\n42\n---\n"text"\n---\nnull\n');
    expect(parsed.errors.map((e) => [e.document, e.message])).toEqual([
      [0, 'document must be a mapping (apiVersion: weft.dev/v1alpha1, kind: …), got a list'],
      [1, 'document must be a mapping (apiVersion: weft.dev/v1alpha1, kind: …), got a number'],
      [2, 'document must be a mapping (apiVersion: weft.dev/v1alpha1, kind: …), got a string'],
      [3, 'document must be a mapping (apiVersion: weft.dev/v1alpha1, kind: …), got a null'],
    ]);
  });

  it('refuses keys that are not strings', () => {
    expect(parseDocuments('spec:\n  1: a\n  ? [x]\n  : b\n  null: c\n  true: d\n  "2": e\n').errors.map((e) => `${e.path}@${e.line}: ${e.message}`)).toEqual([
      'spec@2: keys must be strings, got 1 (number); quote the key',
      'spec@3: keys must be strings, got a collection or alias; quote the key',
      'spec@5: keys must be strings, got null (null); quote the key',
      'spec@6: keys must be strings, got true (boolean); quote the key',
    ]);
  });

  it('uses YAML 1.2: yes, on and dates are strings; tags are refused; << is an ordinary key', () => {
    expect(parseDocuments('a: yes\nb: on\nc: 2026-01-01\nd: 0o17\ne: 1_000\n').documents).toEqual([{ a: 'yes', b: 'on', c: '2026-01-01', d: 15, e: '1_000' }]);
    expect(parseDocuments('a: !!binary aGk=\n').errors).toEqual([{ document: 0, path: 'a', message: 'YAML tags are not supported: tag:yaml.org,2002:binary', line: 1, column: 13 }]);
    expect(parseDocuments('a: !!str 5\n').errors[0]?.message).toBe('YAML tags are not supported: tag:yaml.org,2002:str');
    expect(parseDocuments('a: !custom x\n').errors[0]?.message).toBe('YAML tags are not supported: !custom');
    expect(parseDocuments('base: &b {x: 1}\nderived:\n  <<: *b\n').documents).toEqual([{ base: { x: 1 }, derived: { '<<': { x: 1 } } }]);
  });

  it('stops alias bombs (billion laughs)', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array.from({ length: 9 }, () => `*${prev}`).join(',')}]`);
    }
    const parsed = parseDocuments(levels.join('\n'));
    expect(parsed.documents).toEqual([]);
    expect(parsed.errors).toEqual([{ document: 0, path: '', message: 'too many alias expansions (*alias): the document would expand exponentially', line: 1, column: 1 }]);
  });

  it('refuses a document that grows too large through aliases within the alias count', () => {
    const big = 'x'.repeat(40_000);
    const text = `a: &a "${big}"\nb: [${Array.from({ length: 10 }, () => '*a').join(', ')}]\n`;
    expect(parseDocuments(text).errors[0]?.message).toMatch(/^document is too large once its aliases are expanded: \d+ bytes; at most 262144$/);
    expect(parseDocuments('a: &a x\nb: *a\n').documents).toEqual([{ a: 'x', b: 'x' }]);
  });

  it('refuses oversized documents and inputs', () => {
    const big = `a: "${'x'.repeat(MAX_DOCUMENT_BYTES)}"\n`;
    const parsed = parseDocuments(`${service('a')}---\n${big}---\n${service('b')}`);
    expect(parsed.documents).toHaveLength(2);
    expect(parsed.errors).toEqual([
      { document: 1, path: '', message: expect.stringMatching(/^document is too large: 2621\d\d bytes; at most 262144$/) as string, line: 11, column: 1 },
    ]);
    const huge = 'a: b\n'.repeat(Math.ceil(MAX_INPUT_BYTES / 5) + 1);
    expect(parseDocuments(huge)).toEqual({ documents: [], sources: [], errors: [{ document: 0, path: '', message: `input is too large: ${huge.length} bytes; at most ${MAX_INPUT_BYTES}` }] });
    expect(parseDocuments(service('a'), { maxTotalBytes: 10 }).errors[0]?.message).toMatch(/^input is too large/);
  });

  it('refuses deep nesting cheaply', () => {
    const started = performance.now();
    expect(parseDocuments(`a: ${'['.repeat(200_000)}`).errors[0]).toMatchObject({ message: 'input is nested too deeply (more than 256 levels)', line: 1 });
    expect(parseDocuments(`${'- '.repeat(100_000)}x`).errors[0]?.message).toBe('input is nested too deeply (more than 256 levels)');
    expect(performance.now() - started).toBeLessThan(1_000);
    const deep = parseDocuments(`a: ${'['.repeat(100)}${']'.repeat(100)}`);
    expect(deep.errors[0]?.message).toBe('nested too deeply (more than 64 levels)');
    expect(deep.errors[0]?.path).toMatch(/^a\.0\.0\./);
  });

  it('caps the number of documents', () => {
    const text = Array.from({ length: 4 }, () => 'a: 1').join('\n---\n');
    const parsed = parseDocuments(text, { maxDocuments: 3 });
    expect(parsed.documents).toHaveLength(3);
    expect(parsed.errors).toEqual([{ document: 3, path: '', message: 'too many documents; at most 3', line: 7, column: 1 }]);
    expect(parseDocuments(text, { maxDocuments: 4 }).errors).toEqual([]);
  });

  it('handles empty input, comments only, a byte-order mark, and prototype keys', () => {
    expect(parseDocuments('')).toEqual({ documents: [], sources: [], errors: [] });
    expect(parseDocuments('# nothing\n---\n# here\n')).toEqual({ documents: [], sources: [], errors: [] });
    expect(parseDocuments('\uFEFFa: 1\n').documents).toEqual([{ a: 1 }]);
    const [value] = parseDocuments('__proto__: {polluted: true}\nconstructor: x\n').documents as Record<string, unknown>[];
    expect(Object.keys(value ?? {})).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('never throws on non-text input', () => {
    expect(parseDocuments(undefined as unknown as string).errors[0]?.message).toBe('input must be text');
  });
});

describe('parseResources', () => {
  it('parses and validates the examples of docs/resources.md, one stream', () => {
    const text = EXAMPLE_NAMES.map(exampleText).join('---\n');
    const parsed = parseResources(text);
    expect(parsed.errors).toEqual([]);
    expect(parsed.resources.map((r) => r.kind)).toEqual(['Service', 'HTTPRoute', 'TrafficPolicy', 'AuthorizationPolicy', 'MeshConfig', 'Rollout']);
  });

  it('reports validation issues with the line they are on', () => {
    const text = `${service('checkout')}---
apiVersion: weft.dev/v1alpha1
kind: HTTPRoute
metadata:
  name: payments
  namespace: shop
spec:
  parentRefs:
    - kind: Service
      name: payments
  rules:
    - matchs:
        - path: {type: PathPrefix, value: /charge}
      backendRefs:
        - name: payments
          weight: 2000000
---
kind: HTTPRoutes
`;
    expect(parseResources(text)).toEqual({
      resources: [expect.objectContaining({ kind: 'Service' })],
      errors: [
        { document: 1, path: 'spec.rules.0.matchs', message: "unknown field; did you mean 'matches'?", line: 21 },
        { document: 1, path: 'spec.rules.0.backendRefs.0.weight', message: 'must be at most 1000000', line: 25 },
        { document: 2, path: 'apiVersion', message: 'required; use weft.dev/v1alpha1', line: 27 },
        { document: 2, path: 'kind', message: "unknown kind 'HTTPRoutes'; did you mean HTTPRoute?", line: 27 },
      ],
    });
  });

  it('fills a default namespace and refuses the same resource twice', () => {
    const text = `${service('a').replace('  namespace: shop\n', '')}---\n${service('a')}`;
    const parsed = parseResources(text, { defaultNamespace: 'shop' });
    expect(parsed.resources).toHaveLength(1);
    expect(parsed.errors).toEqual([{ document: 1, path: 'metadata.name', message: 'duplicate resource: document 0 is the same Service', line: 13 }]);
  });

  it('passes parse errors through', () => {
    expect(parseResources('a: [').errors[0]).toMatchObject({ document: 0, path: '' });
  });
});
