/**
 * Live answers shared by everyone watching the same thing on this replica: one computation per
 * key and tick, however many consoles watch it (the topology subscription, docs/telemetry.md
 * "Live updates").
 *
 *   subscribe(key) ─▶ first subscriber starts the key's loop: compute ─▶ deliver ─▶ wait interval ─▶ …
 *                     later subscribers get the latest answer at once, then every tick
 *                     last subscriber gone ─▶ the loop stops
 *
 * A slow consumer sees only the newest answer (older ones are dropped, never queued), so memory
 * per subscriber is one answer. A computation that fails ends every subscription of its key with
 * the error: the client falls back to asking (and shows the error as any failed request).
 */

interface Channel<T> {
  listeners: Set<(next: Outcome<T>) => void>;
  latest?: Outcome<T>;
  timer?: NodeJS.Timeout;
  stopped: boolean;
}

type Outcome<T> = { value: T } | { error: unknown };

export interface LiveFeedOptions<T> {
  compute(key: string): Promise<T>;
  intervalMs: number;
}

export function createLiveFeed<T>(opts: LiveFeedOptions<T>) {
  const channels = new Map<string, Channel<T>>();

  function broadcast(channel: Channel<T>, outcome: Outcome<T>): void {
    channel.latest = outcome;
    for (const listener of channel.listeners) listener(outcome);
  }

  async function tick(key: string, channel: Channel<T>): Promise<void> {
    let outcome: Outcome<T>;
    try {
      outcome = { value: await opts.compute(key) };
    } catch (error) {
      outcome = { error };
    }
    if (channel.stopped) return;
    broadcast(channel, outcome);
    if ('error' in outcome) return stop(key, channel);
    channel.timer = setTimeout(() => void tick(key, channel), opts.intervalMs);
    channel.timer.unref();
  }

  function stop(key: string, channel: Channel<T>): void {
    channel.stopped = true;
    clearTimeout(channel.timer);
    if (channels.get(key) === channel) channels.delete(key);
  }

  function join(key: string, listener: (next: Outcome<T>) => void): () => void {
    let channel = channels.get(key);
    if (!channel) {
      channels.set(key, (channel = { listeners: new Set(), stopped: false }));
      void tick(key, channel);
    } else if (channel.latest && 'value' in channel.latest) {
      listener(channel.latest);
    }
    channel.listeners.add(listener);
    const joined = channel;
    return () => {
      joined.listeners.delete(listener);
      if (joined.listeners.size === 0) stop(key, joined);
    };
  }

  return {
    /** The answers for `key` as they are computed, until `signal` aborts (or a computation fails: thrown). */
    async *subscribe(key: string, signal: AbortSignal): AsyncGenerator<T, void, undefined> {
      let pending: Outcome<T> | undefined;
      let wake: (() => void) | undefined;
      const leave = join(key, (next) => {
        pending = next;
        wake?.();
      });
      const onAbort = () => wake?.();
      signal.addEventListener('abort', onAbort);
      try {
        while (!signal.aborted) {
          if (pending === undefined) await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
          if (signal.aborted || pending === undefined) continue;
          const next: Outcome<T> = pending;
          pending = undefined;
          if ('error' in next) throw next.error;
          yield next.value;
        }
      } finally {
        signal.removeEventListener('abort', onAbort);
        leave();
      }
    },
    /** Keys with a running loop (for tests and metrics). */
    activeKeys(): string[] {
      return [...channels.keys()];
    },
  };
}

export type LiveFeed<T> = ReturnType<typeof createLiveFeed<T>>;
