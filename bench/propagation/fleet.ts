/**
 * The parent's side of the simulated fleet: two worker processes (fleet-worker.ts), one per
 * replica, each holding that replica's proxies. Collects what they report — welcome times,
 * snapshot receipts, failures — and answers the questions the bench asks: has every proxy a
 * snapshot yet, which proxies received something since t, has the fleet been quiet for a while.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { epochNow } from './clock.ts';
import type { FromWorker, ToWorker } from './fleet-protocol.ts';
import type { PlannedProxy } from './topology.ts';

const WORKER = path.join(import.meta.dirname, 'fleet-worker.ts');

export interface ProxyState {
  plan: PlannedProxy;
  welcomedAt?: number;
  /** Every snapshot received: version and time (shared clock), in order. */
  receipts: Array<{ version: string; at: number }>;
  failure?: string;
}

/** What `watchFrom` counts. */
export interface Watch {
  since: number;
  which: (p: ProxyState) => boolean;
  /** Selected proxy idx → time of its first receipt at or after `since`. */
  first: Map<number, number>;
  repeats: number;
  others: number;
}

export class Fleet {
  readonly proxies: ProxyState[];
  readonly workers: ChildProcess[] = [];
  /** Sampled snapshot sizes in bytes, latest last. */
  readonly snapshotSizes: number[] = [];
  /** Proxies welcomed / holding at least one snapshot (kept up to date, cheap to ask). */
  welcomed = 0;
  withSnapshot = 0;
  failed = 0;
  /** Failed handshakes the workers retried, counted by reason. */
  readonly retries = new Map<string, number>();
  private lastEventAt = epochNow();
  private waiters = new Set<() => void>();
  private watch: Watch | undefined;
  private clockReplies = new Map<number, (worker: number) => void>();

  constructor(plan: PlannedProxy[]) {
    this.proxies = plan.map((p) => ({ plan: p, receipts: [] }));
  }

  /** Starts both workers (they connect nothing yet). */
  start(): void {
    for (let w = 0; w < 2; w++) {
      const child = fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      child.on('message', (msg: FromWorker) => this.onMessage(msg));
      this.workers.push(child);
    }
  }

  private onMessage(msg: FromWorker): void {
    if (msg.type === 'events') {
      for (const [idx, at] of msg.welcomed) {
        this.proxies[idx]!.welcomedAt = at;
        this.welcomed += 1;
      }
      for (const [idx, version, at] of msg.receipts) {
        const p = this.proxies[idx]!;
        if (p.receipts.length === 0) this.withSnapshot += 1;
        p.receipts.push({ version, at });
        if (at > this.lastEventAt) this.lastEventAt = at;
        const watch = this.watch;
        if (watch && at >= watch.since) {
          if (!watch.which(p)) watch.others += 1;
          else if (watch.first.has(idx)) watch.repeats += 1;
          else watch.first.set(idx, at);
        }
      }
      for (const [, why] of msg.retried) this.retries.set(why, (this.retries.get(why) ?? 0) + 1);
      for (const [idx, what] of msg.failed) {
        const p = this.proxies[idx]!;
        if (p.failure === undefined) this.failed += 1;
        p.failure ??= what;
      }
      for (const w of this.waiters) w();
    } else if (msg.type === 'clock') {
      this.clockReplies.get(msg.sent)?.(msg.worker);
    } else if (msg.type === 'snapshot-size') {
      this.snapshotSizes.push(msg.bytes);
    }
  }

  /** Connects every proxy of replica r through worker r, `concurrency` handshakes at a time each. */
  connect(urls: [string, string], token: string, concurrency: number, client: 'simulated' | 'lean'): void {
    for (let w = 0; w < 2; w++) {
      const mine = this.proxies.filter((p) => p.plan.replica === w).map((p) => ({ idx: p.plan.idx, registration: p.plan.registration }));
      this.post(w, { type: 'connect', url: urls[w]!, token, proxies: mine, concurrency, client });
    }
  }

  private post(w: number, msg: ToWorker): void {
    this.workers[w]!.send(msg);
  }

  /**
   * Offset of each worker's clock from this process's (positive: the worker reads later),
   * ± half the best round trip of `rounds` pings.
   */
  async clockCheck(rounds = 20): Promise<Array<{ offsetMs: number; uncertaintyMs: number }>> {
    const out: Array<{ offsetMs: number; uncertaintyMs: number }> = [];
    for (let w = 0; w < this.workers.length; w++) {
      let best = { offsetMs: 0, uncertaintyMs: Infinity };
      for (let i = 0; i < rounds; i++) {
        const sent = epochNow();
        const worker = await new Promise<number>((resolve) => {
          this.clockReplies.set(sent, resolve);
          this.post(w, { type: 'clock', sent });
        });
        const back = epochNow();
        this.clockReplies.delete(sent);
        const half = (back - sent) / 2;
        if (half < best.uncertaintyMs) best = { offsetMs: worker - (sent + half), uncertaintyMs: half };
      }
      out.push(best);
    }
    return out;
  }

  failures(): ProxyState[] {
    return this.proxies.filter((p) => p.failure !== undefined);
  }

  /** Resolves when `done()` holds (checked on every report), or after `timeoutMs` (returns false). */
  until(done: () => boolean, timeoutMs: number): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        resolve(done());
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  /** Waits until no snapshot arrived for `quietMs` (or `timeoutMs` passed); returns the quiet start. */
  async quiet(quietMs: number, timeoutMs: number): Promise<boolean> {
    const deadline = epochNow() + timeoutMs;
    while (epochNow() < deadline) {
      const idle = epochNow() - this.lastEventAt;
      if (idle >= quietMs) return true;
      await new Promise((r) => setTimeout(r, Math.min(quietMs - idle + 30, 250)));
    }
    return false;
  }

  /**
   * Starts counting receipts at or after `since`: the first per selected proxy (with its time),
   * repeats (a selected proxy receiving again), and receipts by proxies not selected.
   * Receipts already reported with a time ≥ since are counted too.
   */
  watchFrom(since: number, which: (p: ProxyState) => boolean): Watch {
    const watch: Watch = { since, which, first: new Map(), repeats: 0, others: 0 };
    for (const p of this.proxies) {
      for (const r of p.receipts) {
        if (r.at < since) continue;
        if (!which(p)) watch.others += 1;
        else if (watch.first.has(p.plan.idx)) watch.repeats += 1;
        else watch.first.set(p.plan.idx, r.at);
      }
    }
    this.watch = watch;
    return watch;
  }

  /** Receipts at or after `since` by the proxies `which` selects (a scan: for one-off questions). */
  countSince(since: number, which: (p: ProxyState) => boolean): { receipts: number; proxies: number } {
    let receipts = 0;
    let proxies = 0;
    for (const p of this.proxies) {
      if (!which(p)) continue;
      const n = p.receipts.filter((r) => r.at >= since).length;
      receipts += n;
      if (n > 0) proxies += 1;
    }
    return { receipts, proxies };
  }

  /** Time (shared clock) of the latest snapshot receipt reported. */
  lastReceiptAt(): number {
    return this.lastEventAt;
  }

  /** Closes every stream and ends both workers. */
  async stop(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            if (child.connected) child.send({ type: 'stop' } satisfies ToWorker);
            else child.kill('SIGTERM');
          }),
      ),
    );
  }
}
