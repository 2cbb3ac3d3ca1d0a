/**
 * LISTEN/NOTIFY fan-out between control-plane replicas (DESIGN.md "Deployment": Postgres is the
 * source of truth, NOTIFY tells every replica that something changed).
 *
 * One dedicated connection per listener (a pooled connection cannot hold LISTEN). When the
 * connection drops, the listener reconnects with backoff and calls `onResync`: notifications sent
 * while it was away are lost, so the caller must reload what it caches.
 */
import pg from 'pg';
import { silentLogger, type Logger } from './logger.ts';

export interface NotificationListenerOptions {
  databaseUrl: string;
  /** Channel names: lower-case identifiers (`weft_resources`). */
  channels: string[];
  onNotification: (channel: string, payload: string) => void;
  /** After a reconnect (not the first connect): reload everything that is cached. */
  onResync: () => void;
  logger?: Logger;
}

export interface NotificationListener {
  /** Resolves once LISTEN is active on every channel. */
  ready: Promise<void>;
  close(): Promise<void>;
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

export function createNotificationListener(opts: NotificationListenerOptions): NotificationListener {
  for (const c of opts.channels) if (!CHANNEL.test(c)) throw new Error(`not a channel name: ${c}`);
  const logger = opts.logger ?? silentLogger;
  let client: pg.Client | undefined;
  let closed = false;
  let attempt = 0;
  let timer: NodeJS.Timeout | undefined;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString: opts.databaseUrl });
    c.on('notification', (n) => opts.onNotification(n.channel, n.payload ?? ''));
    c.on('error', (err) => {
      logger.warn({ err }, 'notification listener connection failed');
      void c.end().catch(() => {});
    });
    c.on('end', () => {
      if (client === c) client = undefined;
      if (!closed) schedule();
    });
    try {
      await c.connect();
      for (const channel of opts.channels) await c.query(`LISTEN ${channel}`);
    } catch (err) {
      logger.warn({ err }, 'notification listener could not connect; retrying');
      c.removeAllListeners('end');
      await c.end().catch(() => {});
      if (!closed) schedule();
      return;
    }
    if (closed) {
      await c.end().catch(() => {});
      return;
    }
    client = c;
    const reconnected = attempt > 0;
    attempt = 0;
    markReady();
    if (reconnected) {
      logger.info({}, 'notification listener reconnected; resynchronising');
      opts.onResync();
    }
  }

  function schedule(): void {
    if (timer || closed) return;
    attempt += 1;
    const delay = Math.min(5_000, 100 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random() / 2);
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, delay);
    timer.unref();
  }

  void connect();
  return {
    ready,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = undefined;
      if (c) await c.end().catch(() => {});
    },
  };
}
