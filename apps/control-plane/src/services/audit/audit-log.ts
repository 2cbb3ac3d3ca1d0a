/**
 * The tamper-evident audit log: one hash chain over all entries, shared by every control-plane
 * replica (audit-hash.ts describes the chain).
 *
 *   append ──▶ [caller's tx or a new one] ─ lock chain ─ read head ─ hash ─ insert ─ commit (unlock)
 *
 * One chain across processes: each append takes a transaction-scoped advisory lock on a fixed key
 * before reading the head, so appends are serialized until their transaction ends, and seq (taken
 * at insert) follows the chain order. The database rejects UPDATE, DELETE and TRUNCATE on the table
 * (a trigger in the init migration); `verify()` detects what someone able to bypass that changed.
 * It cannot detect removal of the newest entries (nothing follows them): that would need the head
 * hash kept somewhere else.
 */
import type { AuditEntry, AuditPage, AuditQuery, AuditVerification } from '@weft/contracts';
import { InvalidInputError } from '../errors.ts';
import type { TransactionRunner, Tx } from '../transactions.ts';
import { GENESIS_HASH, hashEntry, type AuditRecord, type JsonValue } from './audit-hash.ts';

/**
 * Something that happened, as a caller reports it. Callers must never put secrets here (passwords,
 * token secrets, session ids, cookies): entries can never be removed, and the service cannot tell
 * a secret from any other string.
 *
 * Strings longer than their column are truncated (ending in "…") rather than failing the request
 * being audited; characters PostgreSQL cannot store (NUL, unpaired surrogates) become U+FFFD.
 */
export interface AuditEvent {
  actor: { type: AuditEntry['actorType']; id: string | null; name: string };
  /** Dotted, domain first: `teams.create`, `auth.login`. */
  action: string;
  target?: { kind: string; id: string; namespace?: string | null };
  beforeVersion?: string | null;
  afterVersion?: string | null;
  outcome: AuditEntry['outcome'];
  /** Why it was denied or failed. */
  reason?: string;
  requestId: string;
  sourceAddress: string;
  /** Anything JSON can carry; bigints become strings, dates ISO strings. */
  details?: Readonly<Record<string, unknown>> | null;
}

/** An entry as stored: the hashed record plus its place in the chain. */
export interface StoredAuditEntry extends AuditRecord {
  seq: string;
  prevHash: string;
  hash: string;
}

/** What `list` shows of an entry (the wire type has no details). */
export type AuditSummary = Omit<StoredAuditEntry, 'details' | 'prevHash'>;

/** The newest entry, read under the chain lock, and the database's clock at that moment. */
export interface ChainHead {
  last: { hash: string; at: Date } | null;
  now: Date;
}

export interface AuditFilter {
  /** actorName or actorId, exactly. */
  actor?: string;
  action?: { exact: string } | { prefix: string };
  outcome?: AuditEntry['outcome'];
  namespace?: string;
  targetKind?: string;
  /** `from <= at < to`. */
  from?: Date;
  to?: Date;
}

/** The audit log's storage (implemented by repos/audit-repo.ts). */
export interface AuditRepo {
  /**
   * Takes the chain lock, held until `tx` ends, then reads the head in a later statement (so its
   * snapshot includes the entry of whoever held the lock before).
   */
  lockChain(tx: Tx): Promise<ChainHead>;
  /** Inserts an entry; returns its seq. */
  insert(tx: Tx, entry: AuditRecord & { prevHash: string; hash: string }): Promise<string>;
  /** Matching entries with seq < beforeSeq (all when null), newest first. */
  list(filter: AuditFilter, page: { beforeSeq: string | null; limit: number }): Promise<AuditSummary[]>;
  /** Entries with seq > afterSeq (from the first when null) in chain order. */
  chainPage(afterSeq: string | null, limit: number): Promise<StoredAuditEntry[]>;
}

export interface AuditLog {
  /**
   * Appends inside `tx` when given (the entry commits or rolls back with the change it records),
   * else in a transaction of its own. The chain lock is then held until `tx` ends, so make the
   * append the last statement of the transaction: everything after it delays every other append,
   * and waiting there for a row lock another appender holds would deadlock.
   */
  append(event: AuditEvent, tx?: Tx): Promise<{ seq: string; hash: string }>;
  /** Newest first; `nextCursor` is null on the last page. */
  list(query: AuditQuery): Promise<AuditPage>;
  /**
   * Re-hashes the whole chain, oldest first, a page at a time, and stops at the first entry that
   * does not match; `checked` counts the entries examined, that one included.
   */
  verify(): Promise<AuditVerification>;
}

