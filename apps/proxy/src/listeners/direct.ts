/**
 * Forwarding to a fixed host:port without the cluster machinery: the inbound listener's hop to
 * its application, and the outbound listener's egress to allowed hosts outside the mesh.
 *
 * One HTTP/1.1 keep-alive pool per target (upstream/h1-transport.ts: undici, no pipelining), or
 * h2c sessions (upstream/h2-transport.ts) for a target that speaks HTTP/2 only (`protocol: 'h2c'`:
 * a gRPC app; trailers pass either way), at most `maxTargets` of them (the oldest is closed gracefully beyond that). No retries, no load
 * balancing: a single try, with a timeout up to the response headers when configured.
 *
 * The downstream request body is handed over through a PassThrough, so nothing undici does to
 * the stream it sends (it destroys it on failure) reaches the downstream connection, which must
 * stay usable for the error answer.
 */
import { PassThrough, type Readable } from 'node:stream';
import type { Headers } from '../data-path.ts';
import { upstreamFailure } from '../resilience/failure.ts';
import { createH1Transport } from '../upstream/h1-transport.ts';
import { createH2Transport } from '../upstream/h2-transport.ts';
import { hostPort, signalWithTimeout, type Transport, type TryResult } from '../upstream/transport.ts';
import type { RelaySource } from './exchange.ts';

export interface DirectRequest {
  method: string;
  path: string;
  /** Hop-by-hop headers already removed (headers.ts). */
  headers: Headers;
  body: Readable | null;
}

export interface DirectSendOptions {
  /** Aborts the request (the downstream went away). */
  signal: AbortSignal;
  /** Until the response headers; 0: none. */
  timeoutMs: number;
  /** How to talk to the target: HTTP/1.1 (default) or h2c, prior knowledge (an `http2` / `grpc` app). */
  protocol?: DirectProtocol;
}

export type DirectProtocol = 'http1' | 'h2c';

export interface DirectForwarder {
  /** The response, or a rejection with an UpstreamFailureError (`isUpstreamFailure`). */
  send(address: string, port: number, request: DirectRequest, opts: DirectSendOptions): Promise<RelaySource>;
  /** Connections open now, across targets (tests, admin). */
  connections(): number;
  /** Stops taking requests; waits up to `graceMs` (default 5 s) for those in flight, then cuts them. */
  close(graceMs?: number): Promise<void>;
}

export interface DirectForwarderOptions {
  /** Names the hop in failure reasons: `app connect error: ECONNREFUSED`. */
  label: 'app' | 'egress';
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  maxTargets?: number;
}

/** A body stream that can be given away: the source is piped in and never destroyed from here. */
export function detachedBody(source: Readable): Readable {
  const copy = new PassThrough();
  copy.on('error', () => {});
  source.on('error', (err) => copy.destroy(err));
  source.pipe(copy);
  return copy;
}

export function createDirectForwarder(opts: DirectForwarderOptions): DirectForwarder {
  const maxTargets = opts.maxTargets ?? 256;
  const transports = new Map<string, Transport>();
  let closed = false;

  function transportFor(address: string, port: number, protocol: DirectProtocol): Transport {
    const key = `${protocol} ${hostPort(address, port)}`;
    let t = transports.get(key);
    if (t === undefined) {
      if (transports.size >= maxTargets) {
        const [oldestKey, oldest] = transports.entries().next().value as [string, Transport];
        transports.delete(oldestKey);
        oldest.close().catch(() => {});
      }
      const topts = { address, port, connectTimeoutMs: opts.connectTimeoutMs, idleTimeoutMs: opts.idleTimeoutMs };
      t = protocol === 'h2c' ? createH2Transport(topts) : createH1Transport(topts);
      transports.set(key, t);
    }
    return t;
  }

  return {
    async send(address, port, request, sendOpts) {
      if (closed) throw upstreamFailure(503, 'proxy shutting down');
      const limited = signalWithTimeout(sendOpts.signal, sendOpts.timeoutMs, 'timeout');
      let result: TryResult;
      try {
        result = await transportFor(address, port, sendOpts.protocol ?? 'http1').request(
          { method: request.method, path: request.path, headers: request.headers, body: request.body === null ? null : detachedBody(request.body) },
          limited.signal,
        );
      } finally {
        limited.clear();
      }
      if (result.kind === 'response') return result;
      const label = opts.label;
      switch (result.failure) {
        case 'aborted':
          if (limited.timedOut()) throw upstreamFailure(504, `${label} request timeout`);
          throw upstreamFailure(503, 'request cancelled by the caller');
        case 'connect-failure':
          throw upstreamFailure(503, `${label} connect error: ${result.detail}`);
        case 'protocol-error':
          throw upstreamFailure(502, `${label} protocol error: ${result.detail}`);
        case 'request-error':
          throw upstreamFailure(502, `request body error: ${result.detail}`);
        default:
          throw upstreamFailure(503, `${label} reset before response: ${result.detail}`);
      }
    },
    connections() {
      let n = 0;
      for (const t of transports.values()) n += t.connections();
      return n;
    },
    async close(graceMs = 5_000) {
      closed = true;
      const all = [...transports.values()];
      transports.clear();
      await Promise.all(
        all.map(async (t) => {
          let timer: NodeJS.Timeout | undefined;
          const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
          const first = await Promise.race([t.close().then(() => 'closed' as const, () => 'late' as const), late]);
          clearTimeout(timer);
          if (first === 'late') await t.destroy().catch(() => {});
        }),
      );
    },
  };
}
