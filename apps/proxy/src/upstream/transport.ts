/**
 * One endpoint's connections, HTTP/1.1 (undici Pool) or h2c (node:http2 sessions). A transport
 * makes one try: it never retries, never throws, and classifies what went wrong; the cluster
 * manager decides the rest (retries, outlier detection, status mapping).
 */
import type { Readable } from 'node:stream';
import type { Headers } from '../data-path.ts';
import type { OriginTls } from './tls-connect.ts';

export interface TryRequest {
  method: string;
  path: string;
  /** Hop-by-hop headers already removed (headers.ts). */
  headers: Headers;
  body: Readable | null;
}

export type TryFailureKind =
  | 'connect-failure'
  | 'refused-stream'
  | 'reset'
  | 'protocol-error'
  /** The try's signal aborted (the manager knows which timer or caller did it). */
  | 'aborted'
  /** The request itself could not be sent (invalid header, body shorter than content-length…). */
  | 'request-error';

export type TryResult =
  | {
      kind: 'response';
      status: number;
      /** Hop-by-hop headers removed. */
      headers: Headers;
      /** Streams as it arrives. Aborting the try's signal later destroys it. */
      body: Readable;
      /** Resolves at the end of the body with its trailers ({} without any, or when it fails). */
      trailers: Promise<Headers>;
      /** Throws the response away (a retry follows), keeping the connection when cheap. */
      discard(): void;
    }
  | { kind: 'failure'; failure: TryFailureKind; detail: string };

export interface TransportOptions {
  address: string;
  port: number;
  /** 0: the library default (10 s). */
  connectTimeoutMs: number;
  /** Close connections idle this long; 0: never. */
  idleTimeoutMs: number;
  /** HTTP/1.1: at most this many connections (requests beyond wait for one); absent: no cap. */
  maxConnections?: number;
  /** The SPIFFE ID the endpoint must present (the snapshot's `identity`); used with `tls`. */
  identity?: string;
  /** mTLS to the endpoint (tls-connect.ts): every connection is TLS 1.3, verified as `identity`. Absent: plain text. */
  tls?: OriginTls;
}

export interface Transport {
  request(req: TryRequest, signal: AbortSignal): Promise<TryResult>;
  /** Connections open now (for tests and the admin page). */
  connections(): number;
  /** Graceful: no new tries; tries in flight finish; idle connections close now. */
  close(): Promise<void>;
  /** Now: every connection is destroyed. */
  destroy(): Promise<void>;
}

export function hostPort(address: string, port: number): string {
  return `${address.includes(':') ? `[${address}]` : address}:${port}`;
}

export function errorCode(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const { code, name, message } = err as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof code === 'string' && code !== '') return code;
    if (typeof name === 'string' && name !== 'Error') return name;
    if (typeof message === 'string') return message;
  }
  return String(err);
}

/** "Never a day without a timer": 0 means none; Node caps timers at 2³¹-1 ms. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * `parent`, or (with a timeout) a child of it that a timer also aborts with `reason`: the timer
 * covers a try up to its response headers (`clear()` then); the link to `parent` stays while the
 * body streams, so whatever cuts the parent still cuts the body. One controller and one listener
 * at most, no composite signals (decision 008).
 */
export function signalWithTimeout(parent: AbortSignal, timeoutMs: number, reason: string): { signal: AbortSignal; clear(): void; timedOut(): boolean } {
  if (timeoutMs <= 0) return { signal: parent, clear: () => {}, timedOut: () => false };
  const child = new AbortController();
  let fired = false;
  if (parent.aborted) child.abort(parent.reason);
  else parent.addEventListener('abort', () => child.abort(parent.reason), { once: true });
  const timer = setTimeout(() => {
    fired = true;
    child.abort(new Error(reason));
  }, timeoutMs);
  return { signal: child.signal, clear: () => clearTimeout(timer), timedOut: () => fired };
}
