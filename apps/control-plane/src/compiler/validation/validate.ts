/**
 * Validation beyond the schema (docs/resources.md): what the documents say, judged against each
 * other and against the inventory. Pure, like the rest of the compiler:
 *
 *   (resources, inventory) ──buildContext──▶ services table, routes' attachments, mesh settings
 *        ──▶ references ──▶ weights ──▶ overlaps ──▶ retries ──▶ authorization ──▶ sorted findings
 *
 * Every finding names a resource and a field of it. The API validates the mesh as it would be after
 * a write, `only` the written resource: its errors refuse the write, its warnings come back with it.
 */
import type { CompilerInput } from '../types.ts';
import { checkAuthorization } from './authorization.ts';
import { buildContext } from './context.ts';
import { Findings, sameRef, sortDiagnostics, type ResourceRef, type ValidationDiagnostic } from './diagnostics.ts';
import { checkOverlaps } from './overlaps.ts';
import { checkRouteReferences, checkTargets } from './references.ts';
import { checkRetries } from './retries.ts';
import { checkWeights } from './weights.ts';

export interface ValidateMeshOptions {
  /** Only the findings about these resources (default: about every resource). */
  only?: readonly ResourceRef[];
}

/**
 * The findings about the resources of `input` (validated documents: the schema is not checked
 * again), sorted by resource, then errors first, then path — the same for any input order.
 *
 * A finding that involves two resources (overlapping routes) is reported on both, so a write of
 * either sees it. A finding about a resource that is not in `input` cannot be made: to judge a
 * delete, or a change to a Service that others refer to, compare the whole mesh before and after
 * with `introducedDiagnostics`.
 */
export function validateMesh(input: CompilerInput, opts: ValidateMeshOptions = {}): ValidationDiagnostic[] {
  const ctx = buildContext(input);
  const out = new Findings();
  checkRouteReferences(ctx, out);
  checkTargets(ctx, out);
  checkWeights(ctx, out);
  checkOverlaps(ctx, out);
  checkRetries(ctx, out);
  checkAuthorization(ctx, out);
  const all = out.result();
  const only = opts.only;
  return only === undefined ? all : all.filter((d) => only.some((ref) => sameRef(ref, d.resource)));
}

/** True when a write with these findings must be refused. */
export function hasErrors(diagnostics: readonly ValidationDiagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/**
 * The findings of `after` that `before` did not have (same resource, code, path and severity; the
 * message may differ): what a change introduces anywhere in the mesh, for writes whose effect
 * reaches other resources (deleting a Service that routes use, removing one of its versions).
 */
export function introducedDiagnostics(before: readonly ValidationDiagnostic[], after: readonly ValidationDiagnostic[]): ValidationDiagnostic[] {
  const key = (d: ValidationDiagnostic): string => JSON.stringify([d.resource.kind, d.resource.namespace, d.resource.name, d.code, d.path, d.severity]);
  const old = new Set(before.map(key));
  return sortDiagnostics(after.filter((d) => !old.has(key(d))));
}
