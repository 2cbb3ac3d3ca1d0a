/**
 * HTTP/1.1 to one endpoint through an undici Pool (plain text, or mTLS through a custom
 * `connect` when `opts.tls` is set: tls-connect.ts): keep-alive connections opened on demand and
 * reused (no pipelining: one request per connection at a time), closed after `idleTimeoutMs`
 * idle (or sooner when the server's Keep-Alive hint says so). Concurrency across a cluster is
 * bounded above this by the connection gate (resilience/connection-gate.ts).
 *
 * undici's own header and body timeouts are off: the cluster manager owns every timer and aborts
 * the try's signal; an aborted in-flight HTTP/1.1 request destroys its connection (a half-read
 * response cannot be reused), so a hung upstream leaves no socket behind.
 */
import { Pool, type buildConnector, type Dispatcher } from 'undici';
import { stripHopByHop } from './headers.ts';
import { discardBody, ResponseBody } from './response-body.ts';
import { connectTls, TLS_CONNECT_FAILURES } from './tls-connect.ts';
import { errorCode, hostPort, MAX_TIMER_MS, type Transport, type TransportOptions, type TryFailureKind, type TryRequest, type TryResult } from './transport.ts';

/** Errors meaning no connection was made, or the request was never written. */
const CONNECT_FAILURES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  // The pool was closed (endpoint removed) before the request was dispatched.
  'UND_ERR_CLOSED',
  // mTLS (tls-connect.ts): no certificate of our own, the handshake failed, the peer was refused.
  ...TLS_CONNECT_FAILURES,
]);
const RESETS = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_DESTROYED', 'ECONNABORTED', 'UND_ERR_INFO']);
const REQUEST_ERRORS = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH', 'UND_ERR_NOT_SUPPORTED']);

export function classifyUndiciError(err: unknown): TryFailureKind {
  const code = errorCode(err);
  if (CONNECT_FAILURES.has(code)) return 'connect-failure';
  if (RESETS.has(code)) return 'reset';
  if (REQUEST_ERRORS.has(code)) return 'request-error';
  if (code.startsWith('HPE_') || code === 'HTTPParserError' || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') return 'protocol-error';
  return 'reset';
}

/**
 * undici's `connect` for mTLS: tls-connect.ts opens and verifies the connection before undici
 * writes anything on it; a failure reaches the try as a connect failure.
 */
function tlsConnector(opts: TransportOptions): buildConnector.connector | undefined {
  const origin = opts.tls;
  if (origin === undefined) return undefined;
  const target = { address: opts.address, port: opts.port, alpn: 'http/1.1' as const, expected: opts.identity ?? '', connectTimeoutMs: opts.connectTimeoutMs };
  return (_options, callback) => {
    connectTls(origin, target, (err, socket) => (err === null ? callback(null, socket!) : callback(err, null)));
  };
}

export function createH1Transport(opts: TransportOptions): Transport {
  const idle = opts.idleTimeoutMs > 0 ? Math.min(opts.idleTimeoutMs, MAX_TIMER_MS) : MAX_TIMER_MS;
  const connect = tlsConnector(opts);
  const pool = new Pool(`${connect === undefined ? 'http' : 'https'}://${hostPort(opts.address, opts.port)}`, {
    ...(connect === undefined ? {} : { connect }),
    connections: opts.maxConnections !== undefined && opts.maxConnections > 0 ? opts.maxConnections : null,
    pipelining: 1,
    headersTimeout: 0,
    bodyTimeout: 0,
    connectTimeout: opts.connectTimeoutMs > 0 ? opts.connectTimeoutMs : 10_000,
    keepAliveTimeout: idle,
    keepAliveMaxTimeout: idle,
    allowH2: false,
  });
  // A pool emits 'error' only through requests; keep an idle connection's failure from crashing.
  pool.on('connectionError', () => {});

  return {
    request: (req, signal) => dispatchTry(pool, req, signal),
    connections: () => pool.stats.connected,
    close: () => pool.close(),
    destroy: () => pool.destroy(),
  };
}

/**
 * One try through undici's dispatch API (see response-body.ts for why not `pool.request`).
 * Settles once: with the response when its headers arrive, or with a classified failure. The
 * signal is watched from dispatch to the end of the body: before the response it fails the try
 * at once (undici aborts the request when it reaches a connection, or now if it has one); after,
 * it destroys the body.
 */
function dispatchTry(pool: Pool, req: TryRequest, signal: AbortSignal): Promise<TryResult> {
  if (signal.aborted) return Promise.resolve({ kind: 'failure', failure: 'aborted', detail: errorCode(signal.reason) });
  return new Promise<TryResult>((resolve) => {
    let controller: Dispatcher.DispatchController | null = null;
    let body: ResponseBody | null = null;
    let settled = false;
    const fail = (failure: TryFailureKind, detail: string): void => {
      if (settled) return;
      settled = true;
      resolve({ kind: 'failure', failure, detail });
    };
    const onAbort = (): void => {
      const reason = signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason));
      if (body !== null) body.destroy(reason);
      else {
        controller?.abort(reason);
        fail('aborted', errorCode(reason));
      }
    };
    const stopWatching = (): void => signal.removeEventListener('abort', onAbort);
    signal.addEventListener('abort', onAbort, { once: true });

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(ctl) {
        controller = ctl;
        if (settled) ctl.abort(new Error('try abandoned'));
      },
      onResponseStart(ctl, statusCode, headers) {
        if (statusCode < 200 || settled) return; // 1xx: undici keeps reading; the final response follows
        settled = true;
        const b = new ResponseBody(ctl);
        body = b;
        b.once('close', stopWatching);
        resolve({
          kind: 'response',
          status: statusCode,
          headers: stripHopByHop(headers as Record<string, string | string[]>),
          body: b,
          trailers: b.trailers,
          discard: () => discardBody(b),
        });
      },
      onResponseData(_ctl, chunk) {
        body?.deliver(chunk);
      },
      onResponseEnd(_ctl, trailers) {
        if (body === null) return;
        body.finish(trailers === null || trailers === undefined ? {} : stripHopByHop(trailers as Record<string, string | string[]>));
      },
      onResponseError(_ctl, err) {
        if (body !== null) {
          body.destroy(err);
          return;
        }
        stopWatching();
        if (signal.aborted) fail('aborted', errorCode(signal.reason));
        else fail(classifyUndiciError(err), errorCode(err));
      },
    };
    try {
      pool.dispatch({ method: req.method as Dispatcher.HttpMethod, path: req.path, headers: req.headers, body: req.body }, handler);
    } catch (err) {
      stopWatching();
      fail(classifyUndiciError(err), errorCode(err));
    }
  });
}
