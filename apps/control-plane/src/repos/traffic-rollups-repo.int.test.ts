/** TrafficRollup against a real PostgreSQL: additive upserts (two replicas' writes merge) and sums. */
import { LATENCY_BUCKET_COUNT, type Workload } from '@weft/contracts/telemetry';
import { createPrismaClient } from '@weft/db';
import { createTestDatabase, type TestDatabase } from '@weft/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RollupRow } from '../services/telemetry/ports.ts';
import { createTrafficRollupsRepo } from './traffic-rollups-repo.ts';

let db: TestDatabase;
let prisma: ReturnType<typeof createPrismaClient>;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
});
afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

const wl = (service: string, version = 'v1'): Workload => ({ namespace: 'shop', service, version });
const row = (minute: number, source: Workload | null, destination: Workload, requests: number, errors: number, bucket: number): RollupRow => {
  const counts = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
  counts[bucket] = requests;
  return { minute: new Date(minute), direction: 'inbound', source, destination, mtls: true, requests, errors, latency: { counts, sumMs: requests * 3 } };
};

describe('traffic rollups repo', () => {
  it('adds writes of the same minute and edge together, bucket by bucket, and sums a window', async () => {
    const repo = createTrafficRollupsRepo(prisma);
    const m = Date.parse('2026-11-26T10:00:00Z');
    // Two replicas write the same edge and minute.
    await repo.add([row(m, wl('checkout'), wl('payments'), 10, 1, 3), row(m, null, wl('checkout'), 4, 0, 2)]);
    await repo.add([row(m, wl('checkout'), wl('payments'), 5, 2, 6), row(m + 60_000, wl('checkout'), wl('payments'), 7, 0, 3)]);
    await repo.add([row(m, { namespace: 'bank', service: 'ledger', version: 'v1' }, { namespace: 'bank', service: 'vault', version: 'v1' }, 1, 0, 0)]);

    const all = await repo.sum(null, new Date(m), new Date(m + 120_000));
    const pay = all.find((t) => t.destination?.service === 'payments')!;
    expect([pay.requests, pay.errors, pay.latency.sumMs, pay.source]).toEqual([22, 3, 66, wl('checkout')]);
    expect(pay.latency.counts).toEqual(Object.assign(new Array(LATENCY_BUCKET_COUNT).fill(0), { 3: 17, 6: 5 }));
    const outside = all.find((t) => t.destination?.service === 'checkout')!;
    expect([outside.source, outside.requests]).toEqual([null, 4]);

    const firstMinute = await repo.sum('shop', new Date(m), new Date(m + 60_000));
    expect(firstMinute.map((t) => [t.destination?.service, t.requests]).sort()).toEqual([['checkout', 4], ['payments', 15]]);

    expect(await repo.prune(new Date(m + 60_000))).toBe(3); // the three edges of the first minute
    expect((await repo.sum(null, new Date(0), new Date(m + 120_000))).map((t) => t.requests)).toEqual([7]);
  });

  it('groups a window per step, buckets starting at since, and adds up to the sum of the window', async () => {
    const repo = createTrafficRollupsRepo(prisma);
    const m = Date.parse('2026-11-27T10:00:00Z');
    const minute = (k: number) => m + k * 60_000;
    await repo.add([
      row(minute(1), wl('checkout'), wl('payments'), 3, 0, 3), // before since
      row(minute(2), wl('checkout'), wl('payments'), 5, 1, 3),
      row(minute(6), wl('checkout'), wl('payments'), 7, 0, 4),
      row(minute(7), wl('checkout'), wl('payments'), 11, 2, 4),
      row(minute(7), null, wl('payments', 'v2'), 2, 0, 1),
      row(minute(8), { namespace: 'bank', service: 'ledger', version: 'v1' }, { namespace: 'bank', service: 'vault', version: 'v1' }, 9, 0, 0),
      row(minute(13), wl('checkout'), wl('payments'), 13, 0, 5), // at until: outside
    ]);
    const since = new Date(minute(2));
    const until = new Date(minute(13));
    const rows = await repo.series('shop', since, until, 5 * 60_000);
    const seen = rows.map((r) => [r.bucket.toISOString(), r.source?.service ?? null, r.destination?.version, r.requests, r.errors]).sort();
    // Minute 6 falls in the bucket starting at since (minute 2), not at a 5-minute mark of the clock.
    expect(seen).toEqual([
      [new Date(minute(2)).toISOString(), 'checkout', 'v1', 12, 1],
      [new Date(minute(7)).toISOString(), null, 'v2', 2, 0],
      [new Date(minute(7)).toISOString(), 'checkout', 'v1', 11, 2],
    ]);
    expect(rows.find((r) => r.requests === 12)!.latency.counts.slice(3, 5)).toEqual([5, 7]);

    const total = (list: { requests: number }[]) => list.reduce((n, r) => n + r.requests, 0);
    expect(total(rows)).toBe(total(await repo.sum('shop', since, until)));
    expect(await repo.series('shop', new Date(minute(20)), new Date(minute(30)), 60_000)).toEqual([]);
  });
});
