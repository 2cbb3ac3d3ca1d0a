/**
 * docs/resources.md stays true: every example file is quoted there verbatim, and every YAML block
 * in it is a valid resource.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseResources } from './parse.ts';
import { EXAMPLE_NAMES, exampleText } from './testing.ts';

const doc = readFileSync(new URL('../../../../docs/resources.md', import.meta.url), 'utf8');
const yamlBlocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

describe('docs/resources.md', () => {
  it.each(EXAMPLE_NAMES)('quotes testdata/examples/%s.yaml verbatim', (name) => {
    expect(yamlBlocks).toContain(exampleText(name));
  });

  it('has only valid resources in its YAML blocks', () => {
    expect(yamlBlocks.length).toBeGreaterThanOrEqual(EXAMPLE_NAMES.length);
    for (const block of yamlBlocks) {
      const { resources, errors } = parseResources(block, { defaultNamespace: 'shop' });
      expect(errors, block).toEqual([]);
      expect(resources.length, block).toBeGreaterThan(0);
    }
  });
});
