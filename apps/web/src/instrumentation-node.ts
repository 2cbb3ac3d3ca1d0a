import { EnvError, serverEnv } from './env';

/**
 * Parses the configuration at start-up. A bad WEFT_API_URL stops the server with one line,
 * instead of every proxied request failing later (Next would log the error and keep serving).
 */
export function checkServerEnv(): void {
  try {
    console.log(`console: forwarding /api and /trpc to ${serverEnv().apiUrl.origin}`);
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    console.error(`weft-console: ${err.message}`);
    process.exit(1);
  }
}
