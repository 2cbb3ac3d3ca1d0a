import type { PrismaClient } from '@weft/db';
import type { ThrottleRepo, ThrottleState } from '../services/access/ports.ts';

export function createThrottleRepo(prisma: PrismaClient): ThrottleRepo {
  return {
    async get(keys) {
      const rows = await prisma.loginThrottle.findMany({ where: { key: { in: keys } } });
      return new Map(rows.map((r) => [r.key, { failures: r.failures, windowStart: r.windowStart, lockedUntil: r.lockedUntil }]));
    },
    /**
     * One statement, so concurrent failures on several replicas all count: a window older than
     * `windowMs` restarts at 1; reaching `limit` sets `lockedUntil`.
     */
    async recordFailure(key, now, { windowMs, limit, lockMs }): Promise<ThrottleState> {
      const windowFloor = new Date(now.getTime() - windowMs);
      const lockUntil = new Date(now.getTime() + lockMs);
      const [row] = await prisma.$queryRaw<Array<{ failures: number; windowStart: Date; lockedUntil: Date | null }>>`
        INSERT INTO "LoginThrottle" ("key", "windowStart", "failures", "lockedUntil")
        VALUES (${key}, ${now}, 1, CASE WHEN 1 >= ${limit} THEN ${lockUntil}::timestamptz ELSE NULL END)
        ON CONFLICT ("key") DO UPDATE SET
          "failures" = CASE WHEN "LoginThrottle"."windowStart" < ${windowFloor} THEN 1 ELSE "LoginThrottle"."failures" + 1 END,
          "windowStart" = CASE WHEN "LoginThrottle"."windowStart" < ${windowFloor} THEN ${now} ELSE "LoginThrottle"."windowStart" END,
          "lockedUntil" = CASE
            WHEN (CASE WHEN "LoginThrottle"."windowStart" < ${windowFloor} THEN 1 ELSE "LoginThrottle"."failures" + 1 END) >= ${limit}
              THEN ${lockUntil}::timestamptz
            ELSE "LoginThrottle"."lockedUntil" END
        RETURNING "failures", "windowStart", "lockedUntil"`;
      return row!;
    },
    async reset(key) {
      await prisma.loginThrottle.deleteMany({ where: { key } });
    },
    async prune(now, windowMs) {
      const { count } = await prisma.loginThrottle.deleteMany({
        where: { windowStart: { lt: new Date(now.getTime() - windowMs) }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
      });
      return count;
    },
  };
}
