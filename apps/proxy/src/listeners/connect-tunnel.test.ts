/**
 * CONNECT tunnels through the outbound listener, with real sockets on 127.0.0.1: a TCP echo
 * server on the egress allowlist, a mesh service, refusals, half-close and teardown.
 */
import http from 'node:http';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ESTABLISHED } from './connect-tunnel.ts';
import { eventually, makeSnapshot, outboundService, rawRequest, route, startInbound, startOutbound, statuses, type OutboundListening } from './testing.ts';

/** A TCP server that echoes every byte, and on the client's FIN writes `bye` and ends. */
interface EchoServer {
  port: number;
  received: Buffer[];
  sockets: Set<net.Socket>;
  closed: number;
  close(): Promise<void>;
}

async function startEcho(): Promise<EchoServer> {
  const sockets = new Set<net.Socket>();
  const echo: EchoServer = {
    port: 0,
    received: [],
    sockets,
    closed: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('data', (c: Buffer) => {
      echo.received.push(c);
      socket.write(c);
    });
    socket.on('end', () => socket.end('bye'));
    socket.on('close', () => {
      sockets.delete(socket);
      echo.closed++;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  echo.port = (server.address() as net.AddressInfo).port;
  return echo;
}

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

interface TunnelClient {
  socket: net.Socket;
  /** Everything received so far. */
  data(): string;
  closed: Promise<void>;
  /** Resolves once at least `text` was received. */
  waitFor(text: string): Promise<void>;
}

/** Opens a connection to the listener and writes `bytes` (a CONNECT request and maybe more). */
function connectClient(port: number, bytes: string | Buffer, opts: { allowHalfOpen?: boolean } = {}): TunnelClient {
  const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: opts.allowHalfOpen ?? true });
  const chunks: Buffer[] = [];
  socket.on('error', () => {});
  socket.on('data', (c: Buffer) => chunks.push(c));
  socket.on('connect', () => socket.write(bytes));
  const data = () => Buffer.concat(chunks).toString('latin1');
  return {
    socket,
    data,
    closed: new Promise((resolve) => socket.once('close', () => resolve())),
    waitFor: (text) => eventually(() => data().includes(text), 3_000, `"${text}" from the tunnel`),
  };
}

const PAYMENTS_PORT = 8080;
let echo: EchoServer;
let outbound: OutboundListening;

beforeAll(async () => {
  echo = await startEcho();
  outbound = await startOutbound(
    makeSnapshot({ proxy: { service: 'checkout' }, services: [outboundService('payments', PAYMENTS_PORT, [route('default')])], egress: ['127.0.0.1', 'no-such-host.invalid'] }),
    { limits: { upstreamConnectTimeoutMs: 2_000 } },
  );
});

afterAll(async () => {
  await outbound.close();
  await echo.close();
});

afterEach(async () => {
  await eventually(() => outbound.stats.tunnels.open === 0, 3_000, 'tunnels closed');
});

describe('CONNECT tunnels (outbound listener)', () => {
  it('tunnels to an allowed host: 200, the bytes sent with the CONNECT first, then both ways', async () => {
    const before = { ...outbound.stats.tunnels };
    const records = outbound.telemetry.records.length;
    const target = `127.0.0.1:${echo.port}`;
    const client = connectClient(outbound.port, `CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\nearly-bytes;`);
    await client.waitFor(`${ESTABLISHED}early-bytes;`);
    expect(client.data().startsWith('HTTP/1.1 200 Connection Established\r\n\r\n')).toBe(true);
    expect(outbound.stats.tunnels.open).toBe(before.open + 1);
    client.socket.write('ping');
    await client.waitFor('early-bytes;ping');
    // Half-close: the client's FIN reaches the host, whose answer still comes back.
    client.socket.end();
    await client.waitFor('early-bytes;pingbye');
    await client.closed;
    expect(client.data()).toBe(`${ESTABLISHED}early-bytes;pingbye`);
    await eventually(() => outbound.stats.tunnels.open === before.open, 3_000, 'tunnel closed');
    expect(outbound.stats.tunnels.opened).toBe(before.opened + 1);
    expect(outbound.stats.tunnels.bytesFromClient - before.bytesFromClient).toBe('early-bytes;ping'.length);
    expect(outbound.stats.tunnels.bytesToClient - before.bytesToClient).toBe('early-bytes;pingbye'.length);
    await eventually(() => outbound.telemetry.records.length > records, 3_000, 'the tunnel record');
    const record = outbound.telemetry.records.at(-1)!;
    expect(record).toMatchObject({ direction: 'outbound', method: 'CONNECT', status: 200, route: '', destination: null, source: { service: 'checkout' } });
    expect(record.reason).toBeUndefined();
  });

  it("works with Node's HTTP client CONNECT (as HTTPS_PROXY clients send it)", async () => {
    const target = `127.0.0.1:${echo.port}`;
    const { status, reply } = await new Promise<{ status: number; reply: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: outbound.port, method: 'CONNECT', path: target, headers: { host: target }, agent: false });
      req.on('error', reject);
      req.on('connect', (res: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
        let got = head.toString();
        socket.on('data', (c: Buffer) => (got += c.toString()));
        socket.on('end', () => resolve({ status: res.statusCode ?? 0, reply: got }));
        socket.end('hello through the tunnel');
      });
      req.end();
    });
    expect(status).toBe(200);
    expect(reply).toBe('hello through the tunnelbye');
  });

  it('passes binary garbage after the CONNECT head through untouched (it is the tunnel payload)', async () => {
    const target = `127.0.0.1:${echo.port}`;
    const payload = Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x47, 0x45, 0x54, 0x20]);
    const head = Buffer.concat([Buffer.from(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`), payload, Buffer.from('GET / HTTP/1.1\r\n\r\n')]);
    const client = connectClient(outbound.port, head);
    const expected = ESTABLISHED + Buffer.concat([payload, Buffer.from('GET / HTTP/1.1\r\n\r\n')]).toString('latin1');
    await eventually(() => client.data() === expected, 3_000, 'the echoed payload');
    client.socket.destroy();
  });

  it('closes the host side when the client disconnects', async () => {
    const closedBefore = echo.closed;
    const target = `127.0.0.1:${echo.port}`;
    const client = connectClient(outbound.port, `CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);
    await client.waitFor(ESTABLISHED);
    await eventually(() => echo.sockets.size === 1, 3_000, 'the host connection');
    client.socket.resetAndDestroy();
    await eventually(() => echo.closed === closedBefore + 1, 3_000, 'the host socket closed');
    expect(echo.sockets.size).toBe(0);
  });

  it('closes the client side when the host goes away', async () => {
    const target = `127.0.0.1:${echo.port}`;
    // A client that ends its side when the other ends (Node's default, most clients).
    const client = connectClient(outbound.port, `CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`, { allowHalfOpen: false });
    await client.waitFor(ESTABLISHED);
    await eventually(() => echo.sockets.size === 1, 3_000, 'the host connection');
    for (const s of echo.sockets) s.destroy();
    await client.closed;
  });

  it('refuses a host that is not on the egress allowlist with 403 and closes', async () => {
    const refusedBefore = outbound.stats.connectRefused;
    const res = await rawRequest(outbound.port, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: example.com\r\n\r\n');
    expect(statuses(res.data)).toEqual([403]);
    expect(res.data).toMatch(/x-weft-reason: not a mesh service and not in the egress allowlist: example\.com; CONNECT tunnels reach only hosts listed in MeshConfig spec\.egress\.allowedHosts/);
    expect(res.closed).toBe(true);
    expect(outbound.stats.connectRefused).toBe(refusedBefore + 1);
    expect(outbound.telemetry.records.at(-1)).toMatchObject({ method: 'CONNECT', status: 403 });
  });

  it('refuses an IP that is not allowed, and a mesh service (by name, on any port) with 405', async () => {
    const ip = await rawRequest(outbound.port, 'CONNECT 10.1.2.3:443 HTTP/1.1\r\nHost: 10.1.2.3:443\r\n\r\n');
    expect(statuses(ip.data)).toEqual([403]);
    for (const authority of [`payments:${PAYMENTS_PORT}`, `payments.shop.svc.cluster.local:${PAYMENTS_PORT}`, 'payments.shop:443']) {
      const res = await rawRequest(outbound.port, `CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`);
      expect(statuses(res.data), authority).toEqual([405]);
      expect(res.data).toMatch(/x-weft-reason: payments\.shop is a mesh service: .*send plain http:\/\//);
      expect(res.closed).toBe(true);
    }
  });

  it('answers 400 for a CONNECT target that is not host:port', async () => {
    for (const target of ['example.com', '127.0.0.1', '/path', 'user@127.0.0.1:80', '127.0.0.1:0', '127.0.0.1:99999', '127.1:80', '[::1']) {
      const res = await rawRequest(outbound.port, `CONNECT ${target} HTTP/1.1\r\nHost: x\r\n\r\n`);
      expect(statuses(res.data), target).toEqual([400]);
      expect(res.closed).toBe(true);
    }
    const garbage = await rawRequest(outbound.port, 'CONNECT \x01\x02 HTTP/1.1\r\n\r\n');
    expect(statuses(garbage.data)).toEqual([400]);
  });

  it('answers 503 when the allowed host refuses the connection, and 502/503 when its name does not resolve', async () => {
    const port = await closedPort();
    const refused = await rawRequest(outbound.port, `CONNECT 127.0.0.1:${port} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    expect(statuses(refused.data)).toEqual([503]);
    expect(refused.data).toMatch(/x-weft-reason: egress connect error \(ECONNREFUSED\): 127\.0\.0\.1:/);
    expect(refused.closed).toBe(true);
    const dns = await rawRequest(outbound.port, 'CONNECT no-such-host.invalid:443 HTTP/1.1\r\nHost: no-such-host.invalid:443\r\n\r\n', 5_000);
    expect([502, 503]).toContain(statuses(dns.data)[0]);
    expect(dns.data).toMatch(/x-weft-reason: egress (host not found|connect)/);
    expect(dns.closed).toBe(true);
  });

  it('answers 503 before the first snapshot', async () => {
    const empty = await startOutbound(undefined);
    try {
      const res = await rawRequest(empty.port, `CONNECT 127.0.0.1:${echo.port} HTTP/1.1\r\nHost: x\r\n\r\n`);
      expect(statuses(res.data)).toEqual([503]);
      expect(res.data).toMatch(/x-weft-reason: no configuration/);
    } finally {
      await empty.close();
    }
  });

  it('closes an idle tunnel, and closeAllConnections() closes open ones', async () => {
    const proxy = await startOutbound(makeSnapshot({ proxy: { service: 'checkout' }, egress: ['127.0.0.1'] }), { limits: { tunnelIdleTimeoutMs: 200 } });
    try {
      const target = `127.0.0.1:${echo.port}`;
      const idle = connectClient(proxy.port, `CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`, { allowHalfOpen: false });
      await idle.waitFor(ESTABLISHED);
      const t0 = Date.now();
      await idle.closed;
      expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
      await eventually(() => proxy.stats.tunnels.open === 0, 3_000, 'the idle tunnel closed');

      const busy = connectClient(proxy.port, `CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`, { allowHalfOpen: false });
      await busy.waitFor(ESTABLISHED);
      proxy.server.closeAllConnections();
      await busy.closed;
    } finally {
      await proxy.close();
    }
  });

  it('keeps refusing CONNECT with 405 on the inbound listener', async () => {
    const snapshot = makeSnapshot({ proxy: { service: 'payments' }, inboundPorts: [{ name: 'http', port: 8080, targetPort: echo.port }], egress: ['127.0.0.1'] });
    const inbound = await startInbound(snapshot);
    try {
      const res = await rawRequest(inbound.port, `CONNECT 127.0.0.1:${echo.port} HTTP/1.1\r\nHost: x\r\n\r\nhello`);
      expect(statuses(res.data)).toEqual([405]);
      expect(res.closed).toBe(true);
    } finally {
      await inbound.close();
    }
  });
});