export const MAX_PAGE_SIZE = 500;
/** Entries held in memory at a time while verifying. */
const VERIFY_PAGE_SIZE = 1_000;

/** Column sizes in prisma/schema.prisma (VarChar lengths, in characters). */
const LIMITS = {
  actorId: 64,
  actorName: 128,
  action: 128,
  targetKind: 64,
  targetId: 256,
  namespace: 63,
  version: 64,
  reason: 1024,
  requestId: 64,
  sourceAddress: 64,
} as const;

export function createAuditLog(deps: { repo: AuditRepo; transactions: TransactionRunner }): AuditLog {
  const { repo, transactions } = deps;

  async function appendIn(tx: Tx, fields: Omit<AuditRecord, 'at'>): Promise<{ seq: string; hash: string }> {
    const head = await repo.lockChain(tx);
    // The database clock, read under the lock, is one clock for all replicas; never going below the
    // previous entry's time keeps `at` in chain order even if that clock steps back.
    const at = head.last && head.last.at > head.now ? head.last.at : head.now;
    const record: AuditRecord = { ...fields, at };
    const prevHash = head.last?.hash ?? GENESIS_HASH;
    const hash = hashEntry(record, prevHash);
    const seq = await repo.insert(tx, { ...record, prevHash, hash });
    return { seq, hash };
  }

  return {
    async append(event, tx) {
      const fields = recordOf(event); // before locking: keeps the serialized part short
      return tx ? appendIn(tx, fields) : transactions.run((own) => appendIn(own, fields));
    },

    async list(query) {
      const limit = query.limit ?? 50;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
        throw new InvalidInputError(`limit must be 1-${MAX_PAGE_SIZE}`, [{ path: 'limit', message: `must be an integer from 1 to ${MAX_PAGE_SIZE}` }]);
      }
      const beforeSeq = query.cursor ? decodeCursor(query.cursor) : null;
      // One more than asked tells whether there is a next page without counting.
      const rows = await repo.list(filterOf(query), { beforeSeq, limit: limit + 1 });
      const entries = rows.slice(0, limit);
      const last = entries.at(-1);
      return { entries: entries.map(toWire), nextCursor: rows.length > limit && last ? encodeCursor(last.seq) : null };
    },

    async verify() {
      let checked = 0;
      let previous: { seq: string; hash: string } | null = null;
      for (;;) {
        const page = await repo.chainPage(previous?.seq ?? null, VERIFY_PAGE_SIZE);
        for (const entry of page) {
          checked += 1;
          const reason = problemOf(entry, previous);
          if (reason) return { ok: false, checked, firstBroken: { seq: entry.seq, reason } };
          previous = { seq: entry.seq, hash: entry.hash };
        }
        if (page.length < VERIFY_PAGE_SIZE) return { ok: true, checked, firstBroken: null };
      }
    },
  };
}

/** Why `entry` breaks the chain after `previous`, or undefined when it does not. */
function problemOf(entry: StoredAuditEntry, previous: { seq: string; hash: string } | null): string | undefined {
  // The entry's own hash first: a modified entry is reported as modified, not as a broken link.
  if (hashEntry(entry, entry.prevHash) !== entry.hash) return 'hash mismatch: entry was modified';
  if (!previous) return entry.prevHash === GENESIS_HASH ? undefined : 'first entry does not start from the genesis hash';
  if (entry.prevHash !== previous.hash) return `prevHash does not match entry ${previous.seq}: an entry was removed or inserted`;
  return undefined;
}

