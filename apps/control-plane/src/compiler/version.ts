/**
 * Pass 6 — version: a snapshot's version is the SHA-256 (hex) of its canonical JSON — object keys
 * sorted recursively, no whitespace, `version` itself excluded. Equal content ⇔ equal version, so
 * an unchanged snapshot is never re-pushed, and any replica computes the same version.
 */
import { createHash } from 'node:crypto';
import type { ProxySnapshot } from '@weft/contracts/snapshot';

/**
 * Objects deep-frozen by `deepFreeze` (never by a shallow Object.freeze elsewhere): their
 * canonical JSON cannot change, so it is computed once. Snapshots of one compile share their
 * clusters and routes (frozen table entries), so each is serialised once, not once per group.
 */
const deepFrozen = new WeakSet<object>();
const canonicalOfFrozen = new WeakMap<object, string>();

/** Freezes `value` and everything under it, and marks it for the canonical-JSON memo. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !deepFrozen.has(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
    deepFrozen.add(value);
  }
  return value;
}

/** True for objects `deepFreeze` froze: they and everything under them can never change. */
export const isDeepFrozen = (value: object): boolean => deepFrozen.has(value);

/** JSON with object keys in sorted order at every depth; arrays keep their order. `undefined` fields are omitted. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
    return JSON.stringify(value);
  }
  const frozen = deepFrozen.has(value);
  if (frozen) {
    const cached = canonicalOfFrozen.get(value);
    if (cached !== undefined) return cached;
  }
  let out: string;
  if (Array.isArray(value)) out = `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  else {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    out = `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  if (frozen) canonicalOfFrozen.set(value, out);
  return out;
}

export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** The snapshot with its version set from its content. */
export function withVersion(snapshot: Omit<ProxySnapshot, 'version'>): ProxySnapshot {
  return { version: contentHash(snapshot), ...snapshot };
}
