/**
 * The shape of a validation finding and the small helpers every check shares: a reference to the
 * resource a finding is about, field paths in the form the API returns
 * (`spec.rules[0].backendRefs[1].name`), and the wording of lists and percentages in messages.
 */
import type { Resource, ResourceKind } from '@weft/contracts/resources';
import { cmp, type Diagnostic } from '../types.ts';

/** Names one resource. `namespace` is null for cluster-scoped kinds (MeshConfig). */
export interface ResourceRef {
  kind: ResourceKind;
  namespace: string | null;
  name: string;
}

/**
 * A finding of validateMesh: a compiler Diagnostic whose `path` is the field inside the resource's
 * document (`spec.rules[0].backendRefs[1].name`, never prefixed by the resource), plus the resource
 * it is about. `error` blocks a write of that resource; `warning` does not.
 */
export interface ValidationDiagnostic extends Diagnostic {
  resource: ResourceRef;
}

export type Severity = Diagnostic['severity'];

/** Every code validateMesh reports (docs/resources.md "Validation beyond the schema" lists them). */
export const VALIDATION_CODES = [
  'UnknownParent',
  'UnknownParentPort',
  'UnknownBackend',
  'UnknownBackendPort',
  'UnknownSubset',
  'EmptySubset',
  'ZeroWeight',
  'WeightsNotHundred',
  'OverlappingRoutes',
  'UnknownTarget',
  'ConflictingTrafficPolicy',
  'NonIdempotentRetry',
  'UnknownSource',
  'UnknownTargetPort',
  'DenyAllCallers',
] as const;
export type ValidationCode = (typeof VALIDATION_CODES)[number];
export type PathSegment = string | number;

export function refOf(r: Resource): ResourceRef {
  return { kind: r.kind, namespace: 'namespace' in r.metadata ? r.metadata.namespace : null, name: r.metadata.name };
}

/** `HTTPRoute shop/checkout`, `MeshConfig default`: how messages name a resource. */
export function describeRef(ref: ResourceRef): string {
  return `${ref.kind} ${ref.namespace === null ? '' : `${ref.namespace}/`}${ref.name}`;
}

export function sameRef(a: ResourceRef, b: ResourceRef): boolean {
  return a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;
}

const PLAIN_KEY = /^[A-Za-z_$][\w$]*$/;

/** `['spec', 'rules', 0, 'name']` → `spec.rules[0].name`; odd keys are quoted: `labels["a.b/c"]`. */
export function formatFieldPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (PLAIN_KEY.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** `'a', 'b', 'c' and 4 more`: at most `max` items, quoted. */
export function quoted(items: readonly string[], max = 10): string {
  return plain(items.map((i) => `'${i}'`), max);
}

/** `a, b, c and 4 more`: at most `max` items. */
export function plain(items: readonly string[], max = 10): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** 86.36… → `86.4%`, 50 → `50%`. */
export function percent(value: number): string {
  return `${Number(value.toFixed(1))}%`;
}

/** Collects findings; `result()` sorts them and drops exact duplicates. */
export class Findings {
  private readonly list: ValidationDiagnostic[] = [];

  add(resource: ResourceRef, severity: Severity, code: ValidationCode, path: readonly PathSegment[], message: string): void {
    this.list.push({ severity, code, path: formatFieldPath(path), message, resource });
  }

  result(): ValidationDiagnostic[] {
    return sortDiagnostics(this.list);
  }
}

/** `spec.rules[2]` before `spec.rules[10]`. */
function pathSortKey(path: string): string {
  return path.replace(/\[(\d+)\]/g, (_, n: string) => `[${n.padStart(10, '0')}]`);
}

function refSortKey(ref: ResourceRef): string {
  return `${ref.kind}\u0000${ref.namespace ?? ''}\u0000${ref.name}`;
}

/**
 * Sorted by resource (kind, namespace, name), then errors first, then path (indices in numeric
 * order), code and message; exact duplicates removed. The same findings in any order give the
 * same list.
 */
export function sortDiagnostics(list: readonly ValidationDiagnostic[]): ValidationDiagnostic[] {
  const seen = new Set<string>();
  const unique = list.filter((d) => {
    const key = JSON.stringify([refSortKey(d.resource), d.severity, d.code, d.path, d.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort(
    (a, b) =>
      cmp(refSortKey(a.resource), refSortKey(b.resource)) ||
      cmp(a.severity, b.severity) ||
      cmp(pathSortKey(a.path), pathSortKey(b.path)) ||
      cmp(a.code, b.code) ||
      cmp(a.message, b.message),
  );
}
