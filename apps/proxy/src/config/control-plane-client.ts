/**
 * The proxy's side of the stream (packages/contracts/src/snapshot/stream.ts): connect, hello with
 * the version it serves, apply each snapshot and ACK it — or NACK with the reason and keep the old
 * one — and reconnect with exponential backoff and full jitter when the stream ends.
 *
 * The client never decides what a snapshot means: `apply` does (validate, build, swap, persist)
 * and says whether it worked.
 */
import { ServerMessageSchema, STREAM_CLOSE, STREAM_PATH, STREAM_SUBPROTOCOL, type ClientMessage, type Registration } from '@weft/contracts/snapshot';
import { WORKLOAD_PROOF } from '@weft/contracts/identity';
import WebSocket from 'ws';

export type ApplyOutcome = { ok: true } | { ok: false; error: string };

export interface ClientLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface ControlPlaneClientOptions {
  /** http(s)://host:port of any control-plane replica. */
  url: string;
  token: string | undefined;
  /**
   * The upgrade's Authorization header, asked for on every connection attempt (a fresh workload
   * proof each time); undefined: `Bearer <token>`. `previousRefused`: the last attempt ended
   * with 401/403 — the provider may fall back to another credential.
   */
  authorization?: (attempt: { previousRefused: boolean }) => Promise<string | undefined>;
  registration: Registration;
  /** The version being served now (last-known-good or the latest ACKed). */
  currentVersion: () => string | undefined;
  apply: (snapshot: unknown, version: string) => Promise<ApplyOutcome>;
  logger: ClientLogger;
  /** First retry after up to this long (default 250 ms)… */
  initialBackoffMs?: number;
  /** …doubling up to this (default 30 s). */
  maxBackoffMs?: number;
  random?: () => number;
}

export type ConnectionState = 'connecting' | 'connected' | 'waiting';

export interface ControlPlaneClient {
  start(): void;
  /** `goodbye`: leave the inventory now (graceful shutdown), then close. */
  stop(opts?: { goodbye?: boolean }): Promise<void>;
  state(): ConnectionState;
  /** Sends when connected; false otherwise (the caller keeps or drops it). */
  send(message: ClientMessage): boolean;
  /** Consecutive failed attempts since the last good connection. */
  failures(): number;
  /**
   * New credentials exist (the proxy's first workload certificate): a connection waiting out a
   * refusal tries again now instead of after the long wait for someone to fix them.
   */
  credentialsChanged(): void;
}

/** Close codes after which retrying with the same credentials is pointless until someone acts. */
const NEEDS_ACTION = new Set<number>([STREAM_CLOSE.unauthenticated, STREAM_CLOSE.forbidden]);

