/**
 * HTTP/1.1 to one endpoint through an undici Pool: keep-alive connections opened on demand and
 * reused (no pipelining: one request per connection at a time), closed after `idleTimeoutMs`
 * idle (or sooner when the server's Keep-Alive hint says so). Concurrency across a cluster is
 * bounded above this by the connection gate (resilience/connection-gate.ts).
 *
 * undici's own header and body timeouts are off: the cluster manager owns every timer and aborts
 * the try's signal; an aborted in-flight HTTP/1.1 request destroys its connection (a half-read
 * response cannot be reused), so a hung upstream leaves no socket behind.
 */
import { finished } from 'node:stream';
import { Pool } from 'undici';
import type { Headers } from '../data-path.ts';
import { stripHopByHop } from './headers.ts';
import { errorCode, hostPort, MAX_TIMER_MS, type Transport, type TransportOptions, type TryFailureKind, type TryResult } from './transport.ts';

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

function cleanHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  return stripHopByHop(raw);
}

export function createH1Transport(opts: TransportOptions): Transport {
  const idle = opts.idleTimeoutMs > 0 ? Math.min(opts.idleTimeoutMs, MAX_TIMER_MS) : MAX_TIMER_MS;
  const pool = new Pool(`http://${hostPort(opts.address, opts.port)}`, {
    connections: null,
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
  /** Tries on this pool from dispatch until their response body is done. */
  let active = 0;

  return {
    async request(req, signal): Promise<TryResult> {
      // undici marks a connection free a macrotask after its response body ended; a request sent
      // back-to-back in between would open a second connection. When a connection is open but
      // not in use by any try of ours, give it that macrotask (at most twice) to become free.
      for (let i = 0; i < 2 && pool.stats.free === 0 && pool.stats.connected > active; i++) {
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (signal.aborted) return { kind: 'failure', failure: 'aborted', detail: errorCode(signal.reason) };
      active++;
      let counted = true;
      const done = (): void => {
        if (counted) active--;
        counted = false;
      };
      try {
        const res = await pool.request({
          method: req.method,
          path: req.path,
          headers: req.headers,
          body: req.body,
          signal,
        });
        const body = res.body;
        finished(body, { writable: false }, done);
        const trailers = new Promise<Headers>((resolve) => {
          body.once('end', () => resolve(cleanHeaders(res.trailers)));
          body.once('close', () => resolve({}));
          body.once('error', () => resolve({}));
        });
        return {
          kind: 'response',
          status: res.statusCode,
          headers: cleanHeaders(res.headers),
          body,
          trailers,
          discard: () => {
            // Read a small body to the end so the connection is reused; a large one is cut.
            body.dump({ limit: 64 * 1024 }).catch(() => {});
          },
        };
      } catch (err) {
        done();
        if (signal.aborted) return { kind: 'failure', failure: 'aborted', detail: errorCode(signal.reason) };
        return { kind: 'failure', failure: classifyUndiciError(err), detail: errorCode(err) };
      }
    },
    connections: () => pool.stats.connected,
    close: () => pool.close(),
    destroy: () => pool.destroy(),
  };
}
