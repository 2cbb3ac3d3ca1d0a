/**
 * Test helpers: load a golden case (validating its resources as the API would) and render the
 * compiler's output the way the .expected.json files hold it.
 */
import { readFileSync } from 'node:fs';
import { validateResource, type Resource } from '@weft/contracts/resources';
import { compile } from './compile.ts';
import type { CompilerInput } from './types.ts';

export const TESTDATA = new URL('./testdata/', import.meta.url);

export function loadCase(name: string): CompilerInput {
  const raw = JSON.parse(readFileSync(new URL(`${name}.json`, TESTDATA), 'utf8')) as { resources: unknown[]; inventory: CompilerInput['inventory'] };
  const resources: Resource[] = raw.resources.map((doc, i) => {
    const result = validateResource(doc);
    if (!result.ok) throw new Error(`${name}.json resources[${i}] is invalid: ${JSON.stringify(result.issues)}`);
    return result.resource;
  });
  return { resources, inventory: raw.inventory };
}

export function render(input: CompilerInput): string {
  const { snapshots, diagnostics } = compile(input);
  return `${JSON.stringify({ snapshots: Object.fromEntries(snapshots), diagnostics }, null, 2)}\n`;
}
