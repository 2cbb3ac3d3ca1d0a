/**
 * The proxy's admin listener. `/live` answers while the process runs; `/ready` only once the
 * proxy holds a valid configuration (and, with mTLS, an identity), so an orchestrator never
 * sends traffic to a proxy that would refuse it.
 */
import http from 'node:http';

export interface ReadinessSource {
  /** undefined when ready; otherwise what the proxy is still waiting for. */
  notReadyReason(): string | undefined;
}

export function createAdminServer(readiness: ReadinessSource): http.Server {
  return http.createServer({ maxHeaderSize: 8 * 1024, headersTimeout: 5_000, requestTimeout: 10_000 }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'use GET' });
    if (path === '/live') return send(res, 200, { status: 'live' });
    if (path === '/ready') {
      const reason = readiness.notReadyReason();
      return reason ? send(res, 503, { status: 'not ready', reason }) : send(res, 200, { status: 'ready' });
    }
    return send(res, 404, { error: `no admin endpoint ${path}; try /live or /ready` });
  });
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
