/** Comparing what people edit in a resource: labels, annotations and spec. */
import type { ResourceContent } from './ports.ts';

/** Key order does not matter; everything else does. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export const sameContent = (a: ResourceContent, b: ResourceContent): boolean =>
  canonical(a.labels) === canonical(b.labels) && canonical(a.annotations) === canonical(b.annotations) && canonical(a.spec) === canonical(b.spec);
