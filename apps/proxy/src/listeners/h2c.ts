/**
 * h2c (HTTP/2 with prior knowledge) next to HTTP/1.1 on one port: the inbound listener, which
 * peers call over h2c for `http2` / `grpc` service ports and over HTTP/1.1 for the others — and,
 * with mTLS (tls-inbound.ts), over TLS on the same port.
 *
 *   connection ─▶ sniff the first bytes (at most 24, within headersTimeoutMs)
 *      ├─ (mTLS on) first byte 0x16 ─▶ the TLS gate ─▶ after verification, by ALPN: h2 / HTTP/1.1
 *      ├─ (mTLS on, STRICT) any other first byte ─▶ closed: plain text never reaches a parser
 *      ├─ the HTTP/2 connection preface `PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n` ─▶ h2c server (node:http2)
 *      ├─ anything else (as soon as a byte differs from the preface) ─▶ the hardened HTTP/1.1 server
 *      └─ closed, or silent, before deciding ─▶ socket destroyed
 *
 * The HTTP/1.1 server stays the one that listens: its `connection` listener is replaced by the
 * sniffer, which hands HTTP/1.1 sockets back to it (the bytes read are unshifted first), so
 * maxConnections, headersTimeout / requestTimeout tracking and closeAllConnections work as
 * before. The h2c server never listens; it gets its sockets through its `connection` event and
 * runs the same guarded handler (server.ts) through the node:http2 compat API.
 *
 * HTTP/2 limits (from ListenerLimits): SETTINGS_MAX_HEADER_LIST_SIZE = maxHeaderBytes, header
 * pairs = maxHeaderCount (+ pseudo-headers), SETTINGS_MAX_CONCURRENT_STREAMS = H2_MAX_STREAMS,
 * maxSessionMemory, the peer's SETTINGS within headersTimeoutMs, and a session with no open stream
 * is closed (GOAWAY) after keepAliveTimeoutMs, and each stream's request must arrive within
 * requestTimeoutMs (408, as for HTTP/1.1). Rapid-reset and invalid-frame floods are bounded
 * by node:http2's own defaults (maxSessionInvalidFrames, maxSessionRejectedStreams).
 */
import type http from 'node:http';
import http2, { type ServerHttp2Session } from 'node:http2';
import type { Socket } from 'node:net';
import { reply } from './exchange.ts';
import { CLIENT_CLOSED, guardedHandler, rawResponse, type HardenedServerOptions } from './server.ts';
import type { ListenerStats } from './stats.ts';
import type { TlsGate } from './tls-inbound.ts';

export const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
/** Streams one h2c connection may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS). */
export const H2_MAX_STREAMS = 256;
/** node:http2 maxSessionMemory (MB): a session over it refuses new streams. */
export const H2_MAX_SESSION_MEMORY_MB = 32;

const noop = (): void => {};
const { NGHTTP2_INTERNAL_ERROR } = http2.constants;
const REQUEST_TIMEOUT = 'request timeout';
/** How long a stream answered 408 before its request ended stays open for the answer to leave. */
const RESET_AFTER_ANSWER_MS = 1_000;

export interface H2cServer {
  server: http2.Http2Server;
  /** Sessions open now. */
  sessions(): number;
  /** GOAWAY to every session: streams in flight finish, then the sessions close. */
  closeGracefully(): void;
  /** Every session destroyed now. */
  destroyAll(): void;
  /** GOAWAY to the sessions with no open stream. */
  closeIdle(): void;
}

