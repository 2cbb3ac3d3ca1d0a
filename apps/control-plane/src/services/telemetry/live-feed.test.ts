import { describe, expect, it } from 'vitest';
import { createLiveFeed } from './live-feed.ts';

/** Takes `n` answers from the subscription, then stops it. */
async function take<T>(it: AsyncGenerator<T>, n: number, controller: AbortController): Promise<T[]> {
  const out: T[] = [];
  for await (const v of it) {
    out.push(v);
    if (out.length === n) break;
  }
  controller.abort();
  return out;
}

describe('createLiveFeed', () => {
  it('computes once per key and tick for every subscriber, and stops when the last one leaves', async () => {
    const computed: string[] = [];
    const feed = createLiveFeed({ intervalMs: 5, compute: async (key) => (computed.push(key), `${key}#${computed.filter((k) => k === key).length}`) });
    const a = new AbortController();
    const b = new AbortController();
    const first = take(feed.subscribe('shop|15m', a.signal), 3, a);
    const second = take(feed.subscribe('shop|15m', b.signal), 2, b);
    const [x, y] = await Promise.all([first, second]);
    expect(x).toEqual(['shop|15m#1', 'shop|15m#2', 'shop|15m#3']);
    // The second subscriber joined before the first answer: it sees the same answers.
    expect(y).toEqual(['shop|15m#1', 'shop|15m#2']);
    expect(computed.length).toBe(3);
    expect(feed.activeKeys()).toEqual([]);
    await new Promise((r) => setTimeout(r, 20));
    expect(computed.length).toBe(3); // nothing computed once nobody watches
  });

  it('gives a late subscriber the latest answer at once', async () => {
    let n = 0;
    const feed = createLiveFeed({ intervalMs: 60_000, compute: async () => ++n });
    const a = new AbortController();
    const it = feed.subscribe('k', a.signal);
    expect((await it.next()).value).toBe(1);
    const b = new AbortController();
    expect(await take(feed.subscribe('k', b.signal), 1, b)).toEqual([1]);
    expect(n).toBe(1);
    a.abort();
    await it.return();
    expect(feed.activeKeys()).toEqual([]);
  });

  it('ends the subscriptions of a key whose computation fails, with the error', async () => {
    const feed = createLiveFeed<number>({ intervalMs: 5, compute: async () => Promise.reject(new Error('database unreachable')) });
    const a = new AbortController();
    await expect(take(feed.subscribe('k', a.signal), 1, a)).rejects.toThrow('database unreachable');
    expect(feed.activeKeys()).toEqual([]);
  });

  it('ends quietly when the subscriber aborts while waiting', async () => {
    const feed = createLiveFeed({ intervalMs: 60_000, compute: async () => 1 });
    const a = new AbortController();
    const it = feed.subscribe('k', a.signal);
    await it.next();
    const waiting = it.next();
    a.abort();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(feed.activeKeys()).toEqual([]);
  });
});
