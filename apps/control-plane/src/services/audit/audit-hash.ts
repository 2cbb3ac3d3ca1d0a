/**
 * The audit log's hash chain, as a pure function:
 *
 *   hash(n) = SHA-256( canonical({ ...record(n), prevHash: hash(n-1) }) )      hash(0) = GENESIS_HASH
 *
 * Changing any hashed field of an entry changes its hash; removing or inserting an entry breaks the
 * next entry's `prevHash` link. The serialization below is frozen: stored entries are verified
 * with it forever, so a different one would need a format version stored with each entry.
 *
 * `seq` is deliberately not hashed. The chain order *is* the seq order (entries are appended under
 * one lock, and seq is assigned inside it), so reordering or renumbering shows up as broken links;
 * hashing seq too would add nothing and would tie the hash to a database sequence value that is
 * only known after the insert.
 */
import { createHash } from 'node:crypto';
import type { AuditEntry } from '@weft/contracts';

/** The `prevHash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** A JSON value as it round-trips through PostgreSQL `jsonb`. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Every field of an entry that its hash covers. Each is hashed because it is part of what the entry
 * claims and an attacker could want to change it:
 */
export interface AuditRecord {
  /** When: to move an action in or out of an incident window. Millisecond precision (the column's). */
  at: Date;
  /** Who (actorType, actorId, actorName): to pin an action on someone else. */
  actorType: AuditEntry['actorType'];
  actorId: string | null;
  actorName: string;
  /** What was done and to which object (action, targetKind, targetId, namespace). */
  action: string;
  targetKind: string;
  targetId: string;
  namespace: string | null;
  /** Which change (beforeVersion, afterVersion): to hide or substitute the content that changed. */
  beforeVersion: string | null;
  afterVersion: string | null;
  /** Whether it worked (outcome, reason): to turn a denied attempt into a success or back. */
  outcome: AuditEntry['outcome'];
  reason: string;
  /** Correlation with logs and the network (requestId, sourceAddress). */
  requestId: string;
  sourceAddress: string;
  /** Action-specific facts; null when there are none. */
  details: JsonValue | null;
}

/** SHA-256 (lower-case hex) of `record` chained to `prevHash`. */
export function hashEntry(record: AuditRecord, prevHash: string): string {
  const payload: { [key: string]: JsonValue } = {
    at: record.at.toISOString(),
    actorType: record.actorType,
    actorId: record.actorId ?? null,
    actorName: record.actorName,
    action: record.action,
    targetKind: record.targetKind,
    targetId: record.targetId,
    namespace: record.namespace ?? null,
    beforeVersion: record.beforeVersion ?? null,
    afterVersion: record.afterVersion ?? null,
    outcome: record.outcome,
    reason: record.reason,
    requestId: record.requestId,
    sourceAddress: record.sourceAddress,
    details: record.details ?? null,
    prevHash,
  };
  return createHash('sha256').update(canonicalJson(payload), 'utf8').digest('hex');
}

/**
 * JSON with object keys sorted (by UTF-16 code units) at every level, no whitespace, and numbers
 * and strings as JSON.stringify writes them. jsonb reorders keys and drops duplicates, so only a
 * key-order-free form survives the round trip through the database.
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`cannot hash the number ${value}: not JSON`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value)
    // An undefined property is absent, as in JSON.stringify and in what the database stores.
    .filter((key) => value[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] as JsonValue)}`).join(',')}}`;
}
