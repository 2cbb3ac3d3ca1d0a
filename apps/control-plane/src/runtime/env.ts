/**
 * The control plane's configuration, parsed once at start-up.
 *
 * This is the only module that reads `process.env` (../shared/STYLE.md item 8): every other
 * module receives a typed `Env`. A bad value fails fast with a message that names the variable.
 */
import path from 'node:path';
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
  WEFT_CP_PORT: port.default(7070),
  WEFT_EMBEDDED_PG_PORT: port.default(54329),
  WEFT_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WEFT_LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  WEFT_MIGRATIONS_DIR: z.string().min(1).optional(),
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
  /** Override for tests; defaults to the repository's prisma/migrations. */
  migrationsDir: string | undefined;
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
    migrationsDir: e.WEFT_MIGRATIONS_DIR ? path.resolve(cwd, e.WEFT_MIGRATIONS_DIR) : undefined,
  };
}