function recordOf(event: AuditEvent): Omit<AuditRecord, 'at'> {
  return {
    actorType: event.actor.type,
    actorId: fitOrNull(event.actor.id, LIMITS.actorId),
    actorName: fit(event.actor.name, LIMITS.actorName),
    action: fit(event.action, LIMITS.action),
    targetKind: fit(event.target?.kind ?? '', LIMITS.targetKind),
    targetId: fit(event.target?.id ?? '', LIMITS.targetId),
    namespace: fitOrNull(event.target?.namespace, LIMITS.namespace),
    beforeVersion: fitOrNull(event.beforeVersion, LIMITS.version),
    afterVersion: fitOrNull(event.afterVersion, LIMITS.version),
    outcome: event.outcome,
    reason: fit(event.reason ?? '', LIMITS.reason),
    requestId: fit(event.requestId, LIMITS.requestId),
    sourceAddress: fit(event.sourceAddress, LIMITS.sourceAddress),
    details: event.details == null ? null : storableJson(event.details),
  };
}

/**
 * Text as PostgreSQL will store and return it. NUL cannot be stored at all; an unpaired surrogate
 * would be written as U+FFFD by the driver's UTF-8 encoding and so no longer match the hash.
 */
function storableText(text: string): string {
  return text.replaceAll('\0', '\uFFFD').replace(/\p{Surrogate}/gu, '\uFFFD');
}

/** At most `max` characters (code points, as VarChar counts them). */
function fit(text: string, max: number): string {
  const clean = storableText(text);
  if (clean.length <= max) return clean; // UTF-16 units ≥ code points
  const chars = Array.from(clean);
  return chars.length <= max ? clean : `${chars.slice(0, max - 1).join('')}…`;
}

function fitOrNull(text: string | null | undefined, max: number): string | null {
  return text == null ? null : fit(text, max);
}

/** `value` as it will be read back from jsonb: plain JSON, storable strings (keys too). */
function storableJson(value: unknown): JsonValue {
  const json = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return json === undefined ? null : clean(JSON.parse(json) as JsonValue);

  function clean(v: JsonValue): JsonValue {
    if (typeof v === 'string') return storableText(v);
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map(clean);
    // Prisma drops "__proto__" keys when it writes JSON; drop them here too, or the stored entry
    // would not match its hash.
    const entries = Object.entries(v).filter(([k]) => k !== '__proto__');
    return Object.fromEntries(entries.map(([k, item]) => [storableText(k), clean(item)]));
  }
}

function filterOf(query: AuditQuery): AuditFilter {
  // An empty text filter (a cleared search box) means no filter.
  const text = (value: string | undefined) => (value ? value : undefined);
  const action = text(query.action);
  return {
    actor: text(query.actor),
    action: action === undefined ? undefined : action.endsWith('*') ? { prefix: action.slice(0, -1) } : { exact: action },
    outcome: query.outcome,
    namespace: text(query.namespace),
    targetKind: text(query.targetKind),
    from: dateOf(query.from, 'from'),
    to: dateOf(query.to, 'to'),
  };
}

function dateOf(value: string | undefined, field: string): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidInputError(`${field} is not a date`, [{ path: field, message: 'must be an ISO 8601 date-time' }]);
  return date;
}

const MAX_SEQ = 2n ** 63n - 1n;

/** The cursor is the last seq shown, base64url-encoded: opaque to clients, cheap to check. */
function encodeCursor(seq: string): string {
  return Buffer.from(seq, 'latin1').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const seq = /^[\w-]{1,32}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('latin1') : '';
  // Re-encoding must give the same text: base64 decoding alone accepts variants.
  if (!/^[1-9]\d{0,18}$/.test(seq) || BigInt(seq) > MAX_SEQ || encodeCursor(seq) !== cursor) {
    throw new InvalidInputError('cursor is not valid: pass nextCursor from the previous page', [
      { path: 'cursor', message: 'is not a cursor returned by this list' },
    ]);
  }
  return seq;
}

function toWire(entry: AuditSummary): AuditEntry {
  return {
    seq: entry.seq,
    at: entry.at.toISOString(),
    actorType: entry.actorType,
    actorId: entry.actorId,
    actorName: entry.actorName,
    action: entry.action,
    targetKind: entry.targetKind,
    targetId: entry.targetId,
    namespace: entry.namespace,
    beforeVersion: entry.beforeVersion,
    afterVersion: entry.afterVersion,
    outcome: entry.outcome,
    reason: entry.reason,
    requestId: entry.requestId,
    sourceAddress: entry.sourceAddress,
    hash: entry.hash,
  };
}
