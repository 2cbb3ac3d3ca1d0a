/**
 * @weft/contracts — everything that crosses a process boundary, as zod schemas and inferred types.
 * This package imports nothing of ours (enforced by the linter).
 *
 * The mesh resources (schemas, YAML/JSON parsing, RE2 regexes) are a separate entry,
 * `@weft/contracts/resources`, so that the console's bundle carries `yaml` and `re2js` only on
 * the pages that need them.
 */
export * from './errors.ts';
export * from './access.ts';
export * from './health.ts';
