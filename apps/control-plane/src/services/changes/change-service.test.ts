import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors.ts';
import { createChangeService, decodeChangeCursor, encodeChangeCursor, SCAN_BUDGET } from './change-service.ts';
import type { ChangeRecord, ChangesQuery, ChangesRepo } from './ports.ts';

/** An in-memory repo with the real ordering and keyset semantics (no superset narrowing). */
function fakeRepo(rows: ChangeRecord[]): ChangesRepo & { queries: ChangesQuery[] } {
  const sorted = [...rows].sort((a, b) => b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : -1));
  const queries: ChangesQuery[] = [];
  return {
    queries,
    async list(q) {
      queries.push(q);
      return sorted
        .filter((r) => !q.before || r.at < q.before.at || (r.at.getTime() === q.before.at.getTime() && r.id < q.before.id))
        .slice(0, q.limit);
    },
  };
}

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const change = (n: number, target: string): ChangeRecord => ({
  id: id(n),
  at: new Date(Date.UTC(2026, 10, 26, 0, 0, n)),
  namespace: 'shop',
  kind: 'TrafficPolicy',
  name: `tp-${n}`,
  revision: 1,
  operation: 'create',
  message: '',
  actor: { type: 'user', name: 'ada' },
  spec: { targetRef: { kind: 'Service', name: target } },
});
const scope = { namespaces: ['shop'], includeCluster: false };

describe('change feed paging', () => {
  it('pages newest first with a cursor until the end', async () => {
    const service = createChangeService({ repo: fakeRepo([1, 2, 3, 4, 5].map((n) => change(n, 'payments'))) });
    const first = await service.list(scope, { limit: 2 });
    expect(first.items.map((i) => i.name)).toEqual(['tp-5', 'tp-4']);
    const second = await service.list(scope, { limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((i) => i.name)).toEqual(['tp-3', 'tp-2']);
    const last = await service.list(scope, { limit: 2, cursor: second.nextCursor! });
    expect(last).toEqual({ items: [expect.objectContaining({ name: 'tp-1', services: ['payments'], allServices: false })], nextCursor: null });
  });

  it('keeps only the changes touching the service, across batches', async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => change(i + 1, i % 400 === 0 ? 'payments' : 'inventory'));
    const page = await createChangeService({ repo: fakeRepo(rows) }).list(scope, { service: 'payments', limit: 10 });
    expect(page.items.map((i) => i.name)).toEqual(['tp-801', 'tp-401', 'tp-1']);
    expect(page.nextCursor).toBeNull();
  });

  it('stops after the scan budget and hands back a cursor to continue from', async () => {
    const rows = Array.from({ length: SCAN_BUDGET + 10 }, (_, i) => change(i + 1, i === 0 ? 'payments' : 'inventory'));
    const service = createChangeService({ repo: fakeRepo(rows) });
    const page = await service.list(scope, { service: 'payments', limit: 5 });
    expect(page.items).toEqual([]);
    expect(page.nextCursor).not.toBeNull();
    const rest = await service.list(scope, { service: 'payments', limit: 5, cursor: page.nextCursor! });
    expect(rest.items.map((i) => i.name)).toEqual(['tp-1']);
  });

  it('asks nothing when the scope is empty, and refuses an empty time range', async () => {
    const repo = fakeRepo([change(1, 'payments')]);
    const service = createChangeService({ repo });
    expect(await service.list({ namespaces: [], includeCluster: false }, {})).toEqual({ items: [], nextCursor: null });
    expect(repo.queries).toHaveLength(0);
    const at = new Date();
    await expect(service.list(scope, { since: at, until: at })).rejects.toThrow(/until: must be after since/);
  });
});

describe('change cursors', () => {
  it('round-trip, and anything else is refused naming the field', () => {
    const row = { at: new Date('2026-11-26T10:00:00.123Z'), id: id(7) };
    expect(decodeChangeCursor(encodeChangeCursor(row))).toEqual(row);
    for (const bad of ['nope', Buffer.from('[1,2]').toString('base64url'), Buffer.from('["x","y"]').toString('base64url')]) {
      expect(() => decodeChangeCursor(bad)).toThrow(InvalidInputError);
    }
  });
});
