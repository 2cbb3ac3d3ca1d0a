/**
 * Request mirroring (HTTPRoute RequestMirror): fire-and-forget copies of a request to other
 * clusters, responses discarded. A mirror never delays, changes or fails the real response:
 *
 *   body absent ─────────────────────────────▶ copies sent on the next turn of the event loop
 *   body ≤ mirrorBodyBytes ──tap (copies the chunks while they stream to the primary)──▶
 *                                          copies sent once the whole body went through
 *   body larger, or maxMirrorsInFlight reached ─▶ no copy (counted in stats.mirrors.skipped)
 *
 * Copies are independent of the client (its going away does not cancel them), bounded by
 * `mirrorTimeoutMs`, and carry `Host: <host>-shadow` (Envoy's convention, so the mirror target
 * can tell shadow traffic apart) and the `x-weft-service-port` of their own cluster. Their
 * failures are swallowed and counted.
 */
import { Readable, Transform, type TransformCallback } from 'node:stream';
import type { ClusterName } from '@weft/contracts/snapshot';
import type { ClusterManager, Headers } from '../data-path.ts';
import type { ListenerLimits } from './limits.ts';
import type { ListenerStats } from './stats.ts';

export interface MirrorRequest {
  method: string;
  path: string;
  /** The headers sent to the primary (copied per mirror). */
  headers: Headers;
}

export interface MirrorEnv {
  clusters: ClusterManager;
  limits: ListenerLimits;
  stats: ListenerStats;
  /** Mirrors running now, shared by the listener's requests. */
  inFlight: { n: number };
  /** The service port a cluster serves (its `x-weft-service-port`). */
  servicePort: (cluster: ClusterName) => string;
}

/** `payments.shop:8080` → `payments.shop-shadow:8080`. */
export function shadowHost(host: string): string {
  const colon = host.lastIndexOf(':');
  if (colon > 0 && !host.endsWith(']') && /^\d+$/.test(host.slice(colon + 1))) return `${host.slice(0, colon)}-shadow${host.slice(colon)}`;
  return `${host}-shadow`;
}

/**
 * Arranges the mirrors of one request. Returns the body to send to the primary: `body` itself, or
 * a tap that copies it. `request.headers` is read when the copies are sent (after the body).
 */
export function mirrorRequest(mirrors: readonly ClusterName[], request: MirrorRequest, body: Readable | null, env: MirrorEnv): Readable | null {
  if (mirrors.length === 0) return body;
  const { limits, stats } = env;
  if (body === null) {
    setImmediate(() => fire(mirrors, request, null, env));
    return null;
  }
  const declared = Number(request.headers['content-length'] ?? Number.NaN);
  if (declared > limits.mirrorBodyBytes) {
    stats.mirrors.skipped += mirrors.length;
    return body;
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  let overflow = false;
  const tap = new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
      if (!overflow) {
        bytes += chunk.length;
        if (bytes > limits.mirrorBodyBytes) {
          overflow = true;
          chunks.length = 0;
        } else chunks.push(chunk);
      }
      cb(null, chunk);
    },
    flush(cb: TransformCallback) {
      if (overflow) stats.mirrors.skipped += mirrors.length;
      else {
        const copy = Buffer.concat(chunks);
        setImmediate(() => fire(mirrors, request, copy, env));
      }
      cb();
    },
  });
  tap.on('error', () => {});
  body.on('error', (err) => tap.destroy(err));
  body.pipe(tap);
  return tap;
}

function fire(mirrors: readonly ClusterName[], request: MirrorRequest, body: Buffer | null, env: MirrorEnv): void {
  const { stats, inFlight } = env;
  for (const cluster of mirrors) {
    if (inFlight.n >= env.limits.maxMirrorsInFlight) {
      stats.mirrors.skipped++;
      continue;
    }
    const headers: Headers = { ...request.headers, 'x-weft-service-port': env.servicePort(cluster) };
    const host = headers.host;
    if (typeof host === 'string') headers.host = shadowHost(host);
    if (body !== null) headers['content-length'] = String(body.length);
    stats.mirrors.sent++;
    inFlight.n++;
    let done = false;
    const finish = (ok: boolean): void => {
      if (done) return;
      done = true;
      inFlight.n--;
      if (ok) stats.mirrors.succeeded++;
      else stats.mirrors.failed++;
    };
    try {
      env.clusters
        .send(cluster, { method: request.method, path: request.path, headers, body: body === null ? null : Readable.from([body]) }, { requestTimeoutMs: env.limits.mirrorTimeoutMs })
        .then(
          (res) => {
            res.body.on('error', () => finish(false));
            res.body.on('end', () => finish(true));
            res.body.on('close', () => finish(false));
            res.trailers.catch(() => {});
            res.body.resume();
          },
          () => finish(false),
        );
    } catch {
      finish(false);
    }
  }
}
