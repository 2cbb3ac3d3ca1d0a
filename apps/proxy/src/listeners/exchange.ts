/**
 * One downstream request and its response, independent of the protocol it came in on.
 *
 *   http.Server ('request')          ┐
 *   http2 compat ('request', later)  ┴─▶ createExchange(req, res) ─▶ Exchange ─▶ outbound / inbound handler
 *
 * The handlers never touch `req`/`res` directly for protocol-specific things: the target and
 * authority, whether there is a body, how to close the connection and which response headers
 * are legal differ between HTTP/1.1 and HTTP/2, and are settled here. `DownstreamRequest` and
 * `DownstreamResponse` are the subset of the Node APIs both `http.IncomingMessage` /
 * `http.ServerResponse` and `http2.Http2ServerRequest` / `Http2ServerResponse` provide.
 *
 * Invariants:
 * - `signal` aborts exactly once, when the exchange can no longer be answered normally: the
 *   client went away before the response finished, the request body broke a limit, or the
 *   connection failed to parse. Whoever works for the exchange (upstream sends, body relays)
 *   listens to it and stops.
 * - At most one response is written: `reply` after headers were sent resets the stream instead.
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { performance } from 'node:perf_hooks';
import { finished, type Readable } from 'node:stream';
import type { Headers } from '../data-path.ts';
import { stripHopByHop } from '../upstream/headers.ts';

export interface DownstreamRequest extends Readable {
  readonly method?: string | undefined;
  /** HTTP/1.1: the request-target as received; HTTP/2: `:path`. */
  readonly url?: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly rawHeaders: string[];
  readonly httpVersionMajor: number;
  readonly complete: boolean;
  readonly socket: { readonly remoteAddress?: string | undefined; readonly remotePort?: number | undefined } | null;
}

