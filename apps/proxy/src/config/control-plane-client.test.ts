/** The proxy's stream client against a real WebSocket server on loopback. */
import type { AddressInfo } from 'node:net';
import { STREAM_CLOSE, STREAM_SUBPROTOCOL, type ClientMessage } from '@weft/contracts/snapshot';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { createControlPlaneClient, type ControlPlaneClient } from './control-plane-client.ts';

const registration = { proxyId: 'checkout-1', namespace: 'shop', service: 'checkout', version: 'v1', address: '127.0.0.1', inboundPort: 15006 };
const silent = { info() {}, warn() {} };

interface Server {
  url: string;
  received: ClientMessage[];
  sockets: WebSocket[];
  headers: string[];
  close(): Promise<void>;
  next(type: ClientMessage['type']): Promise<ClientMessage>;
}

async function server(onHello: (ws: WebSocket, hello: ClientMessage) => void): Promise<Server> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: (p) => (p.has(STREAM_SUBPROTOCOL) ? STREAM_SUBPROTOCOL : false) });
  await new Promise((r) => wss.once('listening', r));
  const received: ClientMessage[] = [];
  const waiters: Array<[ClientMessage['type'], (m: ClientMessage) => void]> = [];
  const sockets: WebSocket[] = [];
  const headers: string[] = [];
  wss.on('connection', (ws, req) => {
    sockets.push(ws);
    headers.push(String(req.headers.authorization));
    ws.on('message', (data: Buffer) => {
      const msg = JSON.parse(data.toString()) as ClientMessage;
      received.push(msg);
      if (msg.type === 'hello') onHello(ws, msg);
      const i = waiters.findIndex(([t]) => t === msg.type);
      if (i >= 0) waiters.splice(i, 1)[0]![1](msg);
    });
  });
  return {
    url: `http://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    received,
    sockets,
    headers,
    close: () => new Promise((r) => wss.close(() => r())),
    next: (type) => {
      const seen = received.find((m) => m.type === type && !(m as { consumed?: boolean }).consumed);
      if (seen) {
        (seen as { consumed?: boolean }).consumed = true;
        return Promise.resolve(seen);
      }
      return new Promise((resolve) => waiters.push([type, (m) => ((m as { consumed?: boolean }).consumed = true, resolve(m))]));
    },
  };
}

const welcome = (ws: WebSocket) => ws.send(JSON.stringify({ type: 'welcome', proxyId: 'checkout-1', replica: 'cp-test', heartbeatIntervalMs: 10_000, endpointExpiryMs: 40_000 }));

let client: ControlPlaneClient | undefined;
let srv: Server | undefined;
afterEach(async () => {
  await client?.stop();
  await srv?.close();
});

describe('control-plane client', () => {
  it('says hello with its registration, token and version; ACKs what applies and NACKs what does not', async () => {
    srv = await server((ws) => {
      welcome(ws);
      ws.send(JSON.stringify({ type: 'snapshot', version: 'v-good', snapshot: { good: true } }));
      ws.send(JSON.stringify({ type: 'snapshot', version: 'v-bad', snapshot: { good: false } }));
    });
    client = createControlPlaneClient({
      url: srv.url,
      token: 'secret-token',
      registration,
      currentVersion: () => 'v-disk',
      apply: async (s) => ((s as { good: boolean }).good ? { ok: true } : { ok: false, error: 'not good' }),
      logger: silent,
    });
    client.start();
    expect(await srv.next('hello')).toMatchObject({ registration, currentVersion: 'v-disk' });
    expect(srv.headers[0]).toBe('Bearer secret-token');
    expect(await srv.next('ack')).toEqual({ type: 'ack', version: 'v-good', consumed: true });
    expect(await srv.next('nack')).toEqual({ type: 'nack', version: 'v-bad', error: 'not good', consumed: true });
    expect(client.state()).toBe('connected');
  });

  it('reconnects with backoff after the stream ends, and says goodbye on a graceful stop', async () => {
    let hellos = 0;
    srv = await server((ws) => {
      hellos += 1;
      welcome(ws);
      if (hellos === 1) setTimeout(() => ws.close(STREAM_CLOSE.goingAway, 'restart'), 20);
    });
    client = createControlPlaneClient({ url: srv.url, token: 't', registration, currentVersion: () => undefined, apply: async () => ({ ok: true }), logger: silent, initialBackoffMs: 20, maxBackoffMs: 100 });
    client.start();
    await srv.next('hello');
    const second = await srv.next('hello');
    expect(second).not.toHaveProperty('currentVersion');
    await new Promise((r) => setTimeout(r, 20));
    await client.stop({ goodbye: true });
    expect(srv.received.some((m) => m.type === 'goodbye')).toBe(true);
    client = undefined;
  });

  it('keeps trying while the control plane is down (backoff grows, capped)', async () => {
    client = createControlPlaneClient({ url: 'http://127.0.0.1:1', token: 't', registration, currentVersion: () => undefined, apply: async () => ({ ok: true }), logger: silent, initialBackoffMs: 5, maxBackoffMs: 20 });
    client.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(client.failures()).toBeGreaterThan(3);
    expect(client.state()).not.toBe('connected');
  });

  it('asks for the Authorization header on every connection attempt, says when the last one was refused, and retries a refused proof soon', async () => {
    let n = 0;
    srv = await server((ws) => {
      n += 1;
      welcome(ws);
      setTimeout(() => ws.close(n === 1 ? STREAM_CLOSE.unauthenticated : STREAM_CLOSE.goingAway, 'x'), 10);
    });
    const asked: boolean[] = [];
    client = createControlPlaneClient({
      url: srv.url,
      token: 't',
      authorization: async ({ previousRefused }) => {
        asked.push(previousRefused);
        return `WeftProof proof-${asked.length}`;
      },
      registration,
      currentVersion: () => undefined,
      apply: async () => ({ ok: true }),
      logger: silent,
      initialBackoffMs: 5,
      maxBackoffMs: 60_000, // a refused credential waits 30–60 s, unless it was a proof and a token remains
    });
    client.start();
    await srv.next('hello');
    await srv.next('hello');
    expect(srv.headers.slice(0, 2)).toEqual(['WeftProof proof-1', 'WeftProof proof-2']);
    expect(asked.slice(0, 2)).toEqual([false, true]);
  });

  it('after a refusal, waits long — unless new credentials arrive, then it tries again at once', async () => {
    let n = 0;
    srv = await server((ws) => {
      n += 1;
      if (n === 1) ws.close(STREAM_CLOSE.unauthenticated, 'no credential');
      else welcome(ws);
    });
    let credential = 'WeftProof stale';
    client = createControlPlaneClient({
      url: srv.url,
      token: undefined,
      authorization: async () => credential,
      registration,
      currentVersion: () => undefined,
      apply: async () => ({ ok: true }),
      logger: silent,
      initialBackoffMs: 5,
      maxBackoffMs: 60_000, // a refused credential waits 30–60 s
    });
    client.start();
    await srv.next('hello');
    await new Promise((r) => setTimeout(r, 200));
    expect(client.state()).toBe('waiting');
    expect(n).toBe(1);
    credential = 'WeftProof fresh';
    client.credentialsChanged();
    await srv.next('hello');
    expect(srv.headers[1]).toBe('WeftProof fresh');
    await expect.poll(() => client!.state()).toBe('connected');
  });

  it('without any credential yet it does not knock: it connects when one arrives', async () => {
    srv = await server((ws) => welcome(ws));
    let credential: string | undefined = undefined;
    client = createControlPlaneClient({
      url: srv.url,
      token: undefined,
      authorization: async () => credential,
      registration,
      currentVersion: () => undefined,
      apply: async () => ({ ok: true }),
      logger: silent,
      initialBackoffMs: 5,
      maxBackoffMs: 60_000,
    });
    client.start();
    await new Promise((r) => setTimeout(r, 200));
    expect(srv.sockets.length).toBe(0);
    expect(client.state()).toBe('waiting');
    credential = 'WeftProof first';
    client.credentialsChanged();
    await srv.next('hello');
    expect(srv.headers[0]).toBe('WeftProof first');
    await expect.poll(() => client!.state()).toBe('connected');
  });

  it('ignores new credentials while connected or retrying soon', async () => {
    srv = await server((ws) => welcome(ws));
    client = createControlPlaneClient({ url: srv.url, token: 't', registration, currentVersion: () => undefined, apply: async () => ({ ok: true }), logger: silent });
    client.start();
    await srv.next('hello');
    await expect.poll(() => client!.state()).toBe('connected');
    client.credentialsChanged();
    await new Promise((r) => setTimeout(r, 100));
    expect(srv.sockets.length).toBe(1);
  });
});
