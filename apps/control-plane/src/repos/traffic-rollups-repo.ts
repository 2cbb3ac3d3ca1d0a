/**
 * Mesh traffic per minute and edge (services/telemetry/ports.ts) in `TrafficRollup`. Writes add to
 * the existing rows (`requests = requests + EXCLUDED.requests`, latency counts element by element),
 * so any replica may write any proxy's batch and replicas merge in the database.
 */
import { LATENCY_BUCKET_COUNT, type Workload } from '@weft/contracts/telemetry';
import { Prisma, type PrismaClient } from '@weft/db';
import type { BucketTotals, EdgeTotals, RollupRow, TrafficRollupsRepo } from '../services/telemetry/ports.ts';

const BUCKETS = Array.from({ length: LATENCY_BUCKET_COUNT }, (_, i) => i + 1);
/** ARRAY[SUM("latencyCounts"[1]), …] — per-bucket sums over the grouped rows. */
const SUM_BUCKETS = Prisma.raw(`ARRAY[${BUCKETS.map((i) => `SUM("latencyCounts"[${i}])`).join(', ')}]::bigint[]`);

interface SumRow {
  /** Only when grouped per step. */
  bucket?: Date;
  direction: string;
  sourceNamespace: string;
  sourceService: string;
  sourceVersion: string;
  destNamespace: string;
  destService: string;
  destVersion: string;
  mtls: boolean;
  requests: bigint;
  errors: bigint;
  latencyCounts: Array<bigint | null>;
  latencySumMs: number;
}

/** '' stores an unknown workload (all three fields). */
const part = (w: Workload | null, f: keyof Workload): string => (w ? w[f] : '');
const workload = (namespace: string, service: string, version: string): Workload | null => (service === '' ? null : { namespace, service, version });

export function createTrafficRollupsRepo(prisma: PrismaClient): TrafficRollupsRepo {
  /**
   * Per edge, the sum over the minutes in [since, until) whose source or destination is in
   * `namespace` (all: null); with `stepMs`, per edge and bucket of that length starting at `since`.
   */
  async function grouped(namespace: string | null, since: Date, until: Date, stepMs: number | null): Promise<Array<EdgeTotals & { bucket?: Date }>> {
    const filter = namespace === null ? Prisma.empty : Prisma.sql`AND ("destNamespace" = ${namespace} OR "sourceNamespace" = ${namespace})`;
    const bucket = stepMs === null ? Prisma.empty : Prisma.sql`date_bin(make_interval(secs => ${stepMs / 1000}), "minute", ${since}::timestamptz) AS "bucket",`;
    const byBucket = stepMs === null ? Prisma.empty : Prisma.sql`, "bucket"`;
    const rows = await prisma.$queryRaw<SumRow[]>`
      SELECT ${bucket} "direction", "sourceNamespace", "sourceService", "sourceVersion", "destNamespace", "destService", "destVersion", "mtls",
             SUM("requests")::bigint AS "requests", SUM("errors")::bigint AS "errors", ${SUM_BUCKETS} AS "latencyCounts", SUM("latencySumMs") AS "latencySumMs"
      FROM "TrafficRollup"
      WHERE "minute" >= ${since} AND "minute" < ${until} ${filter}
      GROUP BY "direction", "sourceNamespace", "sourceService", "sourceVersion", "destNamespace", "destService", "destVersion", "mtls" ${byBucket}`;
    return rows.map((r) => ({
      ...(r.bucket === undefined ? {} : { bucket: r.bucket }),
      direction: r.direction === 'outbound' ? 'outbound' : 'inbound',
      source: workload(r.sourceNamespace, r.sourceService, r.sourceVersion),
      destination: workload(r.destNamespace, r.destService, r.destVersion),
      mtls: r.mtls,
      requests: Number(r.requests),
      errors: Number(r.errors),
      latency: { counts: r.latencyCounts.map((c) => Number(c ?? 0n)), sumMs: Number(r.latencySumMs) },
    }));
  }

  return {
    async add(rows: RollupRow[]): Promise<void> {
      if (rows.length === 0) return;
      const col = <T>(f: (r: RollupRow) => T): T[] => rows.map(f);
      // The histograms travel flat (LATENCY_BUCKET_COUNT per row) and are sliced back per row.
      const flat = rows.flatMap((r) => r.latency.counts);
      await prisma.$executeRaw`
        INSERT INTO "TrafficRollup" ("minute", "direction", "sourceNamespace", "sourceService", "sourceVersion", "destNamespace", "destService", "destVersion", "mtls", "requests", "errors", "latencyCounts", "latencySumMs")
        SELECT u.minute, u.direction, u.sns, u.ssvc, u.sver, u.dns, u.dsvc, u.dver, u.mtls, u.requests, u.errors,
               (${flat}::bigint[])[(u.k - 1) * ${LATENCY_BUCKET_COUNT} + 1 : u.k * ${LATENCY_BUCKET_COUNT}], u.sum
        FROM unnest(
          ${col((r) => r.minute)}::timestamptz[], ${col((r) => r.direction)}::varchar[],
          ${col((r) => part(r.source, 'namespace'))}::varchar[], ${col((r) => part(r.source, 'service'))}::varchar[], ${col((r) => part(r.source, 'version'))}::varchar[],
          ${col((r) => part(r.destination, 'namespace'))}::varchar[], ${col((r) => part(r.destination, 'service'))}::varchar[], ${col((r) => part(r.destination, 'version'))}::varchar[],
          ${col((r) => r.mtls)}::boolean[], ${col((r) => r.requests)}::bigint[], ${col((r) => r.errors)}::bigint[], ${col((r) => r.latency.sumMs)}::float8[]
        ) WITH ORDINALITY AS u(minute, direction, sns, ssvc, sver, dns, dsvc, dver, mtls, requests, errors, sum, k)
        ON CONFLICT ("minute", "direction", "sourceNamespace", "sourceService", "sourceVersion", "destNamespace", "destService", "destVersion", "mtls") DO UPDATE SET
          "requests" = "TrafficRollup"."requests" + EXCLUDED."requests",
          "errors" = "TrafficRollup"."errors" + EXCLUDED."errors",
          "latencyCounts" = ARRAY(SELECT a + b FROM unnest("TrafficRollup"."latencyCounts", EXCLUDED."latencyCounts") WITH ORDINALITY AS t(a, b, i) ORDER BY i),
          "latencySumMs" = "TrafficRollup"."latencySumMs" + EXCLUDED."latencySumMs"`;
    },

    sum(namespace: string | null, since: Date, until: Date): Promise<EdgeTotals[]> {
      return grouped(namespace, since, until, null);
    },

    series(namespace: string, since: Date, until: Date, stepMs: number): Promise<BucketTotals[]> {
      return grouped(namespace, since, until, stepMs) as Promise<BucketTotals[]>;
    },

    async prune(before: Date): Promise<number> {
      return prisma.$executeRaw`DELETE FROM "TrafficRollup" WHERE "minute" < ${before}`;
    },
  };
}
