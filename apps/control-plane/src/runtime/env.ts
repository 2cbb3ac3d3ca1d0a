/**
 * The control plane's configuration, parsed once at start-up.
 *
 * This is the only module that reads `process.env` (../shared/STYLE.md item 8): every other
 * module receives a typed `Env`. A bad value fails fast with a message that names the variable.
 */
import { isIP } from 'node:net';
import path from 'node:path';
import { durationSchema, parseDuration } from '@weft/contracts/resources';
import { z } from 'zod';

const port = z.coerce
  .number({ message: 'must be a number' })
  .int('must be an integer')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

const EnvSchema = z.object({
  WEFT_HOME: z.string().min(1).default('.weft'),
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
  WEFT_CP_HOST: z.string().min(1).default('127.0.0.1'),
  /** 0 asks the OS for a free port (tests). */
  WEFT_CP_PORT: z.coerce.number({ message: 'must be a number' }).int('must be an integer').min(0, 'must be between 0 and 65535').max(65535, 'must be between 0 and 65535').default(7070),
  WEFT_EMBEDDED_PG_PORT: port.default(54329),
  WEFT_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WEFT_LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  WEFT_ADMIN_PASSWORD: z.string().min(1).optional(),
  WEFT_SESSION_IDLE_MINUTES: z.coerce.number({ message: 'must be a number' }).int().min(1, 'must be at least 1').max(1440).default(30),
  WEFT_SESSION_MAX_HOURS: z.coerce.number({ message: 'must be a number' }).int().min(1, 'must be at least 1').max(720).default(12),
  WEFT_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/, message: 'must be comma-separated origins such as https://weft.example.com' }))),
  WEFT_COOKIE_SECURE: z.enum(['auto', 'always', 'never']).default('auto'),
  WEFT_TRUSTED_PROXIES: z
    .string()
    .default('loopback')
    .transform((v) => v.split(',').map((p) => p.trim()).filter(Boolean))
    .pipe(
      z.array(
        z.string().refine((p) => p === 'loopback' || p === 'none' || isIP(p.split('/')[0]!) !== 0, {
          message: 'must be loopback, none, or comma-separated IP addresses / CIDR ranges',
        }),
      ),
    ),
  WEFT_MIGRATIONS_DIR: z.string().min(1).optional(),
  /** Ping interval of proxy streams; also how often their `lastSeenAt` is refreshed. */
  WEFT_PROXY_HEARTBEAT: durationSchema({ minMs: 100, maxMs: 300_000 }).default('10s'),
  /** An endpoint whose proxy is connected nowhere for this long leaves the inventory. */
  WEFT_ENDPOINT_EXPIRY: durationSchema({ minMs: 300, maxMs: 86_400_000 }).default('40s'),
  /** A sent snapshot not acknowledged within this makes the proxy STALE. */
  WEFT_ACK_DEADLINE: durationSchema({ minMs: 100, maxMs: 600_000 }).default('10s'),
  /** Quiet time before recompiling after a change (changes in a burst compile once). */
  WEFT_COMPILE_DEBOUNCE: durationSchema({ minMs: 0, maxMs: 10_000 }).default('20ms'),
  /** How long recorded request shapes (the authorization preview's traffic) are kept. */
  WEFT_REQUEST_SHAPE_RETENTION: durationSchema({ minMs: 3_600_000, maxMs: 7 * 24 * 3_600_000 }).default('24h'),
  /** How often a replica writes the request shapes it received. */
  WEFT_REQUEST_SHAPE_FLUSH: durationSchema({ minMs: 100, maxMs: 60_000 }).default('5s'),
});

export type Env = {
  /** State directory (embedded Postgres data, generated secrets). Absolute. */
  home: string;
  /** External PostgreSQL; when undefined an embedded server is started under `home`. */
  databaseUrl: string | undefined;
  host: string;
  port: number;
  embeddedPostgresPort: number;
  logLevel: z.infer<typeof EnvSchema>['WEFT_LOG_LEVEL'];
  /** JSON lines for machines (default); `pretty` for people, e.g. in the demo. */
  logFormat: 'json' | 'pretty';
  /** Password for the first `admin` account; generated and printed once when unset. Never logged. */
  adminPassword: string | undefined;
  sessionIdleMs: number;
  sessionMaxMs: number;
  allowedOrigins: string[];
  cookieSecure: 'auto' | 'always' | 'never';
  /** Proxies whose X-Forwarded-For is believed (api/request.ts). */
  trustedProxies: string[];
  /** Override for tests; defaults to the repository's prisma/migrations. */
  migrationsDir: string | undefined;
  proxyHeartbeatMs: number;
  endpointExpiryMs: number;
  ackDeadlineMs: number;
  compileDebounceMs: number;
  requestShapeRetentionMs: number;
  requestShapeFlushMs: number;
};

export class EnvError extends Error {
  override name = 'EnvError';
}

/** Parses the environment; throws EnvError whose message names every bad variable on one line. */
export function parseEnv(source: Record<string, string | undefined> = process.env, cwd = process.cwd()): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new EnvError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return {
    home: path.resolve(cwd, e.WEFT_HOME),
    databaseUrl: e.DATABASE_URL,
    host: e.WEFT_CP_HOST,
    port: e.WEFT_CP_PORT,
    embeddedPostgresPort: e.WEFT_EMBEDDED_PG_PORT,
    logLevel: e.WEFT_LOG_LEVEL,
    logFormat: e.WEFT_LOG_FORMAT,
    adminPassword: e.WEFT_ADMIN_PASSWORD,
    sessionIdleMs: e.WEFT_SESSION_IDLE_MINUTES * 60_000,
    sessionMaxMs: e.WEFT_SESSION_MAX_HOURS * 3_600_000,
    allowedOrigins: e.WEFT_ALLOWED_ORIGINS.map((o) => new URL(o).origin),
    cookieSecure: e.WEFT_COOKIE_SECURE,
    trustedProxies: e.WEFT_TRUSTED_PROXIES,
    migrationsDir: e.WEFT_MIGRATIONS_DIR ? path.resolve(cwd, e.WEFT_MIGRATIONS_DIR) : undefined,
    proxyHeartbeatMs: parseDuration(e.WEFT_PROXY_HEARTBEAT)!,
    endpointExpiryMs: parseDuration(e.WEFT_ENDPOINT_EXPIRY)!,
    ackDeadlineMs: parseDuration(e.WEFT_ACK_DEADLINE)!,
    compileDebounceMs: parseDuration(e.WEFT_COMPILE_DEBOUNCE)!,
    requestShapeRetentionMs: parseDuration(e.WEFT_REQUEST_SHAPE_RETENTION)!,
    requestShapeFlushMs: parseDuration(e.WEFT_REQUEST_SHAPE_FLUSH)!,
  };
}
