/**
 * The console's server-side configuration, parsed once with zod (../../shared/STYLE.md item 8).
 * Only server code (src/proxy.ts, instrumentation) reads it; nothing here reaches the browser.
 */
import { z } from 'zod';

const EnvSchema = z.object({
  /** Where the control plane's HTTP API listens; /api/* and /trpc/* are forwarded there. */
  WEFT_API_URL: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL such as http://127.0.0.1:7070' })
    .default('http://127.0.0.1:7070'),
});

export interface ServerEnv {
  /** Base URL of the control plane, e.g. `http://127.0.0.1:7070`. */
  apiUrl: URL;
}

export class EnvError extends Error {
  override name = 'EnvError';
}

/** Parses an environment; throws EnvError naming every bad variable. */
export function parseServerEnv(source: Record<string, string | undefined>): ServerEnv {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new EnvError(`Invalid console configuration: ${problems.join('; ')}`);
  }
  return { apiUrl: new URL(parsed.data.WEFT_API_URL) };
}

let cached: ServerEnv | undefined;

/** The process's configuration, parsed on first use (at start-up, from src/instrumentation.ts). */
export function serverEnv(): ServerEnv {
  cached ??= parseServerEnv(process.env);
  return cached;
}
