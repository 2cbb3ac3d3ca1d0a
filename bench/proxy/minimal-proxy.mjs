/**
 * A reference row of bench/proxy: the least an HTTP/1.1 reverse proxy on Node can be — node:http's
 * server piping to node:http's client with a keep-alive agent, no routing, no limits, no
 * telemetry, no dependencies, plain JavaScript (no type stripping). It runs with weft-proxy's
 * node flags. Its RSS is what Node itself needs for this load; its req/s, what node:http allows.
 *
 *   node minimal-proxy.mjs <upstreamPort>      prints `LISTENING <port>`
 */
import http from 'node:http';

const upstreamPort = Number(process.argv[2]);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const server = http.createServer((req, res) => {
  const headers = { ...req.headers };
  delete headers.connection;
  const up = http.request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers, agent }, (r) => {
    res.writeHead(r.statusCode ?? 502, r.headers);
    r.pipe(res);
  });
  up.on('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(up);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`LISTENING ${server.address().port}\n`));
