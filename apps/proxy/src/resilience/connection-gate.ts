/**
 * The maxConnections / maxPendingRequests half of a cluster's circuit breaker, for HTTP/1.1
 * clusters: at most `maxConnections` tries on the wire at once (one connection each — undici does
 * not pipeline), the rest wait in FIFO order, at most `maxPendingRequests` of them; beyond that a
 * try fails fast. The undici pools below open and reuse the connections themselves; this gate
 * only decides how many may be busy at once across all endpoints of the cluster.
 */
import { checkPending, type CircuitBreakerLimits, type CircuitCounters } from './circuit-breaker.ts';

export type GateResult = { ok: true; release: () => void } | { ok: false; reason: string };

interface Waiter {
  limit: number;
  grant: () => void;
}

export interface ConnectionGate {
  /**
   * A slot on the wire, or why not: `reason` when maxPendingRequests are already waiting; when
   * `signal` aborts while waiting, the promise rejects with its reason.
   */
  acquire(limits: CircuitBreakerLimits, signal?: AbortSignal): Promise<GateResult>;
}

/** `counters.connections` and `counters.pending` are kept up to date for the circuit breaker. */
export function createConnectionGate(counters: CircuitCounters): ConnectionGate {
  const queue: Waiter[] = [];

  function releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      counters.connections--;
      drain();
    };
  }
  function drain(): void {
    while (queue.length > 0 && counters.connections < (queue[0] as Waiter).limit) {
      const next = queue.shift() as Waiter;
      counters.pending--;
      counters.connections++;
      next.grant();
    }
  }

  return {
    acquire(limits, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (counters.connections < limits.maxConnections && queue.length === 0) {
        counters.connections++;
        return Promise.resolve({ ok: true, release: releaser() });
      }
      const overflow = checkPending(counters, limits);
      if (overflow !== null) return Promise.resolve({ ok: false, reason: overflow });
      return new Promise<GateResult>((resolve, reject) => {
        const waiter: Waiter = {
          limit: limits.maxConnections,
          grant: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve({ ok: true, release: releaser() });
          },
        };
        const onAbort = (): void => {
          const i = queue.indexOf(waiter);
          if (i >= 0) {
            queue.splice(i, 1);
            counters.pending--;
          }
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        queue.push(waiter);
        counters.pending++;
      });
    },
  };
}
