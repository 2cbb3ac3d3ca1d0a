/**
 * The hardened HTTP/1.1 server both traffic listeners run on, and the per-request guards any
 * server (HTTP/1.1 now; h2c and TLS later) puts in front of a listener's handler.
 *
 *   bytes ─▶ Node's strict llhttp parser ──parse error / header overflow / timeout──▶ clientError:
 *            (maxHeaderSize, headersTimeout,                                     raw 400/431/408,
 *             requestTimeout, maxConnections)                                    connection closed
 *                       │
 *                       ▼ request
 *            guards: HTTP version · header count · one Host · Transfer-Encoding is `chunked`
 *                    · load shedding (in flight, heap) · Content-Length ≤ maxBodyBytes
 *                       │                                       └─ answered, before any work
 *                       ▼
 *            Exchange (exchange.ts): body limit counted while streaming; `signal` aborts when
 *            the client goes away ──▶ listener handler (outbound.ts / inbound.ts)
 *
 * Strict parsing is Node's default and is never relaxed (no `insecureHTTPParser`): it rejects
 * Content-Length with Transfer-Encoding, duplicate or list-valued Content-Length, a
 * Transfer-Encoding whose last coding is not `chunked`, bare CR or LF, whitespace before a
 * header colon, obsolete line folding, invalid header characters and chunk-extension floods
 * (over 16 KiB per chunk). Each of those arrives here as a `clientError`, is answered 400 with
 * `Connection: close`, and the socket is destroyed: bytes after a framing error are never
 * interpreted as another request. The guards add what the parser allows but a proxy must not
 * forward ambiguously: two Host headers, and transfer codings other than exactly `chunked`.
 *
 * CONNECT is refused with 405 unless the caller passes a `connect` handler: the outbound
 * listener does (connect-tunnel.ts: tunnels to egress-allowlisted hosts only, never an open proxy).
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { Transform, type TransformCallback } from 'node:stream';
import { createExchange, headerSafe, reply, type DownstreamRequest, type DownstreamResponse, type Exchange } from './exchange.ts';
import type { ListenerLimits } from './limits.ts';
import { overloadReason } from './overload.ts';
import type { ListenerStats } from './stats.ts';

export type ExchangeHandler = (ex: Exchange) => void | Promise<void>;

export interface GuardEnv {
  limits: ListenerLimits;
  stats: ListenerStats;
  /** Called once per exchange when its response is finished or abandoned (telemetry). */
  onDone?: (ex: Exchange) => void;
  /** Unexpected errors (a handler bug): logged, answered 500, never thrown. */
  onError?: (err: unknown) => void;
}

const noop = (): void => {};

/** The reason a request loses the race with the client (telemetry: status 499). */
export const CLIENT_CLOSED = 'client closed request';

/**
 * Wraps a listener handler with the per-request guards and the bookkeeping every exchange needs
 * (error handlers on both streams, in-flight count, abort on client disconnect). The returned
 * function is a `request` listener for http.Server and for http2's compat API.
 */
export function guardedHandler(handler: ExchangeHandler, env: GuardEnv, scheme: 'http' | 'https' = 'http') {
  const { limits, stats } = env;
  return function onRequest(req: DownstreamRequest, res: DownstreamResponse, expectContinue = false): Exchange {
    stats.requests++;
    req.on('error', noop);
    res.on('error', noop);
    const ex = createExchange(req, res, scheme);
    if (stats.security !== undefined) {
      if (ex.peer.mtls) stats.security.mtls++;
      else if (ex.peer.tls) stats.security.tls++;
      else stats.security.plaintext++;
    }
    stats.inFlight++;
    res.once('close', () => {
      stats.inFlight--;
      if (!res.writableFinished) {
        stats.clientAborts++;
        ex.abort(CLIENT_CLOSED);
      }
      if (ex.reason !== undefined) stats.local++;
      try {
        env.onDone?.(ex);
      } catch (err) {
        env.onError?.(err);
      }
    });

    const rejection = check(ex, limits, stats.inFlight - 1);
    if (rejection !== undefined) {
      if (rejection.status === 503) stats.shed++;
      if (rejection.status === 431) stats.headersTooLarge++;
      if (rejection.status === 413) stats.bodyTooLarge++;
      reply(ex, rejection.status, rejection.reason, { close: rejection.close });
      return ex;
    }
    if (ex.body !== null && limits.maxBodyBytes > 0 && ex.headers['content-length'] === undefined) {
      ex.body = limitBody(ex, limits.maxBodyBytes, () => {
        stats.bodyTooLarge++;
        reply(ex, 413, 'request body too large', { close: true });
        ex.abort('request body too large');
      });
    }
    if (expectContinue) res.writeContinue();
    try {
      const done = handler(ex);
      if (done !== undefined) {
        done.catch((err: unknown) => {
          env.onError?.(err);
          reply(ex, 500, 'internal proxy error');
        });
      }
    } catch (err) {
      env.onError?.(err);
      reply(ex, 500, 'internal proxy error');
    }
    return ex;
  };
}

