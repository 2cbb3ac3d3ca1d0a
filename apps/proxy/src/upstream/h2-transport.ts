/**
 * HTTP/2 to one endpoint — h2c (prior knowledge), or over mTLS with ALPN h2 when `opts.tls` is
 * set (tls-connect.ts) — through node:http2 client sessions — undici's pool is HTTP/1.1 here. Streams multiplex on one session; a second (up to
 * MAX_SESSIONS) opens only when every open session is at the peer's SETTINGS_MAX_CONCURRENT_STREAMS
 * or is going away. A session with no stream for `idleTimeoutMs` is closed.
 *
 * Classification before response headers: the session never connected → connect-failure;
 * RST_STREAM(REFUSED_STREAM), or GOAWAY for a stream the peer never processed → refused-stream;
 * any other close → reset. Aborting the try's signal cancels the stream (RST_STREAM CANCEL), never
 * the session.
 */
import http2, { type ClientHttp2Session, type ClientHttp2Stream, type IncomingHttpHeaders } from 'node:http2';
import { pipeline } from 'node:stream';
import type { Headers } from '../data-path.ts';
import { stripHopByHop, toH2RequestHeaders } from './headers.ts';
import { connectTls } from './tls-connect.ts';
import { errorCode, hostPort, MAX_TIMER_MS, type Transport, type TransportOptions, type TryResult } from './transport.ts';

const { NGHTTP2_CANCEL, NGHTTP2_REFUSED_STREAM } = http2.constants;
export const MAX_SESSIONS = 4;

interface Session {
  session: ClientHttp2Session;
  connected: boolean;
  goingAway: boolean;
  active: number;
  idleTimer: NodeJS.Timeout | undefined;
  error: Error | undefined;
  /** mTLS: why the TLS connection failed (the session's own error is then less telling). */
  tlsFailure: { error?: Error };
}

function responseHeaders(headers: IncomingHttpHeaders): Headers {
  const out: Record<string, string | string[] | undefined> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (k.startsWith(':') || v === undefined) continue;
    out[k] = Array.isArray(v) ? v : String(v);
  }
  return stripHopByHop(out);
}

