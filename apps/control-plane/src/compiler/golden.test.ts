/**
 * Golden tests: testdata/<case>.json (CompilerInput, resources as written by users) →
 * testdata/<case>.expected.json ({ snapshots: {proxyId: snapshot}, diagnostics }).
 * `UPDATE_GOLDEN=1 npx vitest run --project unit apps/control-plane/src/compiler` rewrites them;
 * review the diff like code.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCase, render, TESTDATA as dir } from './testing.ts';

const cases = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith('.expected.json')).map((f) => f.slice(0, -'.json'.length)).sort();

describe('golden', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(0));
  for (const name of cases) {
    it(name, () => {
      const actual = render(loadCase(name));
      const file = new URL(`${name}.expected.json`, dir);
      if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(file, actual);
      expect(actual).toBe(readFileSync(file, 'utf8'));
    });
  }
});