function anyClosing(exchanges: Set<Exchange>): boolean {
  for (const e of exchanges) if (e.closeConnection) return true;
  return false;
}

interface Rejection {
  status: number;
  reason: string;
  close: boolean;
}

function check(ex: Exchange, limits: ListenerLimits, inFlight: number): Rejection | undefined {
  const req = ex.req;
  if (ex.protocol === 'h1' && req.httpVersionMajor !== 1) return { status: 505, reason: 'HTTP version not supported', close: true };
  const raw = req.rawHeaders;
  if (raw.length / 2 > limits.maxHeaderCount) return { status: 431, reason: `more than ${limits.maxHeaderCount} header fields`, close: true };
  if (ex.protocol === 'h1') {
    let hosts = 0;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i]!;
      if (name.length === 4 && name.toLowerCase() === 'host') hosts++;
    }
    if (hosts > 1) return { status: 400, reason: 'more than one Host header', close: true };
    const te = ex.headers['transfer-encoding'];
    if (te !== undefined && te.trim().toLowerCase() !== 'chunked') return { status: 400, reason: 'unsupported Transfer-Encoding (only chunked)', close: true };
  }
  const overload = overloadReason(inFlight, limits);
  if (overload !== undefined) return { status: 503, reason: overload, close: ex.body !== null };
  if (limits.maxBodyBytes > 0) {
    const cl = ex.headers['content-length'];
    if (cl !== undefined && Number(cl) > limits.maxBodyBytes) return { status: 413, reason: 'request body too large', close: true };
  }
  return undefined;
}

/**
 * The body as a stream that fails once more than `max` bytes went through, calling `onExceeded`
 * first. The downstream request is unpiped, never destroyed (its connection answers the 413).
 */
function limitBody(ex: Exchange, max: number, onExceeded: () => void) {
  const source = ex.body!;
  let bytes = 0;
  const limited = new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
      bytes += chunk.length;
      if (bytes > max) {
        source.unpipe(limited);
        onExceeded();
        cb(new Error('request body too large'));
        return;
      }
      cb(null, chunk);
    },
  });
  limited.on('error', noop);
  source.on('error', (err) => limited.destroy(err));
  source.pipe(limited);
  return limited;
}

// ── the HTTP/1.1 server ─────────────────────────────────────────────────────────────────────────

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 405: 'Method Not Allowed', 408: 'Request Timeout', 431: 'Request Header Fields Too Large', 502: 'Bad Gateway', 503: 'Service Unavailable' };

