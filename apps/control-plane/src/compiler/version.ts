/**
 * Pass 6 — version: a snapshot's version is the SHA-256 (hex) of its canonical JSON — object keys
 * sorted recursively, no whitespace, `version` itself excluded. Equal content ⇔ equal version, so
 * an unchanged snapshot is never re-pushed, and any replica computes the same version.
 */
import { createHash } from 'node:crypto';
import type { ProxySnapshot } from '@weft/contracts/snapshot';

/** JSON with object keys in sorted order at every depth; arrays keep their order. `undefined` fields are omitted. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** The snapshot with its version set from its content. */
export function withVersion(snapshot: Omit<ProxySnapshot, 'version'>): ProxySnapshot {
  return { version: contentHash(snapshot), ...snapshot };
}