export function createH2Transport(opts: TransportOptions): Transport {
  const authority = hostPort(opts.address, opts.port);
  const tlsOrigin = opts.tls;
  const origin = `${tlsOrigin === undefined ? 'http' : 'https'}://${authority}`;
  const connectTimeoutMs = opts.connectTimeoutMs > 0 ? opts.connectTimeoutMs : 10_000;
  const sessions: Session[] = [];
  let closed = false;

  function scheduleIdle(s: Session): void {
    clearTimeout(s.idleTimer);
    s.idleTimer = undefined;
    if (s.active > 0 || opts.idleTimeoutMs <= 0) return;
    s.idleTimer = setTimeout(() => {
      if (s.active === 0) s.session.close();
    }, Math.min(opts.idleTimeoutMs, MAX_TIMER_MS));
  }

  /**
   * mTLS (tls-connect.ts): the session runs on a TLS socket (ALPN h2) whose peer is verified
   * before node:http2 uses it — a refused peer destroys the socket, so the session never
   * connects and its tries fail as connect failures.
   */
  function open(): Session {
    const tlsFailure: { error?: Error } = {};
    const connectionOptions =
      tlsOrigin === undefined
        ? {}
        : {
            createConnection: () =>
              connectTls(tlsOrigin, { address: opts.address, port: opts.port, alpn: 'h2', expected: opts.identity ?? '', connectTimeoutMs }, (err) => {
                if (err !== null) tlsFailure.error = err;
              })!,
          };
    const session = http2.connect(origin, { settings: { enablePush: false }, ...connectionOptions });
    const s: Session = { session, connected: false, goingAway: false, active: 0, idleTimer: undefined, error: undefined, tlsFailure };
    const connectTimer = setTimeout(() => {
      const err = Object.assign(new Error(`connect timeout after ${connectTimeoutMs} ms`), { code: 'UND_ERR_CONNECT_TIMEOUT' });
      session.destroy(err);
    }, connectTimeoutMs);
    session.once('connect', () => {
      s.connected = true;
      clearTimeout(connectTimer);
    });
    session.on('error', (err: Error) => {
      s.error = err;
    });
    session.once('goaway', () => {
      s.goingAway = true;
    });
    session.once('close', () => {
      clearTimeout(connectTimer);
      clearTimeout(s.idleTimer);
      const i = sessions.indexOf(s);
      if (i >= 0) sessions.splice(i, 1);
    });
    sessions.push(s);
    return s;
  }

  function usable(s: Session): boolean {
    return !s.goingAway && !s.session.closed && !s.session.destroyed;
  }

  /** undefined: a new session is needed and mTLS has no credentials (open sessions continue). */
  function pick(): Session | undefined {
    const live = sessions.filter(usable);
    const free = live.find((s) => s.active < (s.session.remoteSettings.maxConcurrentStreams ?? 100));
    if (free !== undefined) return free;
    if (live.length < MAX_SESSIONS) {
      if (tlsOrigin === undefined || tlsOrigin.material() !== undefined) return open();
      tlsOrigin.stats.noCredentials++;
      if (live.length === 0) return undefined;
    }
    return live.reduce((a, b) => (b.active < a.active ? b : a));
  }

  return {
    request(req, signal): Promise<TryResult> {
      return new Promise<TryResult>((resolve) => {
        if (closed) {
          resolve({ kind: 'failure', failure: 'connect-failure', detail: 'UND_ERR_CLOSED' });
          return;
        }
        if (signal.aborted) {
          resolve({ kind: 'failure', failure: 'aborted', detail: errorCode(signal.reason) });
          return;
        }
        let s: Session | undefined;
        try {
          s = pick();
        } catch (err) {
          resolve({ kind: 'failure', failure: 'connect-failure', detail: errorCode(err) });
          return;
        }
        if (s === undefined) {
          resolve({ kind: 'failure', failure: 'connect-failure', detail: 'WEFT_NO_CREDENTIALS' });
          return;
        }
        let stream: ClientHttp2Stream;
        try {
          stream = s.session.request(toH2RequestHeaders(req.method, req.path, req.headers, authority), { endStream: req.body === null });
        } catch (err) {
          // The session is closing or gone (the stream was never sent), or the headers are not
          // valid HTTP/2 (the request cannot be sent at all).
          const gone = s.goingAway || s.session.closed || s.session.destroyed;
          resolve({ kind: 'failure', failure: gone ? 'refused-stream' : 'request-error', detail: errorCode(err) });
          return;
        }
        s.active++;
        clearTimeout(s.idleTimer);
        // Giving up on a stream still open is a cancel. Node resets a stream destroyed without an
        // error with RST_STREAM(NO_ERROR) — "the response is complete, stop sending" — and a
        // response body is dropped exactly that way (exchange.ts relayResponse: `body.destroy()`
        // when the downstream went away or answered otherwise). The next hop reads NO_ERROR as a
        // clean end (a proxy ends its response without trailers; gRPC reports INTERNAL) or, for a
        // request still open, as a half-close: send CANCEL, as the caller's own cancel does.
        const destroy = stream.destroy.bind(stream);
        stream.destroy = (err?: Error) => {
          if (err === undefined && !stream.closed && !stream.destroyed && !s.session.destroyed) stream.close(NGHTTP2_CANCEL);
          return destroy(err);
        };

        let settled = false;
        const settle = (result: TryResult): void => {
          if (settled) return;
          settled = true;
          resolve(result);
        };
        const failure = (err: unknown): TryResult => {
          if (signal.aborted) return { kind: 'failure', failure: 'aborted', detail: errorCode(signal.reason) };
          if (!s.connected) return { kind: 'failure', failure: 'connect-failure', detail: errorCode(s.tlsFailure.error ?? s.error ?? err ?? 'session closed') };
          if (stream.rstCode === NGHTTP2_REFUSED_STREAM || errorCode(err) === 'ERR_HTTP2_GOAWAY_SESSION') {
            return { kind: 'failure', failure: 'refused-stream', detail: 'REFUSED_STREAM' };
          }
          if (errorCode(err) === 'ERR_HTTP2_ERROR' || errorCode(err) === 'ERR_HTTP2_INVALID_HEADER_VALUE') {
            return { kind: 'failure', failure: 'protocol-error', detail: errorCode(err) };
          }
          return { kind: 'failure', failure: 'reset', detail: err === undefined ? `RST_STREAM ${stream.rstCode ?? 'without code'}` : errorCode(err) };
        };

        const onAbort = (): void => {
          if (!settled) {
            stream.close(NGHTTP2_CANCEL);
            settle({ kind: 'failure', failure: 'aborted', detail: errorCode(signal.reason) });
          } else {
            // The response body fails (its reader sees an error), the peer gets CANCEL.
            if (!stream.closed) stream.close(NGHTTP2_CANCEL);
            stream.destroy(signal.reason instanceof Error ? signal.reason : new Error(errorCode(signal.reason)));
          }
        };
        signal.addEventListener('abort', onAbort, { once: true });

        const fail = (err: unknown): void => {
          if (settled) return;
          if (s.connected || s.error !== undefined || signal.aborted) {
            settle(failure(err));
            return;
          }
          // The stream failed before its session connected: wait for the session's verdict
          // (its error names the cause, e.g. ECONNREFUSED, and is emitted after the stream's).
          const verdict = (): void => settle(failure(err));
          if (s.session.destroyed) {
            setImmediate(verdict);
          } else {
            s.session.once('close', verdict);
            s.session.once('connect', verdict);
          }
        };
        stream.on('error', fail);
        stream.once('close', () => {
          signal.removeEventListener('abort', onAbort);
          s.active--;
          scheduleIdle(s);
          fail(undefined);
        });

        let trailers: Headers = {};
        stream.once('trailers', (t: IncomingHttpHeaders) => {
          trailers = responseHeaders(t);
        });
        const trailersDone = new Promise<Headers>((done) => {
          stream.once('end', () => done(trailers));
          stream.once('close', () => done({}));
        });

        stream.once('response', (headers: IncomingHttpHeaders) => {
          settle({
            kind: 'response',
            status: Number(headers[':status']),
            headers: responseHeaders(headers),
            body: stream,
            trailers: trailersDone,
            discard: () => stream.close(NGHTTP2_CANCEL),
          });
        });

        if (req.body !== null) {
          // A body that fails mid-way (the downstream reset its stream, a limit) cancels the
          // stream (its 'close' settles the try) — before pipeline() destroys it with the error,
          // which would reset it with INTERNAL_ERROR. Only a body that ended sends END_STREAM.
          req.body.once('error', () => {
            if (!stream.closed) stream.close(NGHTTP2_CANCEL);
          });
          pipeline(req.body, stream, () => {});
        }
      });
    },
    connections: () => sessions.length,
    async close() {
      closed = true;
      await Promise.all(sessions.map((s) => new Promise<void>((done) => (s.session.closed || s.session.destroyed ? done() : s.session.close(() => done())))));
    },
    async destroy() {
      closed = true;
      for (const s of [...sessions]) s.session.destroy();
    },
  };
}