export interface DownstreamResponse {
  statusCode: number;
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  readonly writableFinished: boolean;
  writeHead(statusCode: number, headers?: OutgoingHttpHeaders): unknown;
  write(chunk: Buffer | string): boolean;
  end(callback?: () => void): unknown;
  end(chunk: Buffer | string, callback?: () => void): unknown;
  addTrailers(headers: OutgoingHttpHeaders): void;
  writeContinue(): void;
  on(event: 'close' | 'drain' | 'finish', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  once(event: 'close' | 'drain' | 'finish', listener: () => void): unknown;
  removeListener(event: 'close' | 'drain' | 'finish', listener: () => void): unknown;
}

/** A workload as telemetry names it. */
export interface WorkloadRef {
  service: string;
  namespace: string;
  version: string;
}

/** What the listener learns about an exchange for its RequestRecord (telemetry), filled as it goes. */
export interface ExchangeFacts {
  /** SnapshotRoute.name; '' when no route applied. */
  route: string;
  source: WorkloadRef | null;
  destination: WorkloadRef | null;
  /** The traceparent forwarded (this proxy's span), once the trace started. */
  traceparent: string | undefined;
  /** The caller's span id, when it sent a valid traceparent. */
  parentSpanId: string | undefined;
  mtls: boolean;
}

/**
 * Who is on the other end of the connection, as the inbound TLS termination (tls-inbound.ts)
 * verified it: set on the TLS socket under MESH_PEER, read here for every exchange on it.
 */
export interface PeerInfo {
  /** The verified SPIFFE ID; undefined for plain text and for TLS without a client certificate. */
  readonly identity: string | undefined;
  /** Mutual TLS with a verified peer certificate. */
  readonly mtls: boolean;
  /** The connection is TLS (with or without a client certificate). */
  readonly tls: boolean;
}

export const MESH_PEER = Symbol.for('weft.meshPeer');
export const PLAINTEXT_PEER: PeerInfo = Object.freeze({ identity: undefined, mtls: false, tls: false });

/** h1 for HTTP/1.x (cleartext or TLS), h2 for HTTP/2 (h2c or ALPN h2). */
export type DownstreamProtocol = 'h1' | 'h2';

export interface Exchange {
  readonly req: DownstreamRequest;
  readonly res: DownstreamResponse;
  readonly protocol: DownstreamProtocol;
  readonly method: string;
  /** HTTP/1.1: the request-target as received (origin-form, absolute-form…); HTTP/2: `:path`. */
  readonly target: string;
  /** The Host header (HTTP/1.1) or `:authority` (HTTP/2), as received; undefined when absent. */
  readonly authority: string | undefined;
  /** Request headers as received, without HTTP/2 pseudo-headers. Never modify them. */
  readonly headers: IncomingHttpHeaders;
  /** The request body, or null when the request has none. Never destroy it (that would close the connection). */
  body: Readable | null;
  readonly client: { address: string; port: number };
  /** The scheme of this hop (https once TLS terminates here). */
  readonly scheme: 'http' | 'https';
  /** The peer of the connection (PLAINTEXT_PEER unless TLS terminated here). */
  readonly peer: PeerInfo;
  /** performance.now() when the request arrived. */
  readonly startedAt: number;
  /** See the module comment. */
  readonly signal: AbortSignal;
  /** Set by `reply` (and by load shedding, limits…): why the proxy answered itself. */
  reason: string | undefined;
  /** Abort the exchange (see `signal`). */
  abort(reason: string): void;
  readonly facts: ExchangeFacts;
  /** The proxy answered with `Connection: close`: nothing further on this connection may be processed. */
  closeConnection: boolean;
  /** The status written straight to the socket when the connection failed mid-request (400, 408…). */
  rawStatus: number | undefined;
}

/** IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`) as plain IPv4. */
export function plainAddress(address: string | undefined): string {
  if (address === undefined) return '';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

function isH2(req: DownstreamRequest): boolean {
  return req.httpVersionMajor === 2;
}

export function createExchange(req: DownstreamRequest, res: DownstreamResponse, scheme: 'http' | 'https' = 'http'): Exchange {
  const h2 = isH2(req);
  let headers = req.headers;
  let authority: string | undefined;
  let target: string;
  if (h2) {
    const pseudo = headers[':authority'];
    authority = typeof pseudo === 'string' ? pseudo : headers.host;
    target = typeof headers[':path'] === 'string' ? (headers[':path'] as string) : (req.url ?? '');
    const plain: IncomingHttpHeaders = {};
    for (const [k, v] of Object.entries(headers)) if (!k.startsWith(':')) plain[k] = v;
    headers = plain;
  } else {
    authority = headers.host;
    target = req.url ?? '';
  }
  const controller = new AbortController();
  const socket = req.socket;
  // HTTP/2 compat: `req.socket` is a proxy to the session's socket, so the property reads through.
  const peer = (socket as { [MESH_PEER]?: PeerInfo } | null)?.[MESH_PEER] ?? PLAINTEXT_PEER;
  const ex: Exchange = {
    req,
    res,
    protocol: h2 ? 'h2' : 'h1',
    method: req.method ?? 'GET',
    target,
    authority,
    headers,
    body: hasBody(req, h2) ? req : null,
    client: { address: plainAddress(socket?.remoteAddress), port: socket?.remotePort ?? 0 },
    scheme: peer.tls ? 'https' : scheme,
    peer,
    startedAt: performance.now(),
    signal: controller.signal,
    reason: undefined,
    abort: (reason) => {
      if (!controller.signal.aborted) controller.abort(new Error(reason));
    },
    facts: { route: '', source: null, destination: null, traceparent: undefined, parentSpanId: undefined, mtls: peer.mtls },
    closeConnection: false,
    rawStatus: undefined,
  };
  return ex;
}

/**
 * Whether a request carries a body. HTTP/1.1 (RFC 9112 §6.3): Transfer-Encoding, or a
 * Content-Length other than 0. HTTP/2: the request stream was not ended with its headers.
 */
function hasBody(req: DownstreamRequest, h2: boolean): boolean {
  if (h2) {
    const stream = (req as unknown as { stream?: { endAfterHeaders?: boolean } }).stream;
    return stream?.endAfterHeaders !== true;
  }
  const h = req.headers;
  if (h['transfer-encoding'] !== undefined) return true;
  const cl = h['content-length'];
  return cl !== undefined && cl !== '0';
}

/** Header values must be visible ASCII or spaces: a reason may quote upstream error codes. */
export function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '_').slice(0, 256);
}

export interface ReplyOptions {
  /** Close the connection after this response (HTTP/1.1; HTTP/2 closes only the stream). */
  close?: boolean;
  headers?: OutgoingHttpHeaders;
}

/**
 * The proxy answers itself: `status`, `x-weft-reason: <reason>` and a small JSON body. When the
 * response already started, the only honest signal left is to reset it; when the exchange was
 * aborted there is no one (left) to answer.
 */
export function reply(ex: Exchange, status: number, reason: string, opts: ReplyOptions = {}): void {
  const res = ex.res;
  // Aborted: the client is gone, or the connection was answered already (parse error, 413).
  if (ex.signal.aborted) return;
  ex.reason ??= reason;
  if (res.headersSent || res.writableEnded) {
    destroyResponse(ex);
    return;
  }
  const body = JSON.stringify({ error: reason, status });
  const headers: OutgoingHttpHeaders = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-weft-reason': headerSafe(reason),
    ...opts.headers,
  };
  if (opts.close && ex.protocol === 'h1') {
    headers.connection = 'close';
    ex.closeConnection = true;
  }
  try {
    res.writeHead(status, headers);
    if (ex.method === 'HEAD') res.end();
    else res.end(body);
  } catch {
    destroyResponse(ex);
  }
}

