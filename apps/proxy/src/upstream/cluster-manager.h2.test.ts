/**
 * ClusterManager over real h2c sockets (node:http2 sessions) against node:http2 servers on
 * 127.0.0.1: gRPC-style trailers, session reuse, REFUSED_STREAM, timeouts, streaming.
 */
import http2 from 'node:http2';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, describe, expect, it } from 'vitest';
import type { UpstreamRequest } from '../data-path.ts';
import { createClusterManager, type ClusterManagerWithStats } from './cluster-manager.ts';
import { CLUSTER, closedPort, cluster, eventually, failureOf, policy, startH2Server, timedRuns, type TestServer } from './test-support.ts';

const { NGHTTP2_REFUSED_STREAM, NGHTTP2_INTERNAL_ERROR } = http2.constants;

const grpcCall = (message: string): UpstreamRequest => ({
  method: 'POST',
  path: '/payments.v1.Payments/Charge',
  headers: { host: 'payments.shop:8080', 'content-type': 'application/grpc', te: 'trailers', connection: 'keep-alive' },
  body: Readable.from([Buffer.from(message)]),
});
const get = (path = '/'): UpstreamRequest => ({ method: 'GET', path, headers: { host: 'payments' }, body: null });

let servers: TestServer[] = [];
let manager: ClusterManagerWithStats | undefined;
afterEach(async () => {
  await manager?.close();
  manager = undefined;
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
async function server(onStream: Parameters<typeof startH2Server>[0]): Promise<TestServer> {
  const s = await startH2Server(onStream);
  servers.push(s);
  return s;
}

describe('ClusterManager over h2c', () => {
  it('round-trips a gRPC-style call with trailers, on one reused session', async () => {
    const seen: http2.IncomingHttpHeaders[] = [];
    const s = await server(async (stream, headers) => {
      seen.push(headers);
      const body = await text(stream);
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0', 'grpc-message': 'charged' }));
      stream.end(`echo:${body}`);
    });
    manager = createClusterManager();
    manager.update([cluster([s.port], policy(), 'grpc')]);
    for (let i = 0; i < 3; i++) {
      const res = await manager.send(CLUSTER, grpcCall(`m${i}`), {});
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/grpc');
      expect(res.headers[':status']).toBeUndefined();
      expect(await text(res.body)).toBe(`echo:m${i}`);
      expect(await res.trailers).toEqual({ 'grpc-status': '0', 'grpc-message': 'charged' });
    }
    expect(s.accepted()).toBe(1);
    expect(seen[0]).toMatchObject({ ':method': 'POST', ':authority': 'payments.shop:8080', ':path': '/payments.v1.Payments/Charge', te: 'trailers' });
    expect(seen[0]?.connection).toBeUndefined();
  });

  it('retries a refused stream, even for POST (it never reached the application)', async () => {
    let n = 0;
    const s = await server((stream) => {
      if (n++ === 0) {
        stream.close(NGHTTP2_REFUSED_STREAM);
        return;
      }
      stream.respond({ ':status': 200 });
      stream.end('second');
    });
    manager = createClusterManager();
    manager.update([cluster([s.port], policy(), 'http2')]);
    const res = await manager.send(CLUSTER, grpcCall('x'), {});
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(2);
    expect(await text(res.body)).toBe('second');
  });

  it('answers a reset stream with 503 and a refused one (without retries) with 503', async () => {
    let refuse = false;
    const s = await server((stream) => stream.close(refuse ? NGHTTP2_REFUSED_STREAM : NGHTTP2_INTERNAL_ERROR));
    manager = createClusterManager();
    manager.update([cluster([s.port], policy({ retries: undefined }), 'http2')]);
    const reset = await failureOf(manager.send(CLUSTER, get(), {}));
    expect(reset.status).toBe(503);
    expect(reset.reason).toMatch(/^upstream reset before response/);
    refuse = true;
    expect(await failureOf(manager.send(CLUSTER, get(), {}))).toEqual({ status: 503, reason: 'upstream refused the stream' });
  });

  it('answers a connect failure with 503', async () => {
    manager = createClusterManager();
    manager.update([cluster([await closedPort()], policy({ retries: undefined }), 'http2')]);
    expect(await failureOf(manager.send(CLUSTER, get(), {}))).toEqual({ status: 503, reason: 'upstream connect error: ECONNREFUSED' });
  });

  it('times out a hung stream at the request timeout (±50 ms), cancels it, and closes the idle session', async () => {
    let cancelled = false;
    const s = await server((stream) => {
      stream.on('close', () => (cancelled = stream.rstCode === http2.constants.NGHTTP2_CANCEL));
    });
    manager = createClusterManager();
    manager.update([cluster([s.port], policy({ timeouts: { connectMs: 1_000, requestMs: 200, idleMs: 100 } }), 'http2')]);
    const runs = await timedRuns(async () => {
      expect(await failureOf(manager!.send(CLUSTER, get(), {}))).toEqual({ status: 504, reason: 'upstream request timeout' });
    }, 200, 50);
    for (const took of runs) expect(took).toBeGreaterThanOrEqual(198);
    expect(Math.min(...runs.map((took) => Math.abs(took - 200)))).toBeLessThanOrEqual(50);
    await eventually(() => cancelled);
    await eventually(() => s.sockets() === 0 && manager!.stats()[CLUSTER]?.connections === 0);
    expect(manager.stats()[CLUSTER]).toMatchObject({ requests: 0, connections: 0 });
  });

  it('streams the response without buffering it', async () => {
    let finish: () => void = () => {};
    const s = await server((stream) => {
      stream.respond({ ':status': 200 });
      stream.write('first;');
      finish = () => stream.end('last');
    });
    manager = createClusterManager();
    manager.update([cluster([s.port], policy(), 'http2')]);
    const res = await manager.send(CLUSTER, get(), {});
    const first = await new Promise<Buffer>((resolve) => res.body.once('data', resolve));
    expect(first.toString()).toBe('first;');
    const rest = text(res.body);
    finish();
    expect(await rest).toBe('last');
    expect(await res.trailers).toEqual({});
  });
});
