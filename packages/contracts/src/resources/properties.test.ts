/**
 * Property-based tests: whatever validateResource and parseDocuments are given — random JSON,
 * random values of any kind, random mutations of valid documents, random YAML-ish text — they
 * return an answer (never throw), and every issue has a well-formed path and a message.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parsePath } from './issues.ts';
import { ResourceSchema } from './kinds.ts';
import { parseDocuments, parseResources } from './parse.ts';
import { EXAMPLE_NAMES, example } from './testing.ts';
import { validateResource } from './validate.ts';

function expectWellFormed(result: ReturnType<typeof validateResource>): void {
  if (result.ok) {
    expect(ResourceSchema.safeParse(result.resource).success).toBe(true);
    return;
  }
  expect(result.issues.length).toBeGreaterThan(0);
  for (const issue of result.issues) {
    expect(typeof issue.path).toBe('string');
    expect(typeof issue.message).toBe('string');
    expect(issue.message.length).toBeGreaterThan(0);
    expect(parsePath(issue.path), issue.path).toBeDefined();
  }
}

type Op = 'delete' | 'set' | 'typo' | 'unknown' | 'edge' | 'duplicate';
const EDGE_VALUES: unknown[] = [
  -1, 0, 1.5, 65_536, 1_000_001, Number.MAX_SAFE_INTEGER, Infinity, Number.NaN, -0,
  '', ' ', 'x'.repeat(300), '\n', 'a\r\nb', '(a)\\1', '(?=x)', '(a+)+$', '*', '*a*', '/', '//', '1.5s', '0s', '99999h',
  'spiffe://weft.local/ns/shop/sa/x', 'Service', 'weft.dev/v1alpha1', null, true, [], {}, [{}], { kind: 'Service' },
];

/** Every (container, key) in a document, depth-first. */
function slots(root: unknown): [Record<string, unknown> | unknown[], string | number][] {
  const out: [Record<string, unknown> | unknown[], string | number][] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach((child, i) => (out.push([node, i]), visit(child)));
    else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        out.push([node as Record<string, unknown>, key]);
        visit(child);
      }
    }
  };
  visit(root);
  return out;
}

function mutate(doc: unknown, [at, op, value, text]: [number, Op, unknown, string]): void {
  const all = slots(doc);
  if (all.length === 0) return;
  const [container, key] = all[at % all.length] as (typeof all)[number];
  const record = container as Record<string | number, unknown>;
  switch (op) {
    case 'delete':
      if (Array.isArray(container)) container.splice(key as number, 1);
      else delete record[key];
      break;
    case 'set':
      record[key] = value;
      break;
    case 'typo':
      if (!Array.isArray(container) && typeof key === 'string') {
        const moved = record[key];
        delete record[key];
        record[key.length > 1 ? key.slice(0, -1) + (text[0] ?? 'x') : `${key}${text}`] = moved;
      }
      break;
    case 'unknown':
      if (!Array.isArray(container)) record[text || 'extra'] = value;
      break;
    case 'edge':
      record[key] = structuredClone(EDGE_VALUES[at % EDGE_VALUES.length]);
      break;
    case 'duplicate':
      if (Array.isArray(container)) container.push(structuredClone(container[key as number]));
      break;
  }
}

const mutation = fc.tuple(
  fc.nat({ max: 10_000 }),
  fc.constantFrom<Op>('delete', 'set', 'typo', 'unknown', 'edge', 'duplicate'),
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ maxLength: 8 }),
);

describe('validateResource, under random input', { timeout: 60_000 }, () => {
  it('never throws on random JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => expectWellFormed(validateResource(value))),
      { numRuns: 2_000 },
    );
  });

  it('never throws on random values of any type, with a resource envelope or without', () => {
    const envelope = fc.record({
      apiVersion: fc.constantFrom('weft.dev/v1alpha1', 'v1'),
      kind: fc.constantFrom('Service', 'HTTPRoute', 'TrafficPolicy', 'AuthorizationPolicy', 'MeshConfig', 'Rollout', 'Nope'),
      metadata: fc.anything({ maxDepth: 2 }),
      spec: fc.anything({ maxDepth: 3 }),
    });
    fc.assert(
      fc.property(fc.oneof(fc.anything({ maxDepth: 3, withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true }), envelope), (value) =>
        expectWellFormed(validateResource(value, { defaultNamespace: 'shop' })),
      ),
      { numRuns: 2_000 },
    );
  });

  it('never throws on random mutations of the valid examples, and what it accepts is stable', () => {
    fc.assert(
      fc.property(fc.constantFrom(...EXAMPLE_NAMES), fc.array(mutation, { minLength: 1, maxLength: 4 }), (name, mutations) => {
        const doc = example(name);
        for (const m of mutations) mutate(doc, m);
        const result = validateResource(doc);
        expectWellFormed(result);
        if (result.ok) {
          const again = validateResource(result.resource);
          expect(again).toEqual(result);
        }
      }),
      { numRuns: 3_000 },
    );
  });
});

describe('parseDocuments, under random input', { timeout: 60_000 }, () => {
  const yamlish = fc
    .array(
      fc.oneof(
        fc.constantFrom('\n', ' ', '  ', '- ', ': ', '---\n', '...\n', '[', ']', '{', '}', ',', '&a ', '*a', '!t ', '!!str ', '"', "'", '#', '? ', '|\n', '>\n', '\t', '<<: '),
        fc.constantFrom('kind', 'spec', 'apiVersion', 'weft.dev/v1alpha1', 'Service', 'rules', 'a', '1', 'null', 'true', '~', '1.5', '0x1F'),
        fc.string({ maxLength: 4 }),
      ),
      { maxLength: 60 },
    )
    .map((parts) => parts.join(''));

  it('never throws on random YAML-ish text, and reports well-formed errors', () => {
    fc.assert(
      fc.property(fc.oneof(yamlish, fc.string({ maxLength: 200, unit: 'binary' })), (text) => {
        const parsed = parseDocuments(text);
        expect(parsed.documents.length).toBe(parsed.sources.length);
        for (const error of parsed.errors) {
          expect(error.document).toBeGreaterThanOrEqual(0);
          expect(typeof error.path).toBe('string');
          expect(error.message.length).toBeGreaterThan(0);
          if (error.line !== undefined) expect(error.line).toBeGreaterThanOrEqual(1);
        }
        for (const source of parsed.sources) expect(source.lineOf('spec.rules.0')).toBeGreaterThanOrEqual(1);
        const resources = parseResources(text);
        for (const error of resources.errors) expect(typeof error.message).toBe('string');
      }),
      { numRuns: 3_000 },
    );
  });

  it('reads back what YAML and JSON writers produce', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }), (value) => {
        // Compared as JSON text: YAML keeps -0, JSON writes it as 0.
        const fromJson = parseDocuments(JSON.stringify(value));
        expect(fromJson.errors).toEqual([]);
        expect(JSON.stringify(fromJson.documents)).toBe(JSON.stringify([value]));
        const fromYaml = parseDocuments(stringify(value));
        expect(fromYaml.errors).toEqual([]);
        expect(JSON.stringify(fromYaml.documents)).toBe(JSON.stringify([value]));
      }),
      { numRuns: 1_000 },
    );
  });
});
