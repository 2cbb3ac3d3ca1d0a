/**
 * How a demo app calls another service: through its own proxy's outbound listener, as an HTTP
 * client with `HTTP_PROXY=http://127.0.0.1:<outbound>` does (docs/proxy.md) — an absolute-form
 * request `GET http://checkout.shop/orders` sent to the proxy — over a keep-alive pool. The
 * inbound request's W3C `traceparent` goes along, so the proxies' spans join up into one trace.
 */
import http from 'node:http';

/** A response as the demo apps need it. */
export interface MeshResponse {
  status: number;
  body: string;
}

/** Calls mesh services through one proxy's outbound port. */
export class MeshClient {
  readonly #outboundPort: number;
  readonly #agent: http.Agent;

  constructor(outboundPort: number, maxSockets = 32) {
    this.#outboundPort = outboundPort;
    this.#agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  /**
   * Sends `method http://<authority><path>` through the proxy. A connection failure resolves as
   * status 0 (`body` says why) rather than rejecting: the callers treat it like any failed call.
   */
  request(method: string, authority: string, path: string, opts: { headers?: Record<string, string>; body?: string; timeoutMs?: number } = {}): Promise<MeshResponse> {
    return new Promise((resolve) => {
      const headers: Record<string, string> = { host: authority, ...opts.headers };
      if (opts.body !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(Buffer.byteLength(opts.body));
      }
      const req = http.request(
        { host: '127.0.0.1', port: this.#outboundPort, method, path: `http://${authority}${path}`, headers, agent: this.#agent, timeout: opts.timeoutMs ?? 10_000 },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          res.on('error', (err) => resolve({ status: 0, body: err.message }));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', (err) => resolve({ status: 0, body: err.message }));
      req.end(opts.body);
    });
  }

  /** Closes the pooled connections. */
  close(): void {
    this.#agent.destroy();
  }
}

/** The headers that carry the trace to the next hop: `traceparent` and `tracestate` when present. */
export function traceHeaders(incoming: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['traceparent', 'tracestate']) {
    const value = incoming[name];
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}
