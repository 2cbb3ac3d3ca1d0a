import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeSnapshot, outboundService, route } from '../listeners/testing.ts';
import { createConfigStore, routeCount } from './config-store.ts';
import { openStateDir } from './state-dir.ts';
import { minimalSnapshot } from './testing.ts';

const self = { service: 'checkout', namespace: 'shop', version: 'v1' };

describe('state dir', () => {
  it('keeps the proxy id and the last-known-good snapshot across restarts, mode 0600', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'weft-proxy-'));
    const first = await openStateDir(dir);
    const id = await first.proxyId('checkout');
    expect(id).toMatch(/^checkout-[0-9a-f]{10}$/);
    expect(await (await openStateDir(dir)).proxyId('checkout')).toBe(id);
    expect((await first.loadLastKnownGood()).snapshot).toBeNull();
    await first.saveLastKnownGood(minimalSnapshot());
    expect((await (await openStateDir(dir)).loadLastKnownGood()).snapshot?.version).toBe('a'.repeat(64));
    expect((await stat(path.join(dir, 'last-known-good.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it('ignores a corrupt or invalid last-known-good file and says why', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'weft-proxy-'));
    const state = await openStateDir(dir);
    await writeFile(path.join(dir, 'last-known-good.json'), '{"version": "nope"');
    expect(await state.loadLastKnownGood()).toMatchObject({ snapshot: null, problem: expect.stringContaining('not JSON') });
    await writeFile(path.join(dir, 'last-known-good.json'), JSON.stringify({ ...minimalSnapshot(), version: 'short' }));
    expect(await state.loadLastKnownGood()).toMatchObject({ snapshot: null, problem: expect.stringContaining('version') });
  });
});

describe('config store', () => {
  it('swaps a valid snapshot, persists it, and keeps the previous one on any failure', async () => {
    const saved: string[] = [];
    const swaps: string[] = [];
    const store = createConfigStore({
      self,
      build: (s) => {
        if (s.egress.allowedHosts.includes('explode.example.com')) throw new Error('cannot build egress rule');
        return { routes: s.outbound.services.length };
      },
      onSwap: (next) => swaps.push(next.snapshot.version),
      persist: async (s) => void saved.push(s.version),
    });
    expect(await store.apply(minimalSnapshot('b'.repeat(64)), 'b'.repeat(64))).toEqual({ ok: true });
    expect(store.current()?.snapshot.version).toBe('b'.repeat(64));
    expect(saved).toEqual(['b'.repeat(64)]);

    const invalid = await store.apply({ ...minimalSnapshot('c'.repeat(64)), clusters: [{ name: 'bad' }] }, 'c'.repeat(64));
    expect(invalid).toMatchObject({ ok: false, error: expect.stringContaining('clusters.0') });
    const mismatch = await store.apply(minimalSnapshot('d'.repeat(64)), 'e'.repeat(64));
    expect(mismatch).toMatchObject({ ok: false, error: expect.stringContaining('does not match') });
    const other = await store.apply(minimalSnapshot('f'.repeat(64), { proxy: { service: 'payments', namespace: 'shop', version: 'v1' } }), 'f'.repeat(64));
    expect(other).toMatchObject({ ok: false, error: expect.stringContaining('payments.shop') });
    const unbuildable = await store.apply(minimalSnapshot('1'.repeat(64), { egress: { allowedHosts: ['explode.example.com'] } }), '1'.repeat(64));
    expect(unbuildable).toEqual({ ok: false, error: 'snapshot cannot be used: cannot build egress rule' });

    expect(store.current()?.snapshot.version).toBe('b'.repeat(64));
    expect(swaps).toEqual(['b'.repeat(64)]);
    // The same version again is a no-op ACK.
    expect(await store.apply(minimalSnapshot('b'.repeat(64)), 'b'.repeat(64))).toEqual({ ok: true });
    expect(swaps).toHaveLength(1);
  });

  it('NACKs a snapshot with more routes than --max-routes, on push and on restore, and keeps the previous one', async () => {
    const withRoutes = (n: number, version: string) => ({
      ...makeSnapshot({ proxy: self, services: [outboundService('reviews', 80, Array.from({ length: n }, (_, i) => route(`r${i}`)))] }),
      version,
    });
    expect(routeCount(withRoutes(3, 'a'.repeat(64)))).toBe(3);
    const store = createConfigStore({ self, build: () => ({}), maxRoutes: 2 });
    expect(await store.apply(withRoutes(2, '2'.repeat(64)), '2'.repeat(64))).toEqual({ ok: true });
    expect(await store.apply(withRoutes(3, '3'.repeat(64)), '3'.repeat(64))).toEqual({
      ok: false,
      error: "snapshot cannot be used: 3 routes, more than this proxy's --max-routes 2 allows (declare fewer --dependencies or raise --max-routes)",
    });
    expect(store.current()?.snapshot.version).toBe('2'.repeat(64));
    const fresh = createConfigStore({ self, build: () => ({}), maxRoutes: 2 });
    expect(fresh.restore(withRoutes(3, '3'.repeat(64)))).toMatchObject({ ok: false, error: expect.stringContaining('--max-routes 2') });
    // 0: no limit.
    const unlimited = createConfigStore({ self, build: () => ({}), maxRoutes: 0 });
    expect(await unlimited.apply(withRoutes(50, '5'.repeat(64)), '5'.repeat(64))).toEqual({ ok: true });
  });

  it('a persist failure does not NACK a snapshot that is in use', async () => {
    const problems: unknown[] = [];
    const store = createConfigStore({ self, build: () => ({}), persist: async () => Promise.reject(new Error('disk full')) });
    expect(await store.apply(minimalSnapshot(), 'a'.repeat(64), (e) => problems.push(e))).toEqual({ ok: true });
    expect(problems).toHaveLength(1);
  });

  it('reads the snapshot file it wrote (JSON, whole)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'weft-proxy-'));
    const state = await openStateDir(dir);
    await state.saveLastKnownGood(minimalSnapshot());
    expect(JSON.parse(await readFile(path.join(dir, 'last-known-good.json'), 'utf8')).proxy).toEqual(self);
  });
});
