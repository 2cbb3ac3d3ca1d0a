import type { TransactionRunner, Tx } from '../transactions.ts';
import { actorOf, type Caller } from './caller.ts';

/** The part of the audit log that access-control services write to (services/audit/audit-log.ts). */
export interface AuditWriter {
  append(
    event: {
      actor: { type: 'user' | 'token' | 'system' | 'anonymous'; id: string | null; name: string };
      action: string;
      target?: { kind: string; id: string; namespace?: string | null };
      beforeVersion?: string | null;
      afterVersion?: string | null;
      outcome: 'success' | 'denied' | 'failure';
      reason?: string;
      requestId: string;
      sourceAddress: string;
      details?: Record<string, unknown>;
    },
    tx?: Tx,
  ): Promise<unknown>;
}

/**
 * Runs a change that writes its own success entry (auditSuccess) in one transaction, and only once
 * it has committed marks the request as audited — a rolled-back change leaves the API layer to
 * record the failure instead.
 */
export async function auditedRun<T>(transactions: TransactionRunner, caller: Caller, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const result = await transactions.run(fn);
  caller.auditRecorded = true;
  return result;
}

/**
 * Writes the success entry for `caller`'s request inside `tx`. Call it last in the transaction:
 * the audit chain's lock is held until commit.
 */
export async function auditSuccess(
  audit: AuditWriter,
  caller: Caller,
  tx: Tx,
  entry: {
    action: string;
    target: { kind: string; id: string; namespace?: string | null };
    beforeVersion?: string | null;
    afterVersion?: string | null;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await audit.append(
    {
      actor: actorOf(caller.principal),
      action: entry.action,
      target: entry.target,
      ...(entry.beforeVersion !== undefined ? { beforeVersion: entry.beforeVersion } : {}),
      ...(entry.afterVersion !== undefined ? { afterVersion: entry.afterVersion } : {}),
      outcome: 'success',
      requestId: caller.requestId,
      sourceAddress: caller.sourceAddress,
      ...(entry.details ? { details: entry.details } : {}),
    },
    tx,
  );
}
