import { describe, expect, it } from 'vitest';
import { KIND_NAMES } from '@weft/contracts/resources';
import { schemaOfKind, suggestionsAt } from './schema-completion';
import { yamlContextAt } from './yaml-context';

const suggest = (kind: 'HTTPRoute' | 'TrafficPolicy' | 'AuthorizationPolicy', text: string) => {
  const context = yamlContextAt(text.replace('|', ''), text.indexOf('|'));
  if (!context) throw new Error('no context');
  return suggestionsAt(schemaOfKind(kind), context);
};
const labels = (s: Array<{ label: string }>) => s.map((x) => x.label);

describe('suggestionsAt', () => {
  it('offers the top-level fields of a document', () => {
    expect(labels(suggest('TrafficPolicy', 'kind: TrafficPolicy\n|'))).toEqual(['apiVersion', 'metadata', 'spec']);
  });

  it('offers the retry fields not written yet, with their types', () => {
    const s = suggest('TrafficPolicy', 'spec:\n  retries:\n    attempts: 2\n    |\n');
    expect(labels(s)).toContain('perTryTimeout');
    expect(labels(s)).toContain('retryOn');
    expect(labels(s)).not.toContain('attempts');
    expect(s.find((x) => x.label === 'retryOn')).toMatchObject({ detail: 'list of string', insert: 'retryOn:' });
  });

  it('offers the values of an enum, also inside a list', () => {
    expect(labels(suggest('AuthorizationPolicy', 'spec:\n  action: |\n'))).toEqual(expect.arrayContaining(['ALLOW', 'DENY']));
    expect(labels(suggest('TrafficPolicy', 'spec:\n  retries:\n    retryOn: [5xx, |]\n'))).toEqual(expect.arrayContaining(['gateway-error', 'connect-failure']));
  });

  it('walks list items: the fields of a route rule', () => {
    expect(labels(suggest('HTTPRoute', 'spec:\n  rules:\n    - |\n'))).toEqual(expect.arrayContaining(['matches', 'backendRefs']));
  });

  it('offers nothing where the schema has no field', () => {
    expect(suggest('TrafficPolicy', 'spec:\n  nonsense:\n    |\n')).toEqual([]);
  });
});

describe('schemaOfKind', () => {
  it.each(KIND_NAMES)('turns the %s schema into JSON Schema (completion never meets a schema it cannot read)', (kind) => {
    expect(Object.keys(schemaOfKind(kind).properties ?? {})).toEqual(expect.arrayContaining(['apiVersion', 'kind', 'metadata', 'spec']));
  });
});
