/**
 * The proxies' streams (the protocol is in packages/contracts/src/snapshot/stream.ts): one
 * WebSocket per proxy, authenticated on upgrade, authorized per namespace on `hello`.
 *
 * Delivery rules, per connection:
 * - send the compiled snapshot when it differs from what the proxy has (its `currentVersion`,
 *   its last ACK) and from what was last sent;
 * - never send a version the proxy NACKed (remembered across reconnects through the ledger);
 * - one serialized message per version, shared by every proxy of the workload.
 * Liveness: ping every heartbeat; a connection that missed a pong is terminated; the open
 * streams' `lastSeenAt` is refreshed in one statement; expired registrations are swept.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { ClientMessageSchema, STREAM_CLOSE, STREAM_LIMITS, STREAM_SUBPROTOCOL, type ClientMessage, type ServerMessage } from '@weft/contracts/snapshot';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CompileResult } from '../compiler/index.ts';
import type { LocalInventory } from '../inventory/local-inventory.ts';
import type { ProxiesRepo } from '../services/fleet/ports.ts';
import type { Ledger } from './ledger.ts';
import type { MeshState } from './mesh-state.ts';

export type NamespaceDecision = { ok: true } | { ok: false; code: number; message: string };

export interface StreamLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface StreamServerOptions<P> {
  mesh: MeshState;
  inventory: LocalInventory;
  repo: Pick<ProxiesRepo, 'touch'>;
  ledger: Ledger;
  /** May this principal register a proxy of this namespace and service? */
  authorize: (principal: P, registration: { namespace: string; service: string }) => Promise<NamespaceDecision>;
  replica: string;
  /** Telemetry batches from the proxies (already checked to come from the stream's proxy). */
  onTelemetry?: (batch: Extract<ClientMessage, { type: 'telemetry' }>['batch']) => void;
  /** Inbound request shapes a proxy recorded (its own workload is the destination). */
  onRequestShapes?: (destination: { namespace: string; service: string }, requests: Extract<ClientMessage, { type: 'requests' }>['requests']) => void;
  heartbeatMs: number;
  expiryMs: number;
  /**
   * When the stream's credential stops being valid (a WeftProof's certificate expiry): the stream
   * is closed then with `goingAway`, and the proxy reconnects at once with a proof of its renewed
   * certificate. undefined: no expiry (API tokens are checked on connect only, like sessions).
   */
  credentialExpiry?: (principal: P) => Date | undefined;
  helloTimeoutMs?: number;
  logger: StreamLogger;
}

interface Connection<P> {
  ws: WebSocket;
  principal: P;
  proxyId?: string;
  /** The registered workload (set by hello). */
  workload?: { namespace: string; service: string };
  sentVersion?: string;
  sentAt?: number;
  /** What the proxy serves: its `currentVersion` at hello, then each ACKed version. */
  servingVersion?: string;
  /** When this stream's registration was stored: the ledger's disconnect applies to it only. */
  connectedSince?: Date;
  nacked: Set<string>;
  alive: boolean;
  /** Closed by `replaced` or `goodbye`: do not record a disconnect. */
  superseded: boolean;
}

