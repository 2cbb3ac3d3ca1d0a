/**
 * The processes bench/proxy measures besides weft-proxy, one per process:
 *   node servers.ts upstream                 the upstream: node:http, small fixed body, keep-alive
 *   node servers.ts fastify <upstreamPort>   @fastify/http-proxy as a reverse proxy to it
 *   node servers.ts http-proxy <upstreamPort> http-proxy with a keep-alive agent
 * Each prints `LISTENING <port>` once it listens on 127.0.0.1.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const [kind, upstreamPort] = process.argv.slice(2);
const target = `http://127.0.0.1:${upstreamPort}`;

function announce(server: http.Server): void {
  process.stdout.write(`LISTENING ${(server.address() as AddressInfo).port}\n`);
}
const listen = (server: http.Server) => server.listen(0, '127.0.0.1', () => announce(server));

if (kind === 'upstream') {
  const body = Buffer.from('{"status":"ok","service":"upstream"}');
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  listen(server);
} else if (kind === 'fastify') {
  const { default: Fastify } = await import('fastify');
  const { default: proxy } = await import('@fastify/http-proxy');
  const app = Fastify({ logger: false });
  await app.register(proxy, { upstream: target });
  await app.listen({ port: 0, host: '127.0.0.1' });
  announce(app.server);
} else if (kind === 'http-proxy') {
  const { default: httpProxy } = await import('http-proxy');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const p = httpProxy.createProxyServer({ target, agent });
  p.on('error', (_err, _req, res) => {
    const r = res as http.ServerResponse;
    if (!r.headersSent) r.writeHead(502);
    r.end();
  });
  const server = http.createServer((req, res) => p.web(req, res));
  server.keepAliveTimeout = 60_000;
  listen(server);
} else {
  console.error(`servers.ts: unknown kind '${kind}'`);
  process.exit(2);
}
