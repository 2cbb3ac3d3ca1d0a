/**
 * The proxy's admin listener (loopback only):
 *
 *   /live     the process runs
 *   /ready    it holds a valid configuration (from the control plane or last-known-good)
 *   /config   the current snapshot, its version, where it came from, the stream's state
 *   /metrics  Prometheus text: requests, errors, latency by source/destination/route/status
 *
 * With mTLS (identity issue) readiness also waits for a workload certificate.
 */
import http from 'node:http';

export interface AdminSource {
  /** undefined when ready; otherwise what the proxy is still waiting for. */
  notReadyReason(): string | undefined;
  /** The `/config` body. */
  config?(): unknown;
  /** The `/metrics` body and its content type. */
  metrics?(): { contentType: string; body: string };
}

export function createAdminServer(source: AdminSource): http.Server {
  return http.createServer({ maxHeaderSize: 8 * 1024, headersTimeout: 5_000, requestTimeout: 10_000 }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'use GET' });
    if (path === '/live') return send(res, 200, { status: 'live' });
    if (path === '/ready') {
      const reason = source.notReadyReason();
      return reason ? send(res, 503, { status: 'not ready', reason }) : send(res, 200, { status: 'ready' });
    }
    if (path === '/config' && source.config) return send(res, 200, source.config());
    if (path === '/metrics' && source.metrics) {
      const { contentType, body } = source.metrics();
      res.writeHead(200, { 'content-type': contentType });
      res.end(body);
      return;
    }
    return send(res, 404, { error: `no admin endpoint ${path}; try /live, /ready, /config or /metrics` });
  });
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