/** PostgreSQL text cannot hold NUL or half a surrogate pair: replace them (U+FFFD). */
function storable(text: string): string {
  return text.replaceAll('\u0000', '\uFFFD').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** WebSocket close reasons are at most 123 bytes. */
function closeReason(text: string): string {
  const buf = Buffer.from(text);
  return buf.length <= 123 ? text : `${buf.subarray(0, 119).toString().replace(/\uFFFD$/, '')}...`;
}

function describeIssue(err: { issues: Array<{ path: PropertyKey[]; message: string }> }): string {
  const issue = err.issues[0]!;
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

export function createStreamServer<P>(opts: StreamServerOptions<P>) {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: STREAM_LIMITS.messageBytes,
    handleProtocols: (protocols) => (protocols.has(STREAM_SUBPROTOCOL) ? STREAM_SUBPROTOCOL : false),
  });
  const byProxy = new Map<string, Connection<P>>();
  const all = new Set<Connection<P>>();
  /**
   * Serialized `snapshot` messages of the current compile, by version, as UTF-8 bytes: given a
   * string, ws would encode it again for every connection (44 KiB × 2,500 streams per change at
   * 5,000 proxies). Sent as text frames (`binary: false`), as before.
   */
  let messages = new Map<string, Buffer>();
  let sent = 0;

  const send = (conn: Connection<P>, message: ServerMessage) => conn.ws.send(JSON.stringify(message));

  function fail(conn: Connection<P>, code: number, errorCode: string, message: string): void {
    if (conn.ws.readyState === conn.ws.OPEN) {
      send(conn, { type: 'error', code: errorCode, message });
      conn.ws.close(code, closeReason(message));
    }
  }

  function push(conn: Connection<P>): void {
    if (conn.proxyId === undefined || conn.ws.readyState !== conn.ws.OPEN) return;
    const desired = opts.mesh.desired(conn.proxyId);
    if (!desired) return;
    const { version } = desired.snapshot;
    if (version === conn.sentVersion || version === conn.servingVersion || conn.nacked.has(version)) return;
    let message = messages.get(version);
    if (message === undefined) {
      message = Buffer.from(JSON.stringify({ type: 'snapshot', version, snapshot: desired.snapshot } satisfies ServerMessage));
      messages.set(version, message);
    }
    conn.ws.send(message, { binary: false });
    const at = new Date();
    conn.sentVersion = version;
    conn.sentAt = at.getTime();
    sent += 1;
    opts.ledger.record({ id: conn.proxyId, sent: { version, at } });
  }

  opts.mesh.onCompiled((result: CompileResult) => {
    const next = new Map<string, Buffer>();
    for (const s of result.snapshots.values()) {
      const cached = messages.get(s.version);
      if (cached !== undefined) next.set(s.version, cached);
    }
    messages = next;
    for (const conn of byProxy.values()) push(conn);
  });

  async function hello(conn: Connection<P>, msg: Extract<ClientMessage, { type: 'hello' }>): Promise<void> {
    const reg = msg.registration;
    const decision = await opts.authorize(conn.principal, reg);
    if (!decision.ok) return fail(conn, decision.code, decision.code === STREAM_CLOSE.unauthenticated ? 'UNAUTHENTICATED' : 'FORBIDDEN', decision.message);
    const other = byProxy.get(reg.proxyId);
    if (other && other !== conn) {
      other.superseded = true;
      fail(other, STREAM_CLOSE.replaced, 'REPLACED', `proxy ${reg.proxyId} connected again; this stream is obsolete`);
    }
    conn.proxyId = reg.proxyId;
    conn.workload = { namespace: reg.namespace, service: reg.service };
    byProxy.set(reg.proxyId, conn);
    if (msg.currentVersion !== undefined) conn.servingVersion = msg.currentVersion;
    const { previous, connectedSince } = await opts.inventory.register(reg, opts.replica);
    conn.connectedSince = connectedSince;
    if (previous?.nackVersion) conn.nacked.add(previous.nackVersion);
    if (conn.ws.readyState !== conn.ws.OPEN) return;
    send(conn, { type: 'welcome', proxyId: reg.proxyId, replica: opts.replica, heartbeatIntervalMs: opts.heartbeatMs, endpointExpiryMs: opts.expiryMs });
    if (msg.currentVersion !== undefined && previous?.versionAcked !== msg.currentVersion) {
      opts.ledger.record({ id: reg.proxyId, acked: { version: msg.currentVersion, at: new Date(), latencyMs: null } });
    }
    // A new endpoint changes the inventory: the compile that follows pushes; a known one may
    // already have a snapshot waiting.
    push(conn);
  }

  async function onMessage(conn: Connection<P>, data: Buffer, isBinary: boolean): Promise<void> {
    let value: unknown;
    try {
      value = isBinary ? Symbol('binary') : JSON.parse(data.toString('utf8'));
    } catch {
      return fail(conn, STREAM_CLOSE.badMessage, 'BAD_MESSAGE', 'not JSON: send one JSON object per text frame');
    }
    const parsed = ClientMessageSchema.safeParse(value);
    if (!parsed.success) return fail(conn, STREAM_CLOSE.badMessage, 'BAD_MESSAGE', describeIssue(parsed.error));
    const msg = parsed.data;
    if (msg.type === 'hello') {
      if (conn.proxyId !== undefined) return fail(conn, STREAM_CLOSE.badMessage, 'BAD_MESSAGE', 'type: hello was already sent on this stream');
      return hello(conn, msg);
    }
    const proxyId = conn.proxyId;
    if (proxyId === undefined) return fail(conn, STREAM_CLOSE.badMessage, 'BAD_MESSAGE', `type: expected hello first, got ${msg.type}`);
    const at = new Date();
    switch (msg.type) {
      case 'ack': {
        const latencyMs = msg.version === conn.sentVersion && conn.sentAt !== undefined ? at.getTime() - conn.sentAt : null;
        conn.servingVersion = msg.version;
        opts.ledger.record({ id: proxyId, acked: { version: msg.version, at, latencyMs } });
        // The mesh may have moved on while this version was in flight.
        push(conn);
        return;
      }
      case 'nack':
        conn.nacked.add(msg.version);
        // The error text is the proxy's: make it storable (no NUL, no half surrogate pairs).
        opts.ledger.record({ id: proxyId, nack: { version: msg.version, error: storable(msg.error), at } });
        return;
      case 'telemetry':
        // A proxy reports for itself only.
        if (msg.batch.proxyId !== proxyId) return fail(conn, STREAM_CLOSE.badMessage, 'BAD_MESSAGE', `batch.proxyId: is ${msg.batch.proxyId}, but this stream is ${proxyId}'s`);
        opts.onTelemetry?.(msg.batch);
        return;
      case 'requests':
        // Filed under the workload the stream registered: a proxy reports its own inbound traffic only.
        if (conn.workload !== undefined) opts.onRequestShapes?.(conn.workload, msg.requests);
        return;
      case 'goodbye':
        conn.superseded = true;
        byProxy.delete(proxyId);
        await opts.inventory.deregister(proxyId);
        conn.ws.close(1000, 'goodbye');
        return;
    }
  }

  function accept(ws: WebSocket, principal: P): void {
    const conn: Connection<P> = { ws, principal, nacked: new Set(), alive: true, superseded: false };
    all.add(conn);
    const helloTimer = setTimeout(() => {
      if (conn.proxyId === undefined) fail(conn, STREAM_CLOSE.helloTimeout, 'HELLO_TIMEOUT', 'no hello within the time limit');
    }, opts.helloTimeoutMs ?? 10_000);
    helloTimer.unref();
    const expiry = opts.credentialExpiry?.(principal);
    const expiryTimer = expiry === undefined ? undefined : setTimeout(() => {
      fail(conn, STREAM_CLOSE.goingAway, 'CREDENTIAL_EXPIRED', 'the certificate this stream was opened with has expired; reconnect with a proof of the current one');
    }, Math.min(Math.max(0, expiry.getTime() - Date.now()), 2_147_483_647));
    expiryTimer?.unref();
    // Messages are handled one at a time, in order (hello finishes before the first ACK).
    let queue: Promise<void> = Promise.resolve();
    ws.on('message', (data: Buffer, isBinary) => {
      queue = queue
        .then(() => onMessage(conn, data, isBinary))
        .catch((err: unknown) => {
          opts.logger.warn({ err, proxyId: conn.proxyId }, 'proxy stream message failed');
          fail(conn, 1011, 'INTERNAL', 'the control plane could not handle this message; reconnect later');
        });
    });
    ws.on('pong', () => (conn.alive = true));
    ws.on('error', (err) => opts.logger.debug({ err, proxyId: conn.proxyId }, 'proxy stream error'));
    ws.on('close', () => {
      clearTimeout(helloTimer);
      clearTimeout(expiryTimer);
      all.delete(conn);
      if (conn.proxyId === undefined || conn.superseded) return;
      if (byProxy.get(conn.proxyId) === conn) byProxy.delete(conn.proxyId);
      if (conn.connectedSince) opts.ledger.record({ id: conn.proxyId, disconnected: { replica: opts.replica, since: conn.connectedSince } });
    });
  }

  const heartbeat = setInterval(() => {
    for (const conn of all) {
      if (!conn.alive) {
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      conn.ws.ping();
    }
    const ids = [...byProxy.keys()];
    opts.repo.touch(ids, opts.replica).catch((err: unknown) => opts.logger.warn({ err }, 'could not refresh proxy heartbeats'));
    opts.inventory.sweep().catch((err: unknown) => opts.logger.warn({ err }, 'could not sweep expired proxies'));
  }, opts.heartbeatMs);
  heartbeat.unref();

  return {
    /** Hands an authenticated upgrade request over to the stream server. */
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, principal: P): void {
      wss.handleUpgrade(req, socket, head, (ws) => accept(ws, principal));
    },
    connected(): number {
      return byProxy.size;
    },
    snapshotsSent(): number {
      return sent;
    },
    /** Closes every stream (1001: reconnect elsewhere) and stops the timers. */
    async close(): Promise<void> {
      clearInterval(heartbeat);
      for (const conn of all) {
        conn.superseded = true;
        if (conn.proxyId !== undefined && conn.connectedSince) opts.ledger.record({ id: conn.proxyId, disconnected: { replica: opts.replica, since: conn.connectedSince } });
        conn.ws.close(STREAM_CLOSE.goingAway, 'control plane shutting down');
      }
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

export type StreamServer = ReturnType<typeof createStreamServer>;