/** Resets the response: HTTP/1.1 closes the connection (the client sees a truncated message), HTTP/2 the stream. */
export function destroyResponse(ex: Exchange): void {
  const res = ex.res as unknown as { destroy?: (err?: Error) => void; stream?: { close?: (code?: number) => void } };
  try {
    if (typeof res.destroy === 'function') res.destroy();
    else res.stream?.close?.();
  } catch {
    // already gone
  }
}

/** Statuses whose responses never have a body (RFC 9110 §6.4.1). */
function bodyless(method: string, status: number): boolean {
  return method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200);
}

/**
 * Response headers for the downstream: hop-by-hop headers removed (upstream/headers.ts). The
 * `trailer` announcement is kept only where trailers can follow: HTTP/2, or an HTTP/1.1 response
 * that will be chunked (no Content-Length, a body allowed). Node refuses to write a Trailer
 * header on a response that is not chunked.
 */
export function downstreamResponseHeaders(ex: Exchange, status: number, upstream: Headers): Headers {
  const headers = stripHopByHop(upstream);
  if (headers.trailer !== undefined && ex.protocol === 'h1') {
    const chunked = headers['content-length'] === undefined && !bodyless(ex.method, status) && ex.req.httpVersionMajor === 1 && (ex.req as { httpVersionMinor?: number }).httpVersionMinor !== 0;
    if (!chunked) delete headers.trailer;
  }
  return headers;
}

export interface RelaySource {
  status: number;
  headers: Headers;
  body: Readable;
  trailers: Promise<Headers>;
}

/** How relaying a response ended. */
export type RelayOutcome = 'complete' | 'client-gone' | 'upstream-failed';

/**
 * Streams an upstream response to the downstream: status, headers (through `rewrite`, e.g. the
 * route's response header filters), body chunk by chunk with backpressure, then trailers. When
 * the client goes away the upstream body is destroyed (which cancels the upstream request); when
 * the upstream body fails, the downstream response is reset.
 */
export function relayResponse(ex: Exchange, source: RelaySource, rewrite?: (headers: Headers) => Headers): Promise<RelayOutcome> {
  const { res } = ex;
  const body = source.body;
  body.on('error', () => {});
  if (ex.signal.aborted) {
    body.destroy();
    return Promise.resolve('client-gone');
  }
  let headers = downstreamResponseHeaders(ex, source.status, source.headers);
  if (rewrite !== undefined) headers = rewrite(headers);
  // A gRPC "trailers-only" response (the status in the one HEADERS frame that ends the stream)
  // cannot be written as such through the compat API: send its status as trailers instead,
  // which every gRPC client reads (HTTP/2 downstreams only; gRPC has no HTTP/1.1 form).
  const movedToTrailers: Headers = {};
  if (ex.protocol === 'h2' && headers['grpc-status'] !== undefined) {
    for (const name of ['grpc-status', 'grpc-message', 'grpc-status-details-bin']) {
      if (headers[name] === undefined) continue;
      movedToTrailers[name] = headers[name]!;
      delete headers[name];
    }
  }
  try {
    res.writeHead(source.status, headers);
  } catch {
    // A header value Node will not write (the upstream's headers passed undici, so rare).
    body.destroy();
    reply(ex, 502, 'invalid upstream response headers');
    return Promise.resolve('upstream-failed');
  }

  return new Promise<RelayOutcome>((resolve) => {
    let settled = false;
    const settle = (outcome: RelayOutcome): void => {
      if (settled) return;
      settled = true;
      body.removeListener('data', onData);
      res.removeListener('drain', onDrain);
      ex.signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const onData = (chunk: Buffer): void => {
      if (!res.write(chunk)) body.pause();
    };
    const onDrain = (): void => {
      body.resume();
    };
    const onAbort = (): void => {
      body.destroy();
      settle('client-gone');
    };
    body.on('data', onData);
    res.on('drain', onDrain);
    ex.signal.addEventListener('abort', onAbort, { once: true });
    finished(body, { writable: false }, (err) => {
      if (settled) return;
      if (err) {
        destroyResponse(ex);
        settle('upstream-failed');
        return;
      }
      source.trailers.then(
        (trailers) => {
          if (settled) return;
          const clean = { ...movedToTrailers, ...stripHopByHop(trailers) };
          try {
            if (Object.keys(clean).length > 0) res.addTrailers(clean);
          } catch {
            // An invalid trailer is dropped rather than failing a complete response.
          }
          res.end();
          settle('complete');
        },
        () => {
          res.end();
          settle('complete');
        },
      );
    });
  });
}

// The HTTP/2 compat objects must fit the abstraction too (checked by the type checker only).
type Fits<T, U> = T extends U ? true : never;
const _h2CompatFits: [Fits<Http2ServerRequest, DownstreamRequest>, Fits<Http2ServerResponse, DownstreamResponse>] = [true, true];
