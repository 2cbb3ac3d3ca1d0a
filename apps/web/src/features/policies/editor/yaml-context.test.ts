import { describe, expect, it } from 'vitest';
import { yamlContextAt, yamlContextsAt } from './yaml-context';

/** The context at the `|` in `text` (removed). */
const at = (text: string) => yamlContextAt(text.replace('|', ''), text.indexOf('|'));

describe('yamlContextAt', () => {
  it('finds the top-level keys of a document', () => {
    expect(at('apiVersion: weft.dev/v1alpha1\nki|')).toEqual({ path: [], at: 'key', prefix: 'ki', siblings: ['apiVersion'] });
  });

  it('finds a nested mapping by indentation, with the keys it has', () => {
    const text = 'spec:\n  targetRef: {kind: Service, name: a}\n  retries:\n    attempts: 2\n    |\n  timeouts: {}\n';
    expect(at(text)).toEqual({ path: ['spec', 'retries'], at: 'key', prefix: '', siblings: ['attempts'] });
  });

  it('numbers list items, for a key typed in the second item', () => {
    const text = 'spec:\n  rules:\n    - to: []\n    - fr|\n';
    expect(at(text)).toMatchObject({ path: ['spec', 'rules', 1], at: 'key', prefix: 'fr' });
  });

  it('finds a value being typed after a key', () => {
    expect(at('spec:\n  action: DE|\n')).toEqual({ path: ['spec', 'action'], at: 'value', key: 'action', prefix: 'DE', siblings: [] });
  });

  it('finds a value in a flow list', () => {
    expect(at('spec:\n  retries:\n    retryOn: [5xx, gat|\n')).toMatchObject({ path: ['spec', 'retries', 'retryOn', 1], at: 'value', key: 'retryOn', prefix: 'gat' });
  });

  it('reads only the document around the cursor in a multi-document text', () => {
    const text = 'kind: Service\nspec:\n  ports: []\n---\nkind: HTTPRoute\nspec:\n  |\n';
    expect(at(text)).toMatchObject({ path: ['spec'], at: 'key', siblings: [] });
  });

  it('still answers when the rest of the document is broken', () => {
    const text = 'spec:\n  mode: [unclosed\n  ac|\n';
    expect(at(text)).not.toBeNull();
  });

  it('offers nothing in a comment', () => {
    expect(at('# a comm|ent\nspec: {}\n')).toBeNull();
  });
});

describe('yamlContextsAt', () => {
  it('reads a bare list item both as a scalar value and as the first key of a mapping', () => {
    const text = 'spec:\n  retries:\n    retryOn:\n      - ';
    expect(yamlContextsAt(text, text.length).map((c) => [c.at, c.path.join('.')])).toEqual([
      ['value', 'spec.retries.retryOn.0'],
      ['key', 'spec.retries.retryOn.0'],
    ]);
  });

  it('has one reading where there is no doubt', () => {
    const text = 'spec:\n  action: ';
    expect(yamlContextsAt(text, text.length).map((c) => [c.at, c.path.join('.')])).toEqual([['value', 'spec.action']]);
  });
});