export function createControlPlaneClient(opts: ControlPlaneClientOptions): ControlPlaneClient {
  const initial = opts.initialBackoffMs ?? 250;
  const max = opts.maxBackoffMs ?? 30_000;
  const random = opts.random ?? Math.random;
  let ws: WebSocket | undefined;
  let state: ConnectionState = 'waiting';
  let attempts = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  // Snapshots are applied one at a time, in order.
  let applying: Promise<void> = Promise.resolve();
  let lastCloseCode = 0;
  const bearer = opts.token ? `Bearer ${opts.token}` : undefined;

  function connect(): void {
    if (stopped) return;
    state = 'connecting';
    if (!opts.authorization) return open(bearer);
    opts.authorization({ previousRefused: NEEDS_ACTION.has(lastCloseCode) }).then(
      (header) => open(header),
      (err: unknown) => {
        opts.logger.warn({ err: (err as Error).message }, 'could not make the stream credential; using the API token');
        open(bearer);
      },
    );
  }

  let toldWaiting = false;
  /**
   * No credential at all yet (a proxy bootstrapping with a join token, before its first
   * certificate): knocking would only be refused. Wait for credentialsChanged(), or retry late.
   */
  function awaitCredentials(): void {
    state = 'waiting';
    lastCloseCode = STREAM_CLOSE.unauthenticated;
    if (!toldWaiting) opts.logger.info({}, 'no credential for the control plane stream yet; connecting once the workload certificate is issued');
    toldWaiting = true;
    timer = setTimeout(connect, max * (0.5 + random() / 2));
    timer.unref();
  }

  function open(authorization: string | undefined): void {
    if (stopped) return;
    if (authorization === undefined) return awaitCredentials();
    // A refused workload proof with an API token to fall back on is retried soon, not after the
    // long wait for credentials someone must fix (control planes that do not take proofs yet).
    const canFallBack = bearer !== undefined && authorization !== undefined && authorization.startsWith(`${WORKLOAD_PROOF.scheme} `);
    const url = new URL(STREAM_PATH, opts.url.replace(/^http/, 'ws'));
    const socket = new WebSocket(url, STREAM_SUBPROTOCOL, {
      headers: authorization ? { authorization } : {},
      handshakeTimeout: 10_000,
      maxPayload: 64 * 1024 * 1024,
    });
    ws = socket;
    let closeCode = 0;
    let closeReason = '';
    socket.on('open', () => {
      const current = opts.currentVersion();
      socket.send(JSON.stringify({ type: 'hello', registration: opts.registration, ...(current ? { currentVersion: current } : {}) } satisfies ClientMessage));
    });
    socket.on('unexpected-response', (_req, res) => {
      closeReason = `HTTP ${res.statusCode} on upgrade`;
      closeCode = res.statusCode === 401 ? STREAM_CLOSE.unauthenticated : res.statusCode === 403 ? STREAM_CLOSE.forbidden : 0;
      socket.terminate();
    });
    socket.on('message', (data: Buffer) => {
      let parsed;
      try {
        parsed = ServerMessageSchema.safeParse(JSON.parse(data.toString('utf8')));
      } catch {
        opts.logger.warn({}, 'control plane sent a message that is not JSON; ignoring it');
        return;
      }
      if (!parsed.success) {
        opts.logger.warn({ issue: parsed.error.issues[0] }, 'control plane sent an unknown message; ignoring it');
        return;
      }
      const msg = parsed.data;
      if (msg.type === 'welcome') {
        state = 'connected';
        attempts = 0;
        opts.logger.info({ replica: msg.replica, proxyId: msg.proxyId }, 'connected to the control plane');
      } else if (msg.type === 'error') {
        closeReason = `${msg.code}: ${msg.message}`;
      } else if (msg.type === 'snapshot') {
        const { version, snapshot } = msg;
        applying = applying.then(async () => {
          const outcome = await opts.apply(snapshot, version).catch((err: unknown): ApplyOutcome => ({ ok: false, error: `apply failed: ${(err as Error).message}` }));
          if (socket.readyState !== WebSocket.OPEN) return;
          socket.send(JSON.stringify(outcome.ok ? { type: 'ack', version } : { type: 'nack', version, error: outcome.error.slice(0, 4096) }));
        });
      }
    });
    socket.on('error', (err) => {
      closeReason ||= err.message;
    });
    socket.on('close', (code, reason) => {
      if (ws === socket) ws = undefined;
      closeCode ||= code;
      closeReason ||= reason.toString();
      lastCloseCode = closeCode;
      if (stopped) return;
      state = 'waiting';
      attempts += 1;
      const ceiling = Math.min(max, initial * 2 ** Math.min(attempts - 1, 20));
      // Credentials the control plane refused will not work on a quick retry: wait the longest.
      const needsAction = NEEDS_ACTION.has(closeCode) && !canFallBack;
      const delay = needsAction ? max * (0.5 + random() / 2) : random() * ceiling;
      const log = NEEDS_ACTION.has(closeCode) ? opts.logger.warn : opts.logger.info;
      log.call(opts.logger, { code: closeCode, reason: closeReason, retryInMs: Math.round(delay), attempts }, 'control plane stream closed; reconnecting');
      timer = setTimeout(connect, delay);
      timer.unref();
    });
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      connect();
    },
    credentialsChanged() {
      if (stopped || state !== 'waiting' || !NEEDS_ACTION.has(lastCloseCode) || timer === undefined) return;
      clearTimeout(timer);
      timer = undefined;
      connect();
    },
    async stop(stopOpts = {}) {
      stopped = true;
      if (timer) clearTimeout(timer);
      const socket = ws;
      if (!socket) return;
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        if (stopOpts.goodbye && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'goodbye' } satisfies ClientMessage));
        socket.close(1000, 'proxy stopping');
        setTimeout(() => {
          socket.terminate();
          resolve();
        }, 2_000).unref();
      });
    },
    state: () => state,
    send(message) {
      if (!ws || ws.readyState !== WebSocket.OPEN || state !== 'connected') return false;
      ws.send(JSON.stringify(message));
      return true;
    },
    failures: () => attempts,
  };
}