/** An h2c server (never listening itself) running `opts.handler` behind the same guards as HTTP/1.1. */
export function createH2cServer(opts: HardenedServerOptions): H2cServer {
  const { limits } = opts;
  const guarded = guardedHandler(opts.handler, opts);
  const server = http2.createServer({
    maxSessionMemory: H2_MAX_SESSION_MEMORY_MB,
    // The guard answers 431 above maxHeaderCount: let a few more through (4 pseudo-headers + 1).
    maxHeaderListPairs: limits.maxHeaderCount + 5,
    peerMaxConcurrentStreams: 100,
    maxSettings: 32,
    maxOutstandingPings: 10,
    settings: { enablePush: false, maxConcurrentStreams: H2_MAX_STREAMS, maxHeaderListSize: limits.maxHeaderBytes },
  });
  server.on('request', (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => {
    const ex = guarded(req, res);
    // The compat API hides a reset stream. On RST_STREAM (a gRPC client cancelling) or a lost
    // connection it ends the request normally (push(null): the body reads as complete) and the
    // response counts as finished (closing the stream ends its writable side), so the guards'
    // "closed before the response finished" check (server.ts) never fires. The exchange would
    // forward the reset as END_STREAM — a half-close, "the client is done sending" — and keep
    // the upstream stream open: a bidi call whose server keeps streaming then never ends on any
    // hop. 'aborted' is the one reliable sign (the stream closed before the response was ended;
    // emitted before the request is ended): unless END_STREAM had arrived, fail the body, and
    // abort the exchange once the stream is gone, so the upstream stream is reset, never
    // half-closed. (On 'close', not here: the proxy's own reset of the response, after an
    // upstream failure, emits 'aborted' too, and must keep its outcome.)
    let reset = false;
    req.stream.once('aborted', () => {
      reset = true;
      if (!req.readableEnded) req.destroy(Object.assign(new Error('stream reset before the request ended'), { code: 'ECONNRESET' }));
    });
    /** The proxy reset this response itself (see res.destroy below): not a client abort. */
    let selfReset = false;
    req.stream.once('close', () => {
      clearTimeout(requestTimer);
      if (!reset) return;
      if (!selfReset && !ex.signal.aborted) opts.stats.clientAborts++;
      ex.abort(CLIENT_CLOSED);
    });
    // requestTimeoutMs per stream, as HTTP/1.1 has it per request: the whole request (its body)
    // must arrive in time, or the stream is answered 408 (reset, once the response started) and
    // its upstream work cancelled — a slow-body client holds a stream, not the proxy.
    const requestTimer =
      limits.requestTimeoutMs > 0 && !req.readableEnded
        ? setTimeout(() => {
            if (req.readableEnded || req.stream.closed) return;
            opts.stats.timeouts++;
            ex.rawStatus = 408;
            reply(ex, 408, REQUEST_TIMEOUT);
            ex.abort(REQUEST_TIMEOUT);
            // RFC 9113 §8.1: a response sent before the request ended is followed by RST_STREAM
            // (NO_ERROR) so the client stops sending. Not at once: a reset submitted while the
            // answer is still queued discards it; a second is plenty on any live connection.
            const linger = setTimeout(() => {
              if (!req.stream.closed) req.stream.destroy();
            }, RESET_AFTER_ANSWER_MS);
            linger.unref();
            req.stream.once('close', () => clearTimeout(linger));
          }, limits.requestTimeoutMs)
        : undefined;
    req.once('end', () => clearTimeout(requestTimer));
    // The proxy resets a response it cannot finish (exchange.ts destroyResponse: the upstream
    // failed mid-way) by destroying it without an error, and Node then sends RST_STREAM(NO_ERROR)
    // — "the response is complete". The next hop takes it for a clean end: a proxy ends its own
    // response without the trailers it never got (a gRPC client then reports "RST_STREAM with
    // code 0", INTERNAL, instead of the failure), a plain client keeps a truncated body as whole.
    // Reset with INTERNAL_ERROR instead.
    const destroy = res.destroy.bind(res);
    res.destroy = (err?: Error) => {
      selfReset = true;
      if (err === undefined && !req.stream.closed && !req.stream.destroyed) req.stream.close(NGHTTP2_INTERNAL_ERROR);
      return destroy(err);
    };
  });

  const open = new Map<ServerHttp2Session, { streams: number; idle: NodeJS.Timeout | undefined }>();
  const idleMs = limits.keepAliveTimeoutMs;
  const armIdle = (session: ServerHttp2Session): void => {
    const s = open.get(session);
    if (s === undefined || s.streams > 0 || idleMs <= 0) return;
    clearTimeout(s.idle);
    s.idle = setTimeout(() => session.close(), idleMs);
    s.idle.unref();
  };

  server.on('session', (session: ServerHttp2Session) => {
    session.on('error', noop);
    const s = { streams: 0, idle: undefined as NodeJS.Timeout | undefined };
    open.set(session, s);
    // The client's SETTINGS must follow its preface.
    const settingsTimer = limits.headersTimeoutMs > 0 ? setTimeout(() => session.destroy(), limits.headersTimeoutMs) : undefined;
    settingsTimer?.unref();
    session.once('remoteSettings', () => clearTimeout(settingsTimer));
    session.on('stream', (stream: http2.ServerHttp2Stream) => {
      s.streams++;
      clearTimeout(s.idle);
      stream.once('close', () => {
        s.streams--;
        armIdle(session);
      });
    });
    session.once('close', () => {
      clearTimeout(settingsTimer);
      clearTimeout(s.idle);
      open.delete(session);
    });
    armIdle(session);
  });
  // No session-wide inactivity timeout: a quiet gRPC stream may stay open (the idle timer above
  // covers sessions without streams).
  server.setTimeout(0);

  return {
    server,
    sessions: () => open.size,
    closeGracefully() {
      for (const session of open.keys()) if (!session.closed) session.close();
    },
    destroyAll() {
      for (const session of open.keys()) session.destroy();
    },
    closeIdle() {
      for (const [session, s] of open) if (s.streams === 0 && !session.closed) session.close();
    },
  };
}

/** The first byte of a TLS connection (a handshake record). */
export const TLS_HANDSHAKE_BYTE = 0x16;

/**
 * Makes `h1` (an http.Server, listening or not yet) hand connections that start with the HTTP/2
 * preface to `h2`, and the rest to itself. `close`, `closeIdleConnections` and
 * `closeAllConnections` of `h1` also act on the h2c sessions.
 *
 * With `tls` (mTLS, tls-inbound.ts), a connection whose first byte is 0x16 goes to the TLS gate,
 * which hands it back after the handshake and the peer's verification (ALPN h2 → `h2`, else
 * `h1`); a plain-text one is closed on its first byte unless `tls.plainAllowed()` (PERMISSIVE).
 */
export function acceptH2c(h1: http.Server, h2: H2cServer, opts: { sniffTimeoutMs: number; stats?: ListenerStats; tls?: TlsGate }): void {
  const gate = opts.tls;
  /** Sockets whose protocol is not known yet. */
  const sniffing = new Set<Socket>();
  const h1Listeners = h1.listeners('connection') as Array<(this: http.Server, socket: Socket) => void>;
  h1.removeAllListeners('connection');
  h1.on('connection', (socket: Socket) => sniff(socket));

  function deliver(socket: Socket, protocol: 'h1' | 'h2'): void {
    if (protocol === 'h2') h2.server.emit('connection', socket);
    else for (const listener of h1Listeners) listener.call(h1, socket);
  }

  function sniff(socket: Socket): void {
    let seen: Buffer = Buffer.alloc(0);
    let decided = false;
    const timer = opts.sniffTimeoutMs > 0 ? setTimeout(() => timedOut(), opts.sniffTimeoutMs) : undefined;
    timer?.unref();
    sniffing.add(socket);

    const cleanup = (): void => {
      decided = true;
      sniffing.delete(socket);
      clearTimeout(timer);
      socket.removeListener('readable', onReadable);
      socket.removeListener('end', giveUp);
      socket.removeListener('close', giveUp);
    };
    function giveUp(): void {
      if (decided) return;
      cleanup();
      socket.destroy();
    }
    /** Nothing at all arrived: the 408 the HTTP/1.1 server would send; a partial preface: closed. */
    function timedOut(): void {
      if (decided) return;
      const silent = seen.length === 0;
      cleanup();
      if (opts.stats) {
        opts.stats.clientErrors++;
        opts.stats.timeouts++;
      }
      if (!silent || !socket.writable || (gate !== undefined && !gate.plainAllowed())) {
        socket.destroy();
        return;
      }
      const linger = setTimeout(() => socket.destroy(), 1_000);
      linger.unref();
      socket.end(rawResponse(408, 'request timeout'), () => {
        clearTimeout(linger);
        socket.destroy();
      });
    }
    function handOff(protocol: 'h1' | 'h2' | 'tls'): void {
      cleanup();
      socket.unshift(seen);
      socket.removeListener('error', noop);
      if (protocol === 'tls') gate!.accept(socket, deliver);
      else deliver(socket, protocol);
    }
    function onReadable(): void {
      if (decided) return;
      let chunk: Buffer | null;
      while ((chunk = socket.read() as Buffer | null) !== null) {
        seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
        if (gate !== undefined && seen.length > 0) {
          if (seen[0] === TLS_HANDSHAKE_BYTE) return handOff('tls');
          if (!gate.plainAllowed()) {
            // STRICT: not one byte of plain text reaches a parser, let alone the application.
            cleanup();
            gate.refusePlain(socket);
            return;
          }
        }
        const n = Math.min(seen.length, H2_PREFACE.length);
        if (!seen.subarray(0, n).equals(H2_PREFACE.subarray(0, n))) return handOff('h1');
        if (seen.length >= H2_PREFACE.length) return handOff('h2');
      }
    }
    socket.on('error', noop);
    socket.on('readable', onReadable);
    socket.once('end', giveUp);
    socket.once('close', giveUp);
  }

  const close = h1.close.bind(h1);
  const closeIdle = h1.closeIdleConnections.bind(h1);
  const closeAll = h1.closeAllConnections.bind(h1);
  h1.close = (callback?: (err?: Error) => void) => {
    h2.closeGracefully();
    return close(callback);
  };
  h1.closeIdleConnections = () => {
    for (const socket of sniffing) socket.destroy();
    h2.closeIdle();
    closeIdle();
  };
  h1.closeAllConnections = () => {
    for (const socket of sniffing) socket.destroy();
    gate?.destroyPending();
    h2.destroyAll();
    closeAll();
  };
}
