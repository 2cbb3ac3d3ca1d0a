/**
 * The delivery ledger's write side: sends, ACKs, NACKs and disconnects are recorded in memory
 * at once and written in one statement per flush. At thousands of proxies a row update per ACK
 * would make Postgres the bottleneck of propagation; a flush every 200 ms costs one round trip.
 */
import type { LedgerUpdate, ProxiesRepo } from '../services/fleet/ports.ts';

export interface Ledger {
  record(update: LedgerUpdate): void;
  /** Writes what is pending (also called by the timer). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export function createLedger(deps: { repo: Pick<ProxiesRepo, 'applyLedger'>; flushMs?: number; onError: (err: unknown) => void }): Ledger {
  let pending = new Map<string, LedgerUpdate>();
  let flushing: Promise<void> = Promise.resolve();
  const timer = setInterval(() => void flush(), deps.flushMs ?? 200);
  timer.unref();

  function flush(): Promise<void> {
    if (pending.size === 0) return flushing;
    const batch = [...pending.values()];
    pending = new Map();
    // One flush at a time, in order: a later batch never overtakes an earlier one.
    flushing = flushing
      .then(() => deps.repo.applyLedger(batch))
      .catch((err: unknown) => {
        deps.onError(err);
        // Not lost: merged back under anything recorded since (newer fields win), for the next flush.
        for (const update of batch) pending.set(update.id, { ...update, ...pending.get(update.id) });
      });
    return flushing;
  }

  return {
    record(update) {
      const merged = { ...pending.get(update.id), ...update };
      pending.set(update.id, merged);
    },
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}