/** A complete HTTP/1.1 response written straight to a socket that has no usable parser state. */
export function rawResponse(status: number, reason: string, extra: Record<string, string> = {}): string {
  const body = JSON.stringify({ error: reason, status });
  const lines = [`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}`, 'connection: close', 'content-type: application/json', `content-length: ${Buffer.byteLength(body)}`, `x-weft-reason: ${headerSafe(reason)}`];
  for (const [k, v] of Object.entries(extra)) lines.push(`${k}: ${headerSafe(v)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** How long a socket that was answered and half-closed may linger so the client reads the answer. */
const LINGER_MS = 1_000;
/** How long responses still owed on a connection that failed to parse may take before it is cut. */
const PIPELINE_DRAIN_MS = 10_000;

/** Ends the socket after `response`, then destroys it once written (or after LINGER_MS at most). */
export function answerAndClose(socket: Duplex, response: string): void {
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  socket.end(response, () => socket.destroy());
}

function clientErrorResponse(code: string | undefined): { status: number; reason: string } {
  if (code === 'HPE_HEADER_OVERFLOW') return { status: 431, reason: 'request header fields too large' };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT' || code === 'HPE_HEADERS_TIMEOUT') return { status: 408, reason: 'request timeout' };
  return { status: 400, reason: `malformed request${code?.startsWith('HPE_') ? ` (${code})` : ''}` };
}

export interface HardenedServerOptions extends GuardEnv {
  handler: ExchangeHandler;
  /** CONNECT requests (the socket is the handler's); default: 405 and the connection closed. */
  connect?: (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;
}

/**
 * An HTTP/1.1 server with the listener limits applied (limits.ts) and the guards in front of
 * `handler`. The caller listens, and handles the server's own `error` event (address in use).
 */
export function createHardenedServer(opts: HardenedServerOptions): http.Server {
  const { limits, stats } = opts;
  const guarded = guardedHandler(opts.handler, opts);
  /** The exchanges running on each socket (more than one only when the client pipelines). */
  const live = new WeakMap<Duplex, Set<Exchange>>();
  /** Sockets already answered by clientError (the parser reports again on every further chunk). */
  const answered = new WeakSet<Duplex>();

  /** Connections that will close after the responses owed: requests pipelined behind are ignored. */
  const closing = new WeakSet<Duplex>();

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse, expectContinue = false): void => {
    const socket = req.socket;
    let set = live.get(socket);
    if (closing.has(socket) || (set !== undefined && anyClosing(set))) {
      // RFC 9112 §9.6: after a response that closes the connection, nothing more is processed —
      // least of all a request pipelined behind one the proxy refused (a smuggling attempt).
      closing.add(socket);
      req.on('error', noop);
      res.on('error', noop);
      return;
    }
    const ex = guarded(req, res, expectContinue);
    if (set === undefined) live.set(socket, (set = new Set()));
    set.add(ex);
    res.once('close', () => set.delete(ex));
    // The client asked to close (or spoke HTTP/1.0 without keep-alive), or the proxy did.
    if (!res.shouldKeepAlive || ex.closeConnection) closing.add(socket);
  };

  const server = http.createServer(
    {
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // How often Node looks for connections over headersTimeout / requestTimeout.
      connectionsCheckingInterval: Math.max(25, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4))),
      insecureHTTPParser: false,
      requireHostHeader: true,
      joinDuplicateHeaders: false,
      noDelay: true,
    },
    (req, res) => onRequest(req, res),
  );
  // Node parses at most maxHeadersCount headers and silently drops the rest; one more than the
  // limit lets the guard see the excess and answer 431 instead.
  server.maxHeadersCount = limits.maxHeaderCount + 1;
  server.maxConnections = limits.maxConnections;
  server.maxRequestsPerSocket = limits.maxRequestsPerConnection;
  server.timeout = 0;

  // Expect: 100-continue: run the guards (shedding, 413) before inviting the body.
  server.on('checkContinue', (req: http.IncomingMessage, res: http.ServerResponse) => onRequest(req, res, true));

  /*
   * A connection that cannot be parsed any further. Requests already received completely (and
   * answers already written) are let finish, in order — a client that pipelined a good request
   * before a bad one gets the good one's response first; a request cut by the error (its body
   * broke the framing, or it timed out) is aborted, its upstream work cancelled. Then the error
   * response, and the connection is closed: nothing after a framing error is read as a request.
   */
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (answered.has(socket)) return;
    answered.add(socket);
    socket.on('error', noop);
    stats.clientErrors++;
    const { status, reason } = clientErrorResponse(err.code);
    if (status === 408) stats.timeouts++;
    if (status === 431) stats.headersTooLarge++;
    const pending: Exchange[] = [];
    let cutMidResponse = false;
    for (const ex of live.get(socket) ?? []) {
      if (ex.res.writableEnded || (ex.req.complete && !ex.signal.aborted)) {
        pending.push(ex);
        continue;
      }
      if (ex.res.headersSent) cutMidResponse = true;
      else ex.rawStatus = status;
      ex.reason ??= reason;
      ex.abort(reason);
    }
    if (err.code === 'ECONNRESET' || !socket.writable || cutMidResponse) {
      socket.destroy();
      return;
    }
    if (pending.length === 0) {
      answerAndClose(socket, rawResponse(status, reason));
      return;
    }
    const cap = setTimeout(() => socket.destroy(), PIPELINE_DRAIN_MS);
    cap.unref();
    Promise.all(pending.map((ex) => (ex.res.writableFinished ? undefined : new Promise<void>((resolve) => ex.res.once('close', resolve))))).then(() => {
      clearTimeout(cap);
      if (socket.writable && !socket.destroyed) answerAndClose(socket, rawResponse(status, reason));
      else socket.destroy();
    });
  });

  server.on('connect', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', noop);
    if (opts.connect !== undefined) return opts.connect(req, socket, head);
    stats.connectRefused++;
    answerAndClose(socket, rawResponse(405, 'CONNECT is not supported: send plain http:// requests through this proxy', { allow: 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS' }));
  });

  return server;
}
