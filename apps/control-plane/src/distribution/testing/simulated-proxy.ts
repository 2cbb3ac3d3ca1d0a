/**
 * A simulated proxy: the real stream protocol (packages/contracts/src/snapshot/stream.ts) without
 * a data plane. Integration tests and bench/propagation connect hundreds or thousands of these
 * to real control-plane processes. It validates each snapshot with the contracts schema and
 * ACKs it — or NACKs when validation fails or `reject` says so, keeping its previous version.
 */
import { ProxySnapshotSchema, STREAM_PATH, STREAM_SUBPROTOCOL, type Registration, type ServerMessage } from '@weft/contracts/snapshot';
import WebSocket from 'ws';

export interface SimulatedProxyOptions {
  /** Control plane base URL (http://127.0.0.1:7070). */
  url: string;
  token: string;
  /** The whole Authorization header instead of `Bearer <token>` (e.g. `WeftProof <JWS>`). */
  authorization?: string;
  registration: Registration;
  /** The version it "serves" (last-known-good), sent in hello. */
  currentVersion?: string;
  /** Return an error text to NACK this snapshot. */
  reject?: (snapshot: unknown, version: string) => string | undefined;
  /**
   * Return true to answer this snapshot with neither ACK nor NACK (a proxy still applying it); the
   * test answers later with `send({ type: 'ack', version })`, or never.
   */
  hold?: (snapshot: unknown, version: string) => boolean;
  /** Skip schema validation (the bench measures the control plane, not zod). Default false. */
  skipValidation?: boolean;
}

export interface Received {
  version: string;
  at: number;
  acked: boolean;
  /** Not answered (the `hold` option); `acked` is false. */
  held?: boolean;
}

export interface SimulatedProxy {
  readonly id: string;
  /** The version it serves: the last one it ACKed (or its currentVersion). */
  current(): string | undefined;
  received(): Received[];
  welcome: Promise<Extract<ServerMessage, { type: 'welcome' }>>;
  /** Resolves with the close code and reason when the stream ends. */
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves when `predicate` holds after a message (checked now, too). */
  waitFor(predicate: (p: SimulatedProxy) => boolean, timeoutMs?: number, what?: string): Promise<void>;
  goodbye(): void;
  /** Sends any client message (telemetry, or something hostile). */
  send(message: unknown): void;
  /** Drops the connection without a goodbye (as a crash would). */
  close(): void;
  onSnapshot(listener: (version: string, at: number) => void): void;
}

export function connectSimulatedProxy(opts: SimulatedProxyOptions): SimulatedProxy {
  const wsUrl = new URL(STREAM_PATH, opts.url.replace(/^http/, 'ws'));
  const ws = new WebSocket(wsUrl, STREAM_SUBPROTOCOL, { headers: { authorization: opts.authorization ?? `Bearer ${opts.token}` } });
  let current = opts.currentVersion;
  const received: Received[] = [];
  const waiters = new Set<() => void>();
  const listeners: Array<(version: string, at: number) => void> = [];
  let resolveWelcome!: (m: Extract<ServerMessage, { type: 'welcome' }>) => void;
  let rejectWelcome!: (err: Error) => void;
  const welcome = new Promise<Extract<ServerMessage, { type: 'welcome' }>>((resolve, reject) => {
    resolveWelcome = resolve;
    rejectWelcome = reject;
  });
  welcome.catch(() => {});
  let lastError = '';
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => {
      rejectWelcome(new Error(`stream closed before welcome: ${code} ${reason.toString() || lastError}`));
      resolve({ code, reason: reason.toString() });
      for (const w of waiters) w();
    });
  });
  ws.on('error', (err) => {
    lastError = err.message;
    rejectWelcome(err);
  });
  ws.on('unexpected-response', (_req, res) => {
    lastError = `HTTP ${res.statusCode}`;
    rejectWelcome(new Error(`upgrade refused: HTTP ${res.statusCode}`));
    ws.terminate();
  });
  ws.on('open', () => {
    ws.send(JSON.stringify({ type: 'hello', registration: opts.registration, ...(current !== undefined ? { currentVersion: current } : {}) }));
  });
  ws.on('message', (data: Buffer) => {
    const at = performance.now();
    const msg = JSON.parse(data.toString('utf8')) as ServerMessage;
    if (msg.type === 'welcome') resolveWelcome(msg);
    else if (msg.type === 'error') lastError = `${msg.code}: ${msg.message}`;
    else if (msg.type === 'snapshot') {
      let error: string | undefined;
      if (!opts.skipValidation) {
        const parsed = ProxySnapshotSchema.safeParse(msg.snapshot);
        if (!parsed.success) error = `snapshot invalid: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`;
      }
      error ??= opts.reject?.(msg.snapshot, msg.version);
      const held = error === undefined && opts.hold?.(msg.snapshot, msg.version) === true;
      if (held) {
        // Neither ACK nor NACK: the test answers later, or never.
      } else if (error === undefined) {
        current = msg.version;
        ws.send(JSON.stringify({ type: 'ack', version: msg.version }));
      } else {
        ws.send(JSON.stringify({ type: 'nack', version: msg.version, error }));
      }
      received.push({ version: msg.version, at, acked: error === undefined && !held, ...(held ? { held } : {}) });
      for (const l of listeners) l(msg.version, at);
    }
    for (const w of waiters) w();
  });

  const self: SimulatedProxy = {
    id: opts.registration.proxyId,
    current: () => current,
    received: () => received,
    welcome,
    closed,
    waitFor(predicate, timeoutMs = 10_000, what = 'condition') {
      if (predicate(self)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const check = () => {
          if (predicate(self)) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          } else if (ws.readyState === WebSocket.CLOSED) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(new Error(`proxy ${self.id}: stream closed while waiting for ${what} (${lastError})`));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`proxy ${self.id}: timed out after ${timeoutMs} ms waiting for ${what}; has ${current ?? 'nothing'}`));
        }, timeoutMs);
        waiters.add(check);
      });
    },
    goodbye() {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'goodbye' }));
    },
    send(message) {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
    },
    close() {
      ws.terminate();
    },
    onSnapshot(listener) {
      listeners.push(listener);
    },
  };
  return self;
}
