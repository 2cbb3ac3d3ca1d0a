/**
 * @weft/contracts — everything that crosses a process boundary, as zod schemas and inferred types.
 * This package imports nothing of ours (enforced by the linter).
 */
export * from './errors.ts';
export * from './access.ts';
export * from './health.ts';
