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

/** An optional setting where an empty value means unset. */
const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

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
  /** How long mesh traffic rollups (the topology's per-minute counts) are kept. */
  WEFT_TELEMETRY_RETENTION: durationSchema({ minMs: 3_600_000, maxMs: 90 * 24 * 3_600_000 }).default('168h'),
  /** How often a replica writes the traffic rollups of the telemetry it received. */
  WEFT_TELEMETRY_FLUSH: durationSchema({ minMs: 100, maxMs: 60_000 }).default('5s'),
  /** How often a watched topology (the console's live graph) is recomputed and pushed. */
  WEFT_TOPOLOGY_PUSH_INTERVAL: durationSchema({ minMs: 500, maxMs: 60_000 }).default('5s'),
  /** How long the record of a workload certificate is kept after it expired. */
  WEFT_CERTIFICATE_RETENTION: durationSchema({ minMs: 3_600_000, maxMs: 365 * 24 * 3_600_000 }).default('168h'),
  /** How long sampled spans (traces) are kept. */
  WEFT_TRACE_RETENTION: durationSchema({ minMs: 60_000, maxMs: 30 * 24 * 3_600_000 }).default('24h'),
  /** How often a replica writes the spans it received. */
  WEFT_TRACE_FLUSH: durationSchema({ minMs: 50, maxMs: 60_000 }).default('2s'),
  /** An OTLP/HTTP collector's base URL (…/v1/traces is appended): spans are also exported there. */
  WEFT_OTLP_ENDPOINT: optionalText.pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL such as http://collector:4318' }).optional()),
  /** The key-encryption key of the CA's private keys: base64 of 32 bytes (never logged). */
  WEFT_CA_KEK: optionalText.pipe(
    z
      .string()
      .refine((v) => /^[A-Za-z0-9+/]{43}=$/.test(v) && Buffer.from(v, 'base64').length === 32, { message: 'must be the base64 of 32 bytes (openssl rand -base64 32)' })
      .optional(),
  ),
  /** …or a file holding it (same format). */
  WEFT_CA_KEK_FILE: optionalText,
  /** An operator-provided CA: its certificate (root or intermediate) and key, PEM. */
  WEFT_CA_CERT_FILE: optionalText,
  WEFT_CA_KEY_FILE: optionalText,
  /** The root that issued WEFT_CA_CERT_FILE, when that is an intermediate. */
  WEFT_CA_ROOT_FILE: optionalText,
  /** Lifetime of workload certificates (proxies renew at half-life). */
  WEFT_CERT_LIFETIME: durationSchema({ minMs: 60_000, maxMs: 30 * 24 * 3_600_000 }).default('24h'),
})
  .superRefine((e, ctx) => {
    if (e.WEFT_CA_KEK && e.WEFT_CA_KEK_FILE) ctx.addIssue({ code: 'custom', path: ['WEFT_CA_KEK_FILE'], message: 'set either WEFT_CA_KEK or WEFT_CA_KEK_FILE, not both' });
    if (e.WEFT_CA_CERT_FILE && !e.WEFT_CA_KEY_FILE) ctx.addIssue({ code: 'custom', path: ['WEFT_CA_KEY_FILE'], message: 'is required with WEFT_CA_CERT_FILE (the CA private key, PEM)' });
    if (e.WEFT_CA_KEY_FILE && !e.WEFT_CA_CERT_FILE) ctx.addIssue({ code: 'custom', path: ['WEFT_CA_CERT_FILE'], message: 'is required with WEFT_CA_KEY_FILE (the CA certificate, PEM)' });
    if (e.WEFT_CA_ROOT_FILE && !e.WEFT_CA_CERT_FILE) ctx.addIssue({ code: 'custom', path: ['WEFT_CA_CERT_FILE'], message: 'is required with WEFT_CA_ROOT_FILE' });
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
  telemetryRetentionMs: number;
  telemetryFlushMs: number;
  topologyPushIntervalMs: number;
  traceRetentionMs: number;
  certificateRetentionMs: number;
  traceFlushMs: number;
  /** OTLP/HTTP base URL for span export; undefined: no export. */
  otlpEndpoint: string | undefined;
  /** Where the CA's key-encryption key comes from (runtime/kek.ts resolves it). Never logged. */
  caKek: { kind: 'value'; key: Buffer } | { kind: 'file'; path: string } | { kind: 'default' };
  /** An operator-provided CA (files, absolute paths), checked at start-up. */
  operatorCa: { certFile: string; keyFile: string; rootFile: string | undefined } | undefined;
  certLifetimeMs: number;
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
    telemetryRetentionMs: parseDuration(e.WEFT_TELEMETRY_RETENTION)!,
    telemetryFlushMs: parseDuration(e.WEFT_TELEMETRY_FLUSH)!,
    topologyPushIntervalMs: parseDuration(e.WEFT_TOPOLOGY_PUSH_INTERVAL)!,
    traceRetentionMs: parseDuration(e.WEFT_TRACE_RETENTION)!,
    certificateRetentionMs: parseDuration(e.WEFT_CERTIFICATE_RETENTION)!,
    traceFlushMs: parseDuration(e.WEFT_TRACE_FLUSH)!,
    otlpEndpoint: e.WEFT_OTLP_ENDPOINT,
    caKek: e.WEFT_CA_KEK
      ? { kind: 'value', key: Buffer.from(e.WEFT_CA_KEK, 'base64') }
      : e.WEFT_CA_KEK_FILE
        ? { kind: 'file', path: path.resolve(cwd, e.WEFT_CA_KEK_FILE) }
        : { kind: 'default' },
    operatorCa:
      e.WEFT_CA_CERT_FILE && e.WEFT_CA_KEY_FILE
        ? { certFile: path.resolve(cwd, e.WEFT_CA_CERT_FILE), keyFile: path.resolve(cwd, e.WEFT_CA_KEY_FILE), rootFile: e.WEFT_CA_ROOT_FILE ? path.resolve(cwd, e.WEFT_CA_ROOT_FILE) : undefined }
        : undefined,
    certLifetimeMs: parseDuration(e.WEFT_CERT_LIFETIME)!,
  };
}
