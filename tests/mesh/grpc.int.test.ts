/**
 * gRPC through the mesh with @grpc/grpc-js: the client dials its proxy's per-upstream local port
 * (h2c), the calling proxy sends h2c to the server's proxy, which forwards h2c to the gRPC server.
 * Unary and server-streaming calls, status codes and trailers pass end to end.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnProxy, startApp, startMesh, type App, type Mesh, type ProxyProcess } from './harness.ts';

const PROTO = `
syntax = "proto3";
package weft.test;
service Greeter {
  rpc Hello (HelloRequest) returns (HelloReply);
  rpc Count (CountRequest) returns (stream CountReply);
  rpc Sum (stream CountReply) returns (CountReply);
}
message HelloRequest { string name = 1; }
message HelloReply { string message = 1; string version = 2; }
message CountRequest { int32 upTo = 1; }
message CountReply { int32 n = 1; }
`;

type Callback<T> = (err: grpc.ServiceError | null, value?: T) => void;
interface GreeterClient extends grpc.Client {
  Hello(req: { name: string }, cb: Callback<{ message: string; version: string }>): void;
  Count(req: { upTo: number }): grpc.ClientReadableStream<{ n: number }>;
  Sum(cb: Callback<{ n: number }>): grpc.ClientWritableStream<{ n: number }>;
}

let mesh: Mesh;
let server: grpc.Server;
let serverProxy: ProxyProcess;
let clientProxy: ProxyProcess;
let clientApp: App;
let client: GreeterClient;

beforeAll(async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'weft-grpc-'));
  await writeFile(path.join(dir, 'greeter.proto'), PROTO);
  const definition = grpc.loadPackageDefinition(protoLoader.loadSync(path.join(dir, 'greeter.proto'))) as unknown as {
    weft: { test: { Greeter: grpc.ServiceClientConstructor } };
  };
  const Greeter = definition.weft.test.Greeter;

  server = new grpc.Server();
  server.addService(Greeter.service, {
    Hello: (call: grpc.ServerUnaryCall<{ name: string }, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      if (call.request.name === 'nobody') return cb({ code: grpc.status.NOT_FOUND, details: 'no such person' });
      cb(null, { message: `hello ${call.request.name}`, version: 'v1' });
    },
    Sum: (call: grpc.ServerReadableStream<{ n: number }, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      let total = 0;
      call.on('data', (m: { n: number }) => (total += m.n));
      call.on('end', () => cb(null, { n: total }));
    },
    Count: (call: grpc.ServerWritableStream<{ upTo: number }, unknown>) => {
      let n = 0;
      const timer = setInterval(() => {
        n += 1;
        call.write({ n });
        if (n >= call.request.upTo) {
          clearInterval(timer);
          call.end();
        }
      }, 10);
    },
  });
  const grpcPort = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))));

  mesh = await startMesh();
  serverProxy = await spawnProxy({ controlPlane: mesh.cps[0]!.url, token: mesh.token, namespace: 'shop', service: 'greeter', appPort: grpcPort, servicePort: 50051, protocol: 'grpc', dependencies: [] });
  clientApp = await startApp('client');
  clientProxy = await spawnProxy({ controlPlane: mesh.cps[0]!.url, token: mesh.token, namespace: 'shop', service: 'client', appPort: clientApp.port, dependencies: ['greeter'], upstreams: ['greeter:50051'] });
  await Promise.all([serverProxy.ready(), clientProxy.ready()]);
  client = new Greeter(`127.0.0.1:${clientProxy.upstreamPorts['greeter:50051']}`, grpc.credentials.createInsecure()) as unknown as GreeterClient;
}, 120_000);

afterAll(async () => {
  client?.close();
  server?.forceShutdown();
  await Promise.all([serverProxy?.stop(), clientProxy?.stop()]);
  await clientApp?.close();
  await mesh?.stop();
});

const hello = (name: string) =>
  new Promise<{ message: string; version: string }>((resolve, reject) => client.Hello({ name }, (err, value) => (err ? reject(err) : resolve(value!))));

describe('gRPC through two proxies', () => {
  it('unary calls succeed, and an error status arrives in the trailers', async () => {
    // The client's snapshot may still be on its way: retry briefly until the route exists.
    const deadline = Date.now() + 10_000;
    let reply: { message: string } | undefined;
    while (!reply && Date.now() < deadline) reply = await hello('weft').catch(() => undefined);
    expect(reply?.message).toBe('hello weft');
    for (let i = 0; i < 20; i++) expect((await hello(`n${i}`)).message).toBe(`hello n${i}`);
    const err = await hello('nobody').then(() => undefined, (e: grpc.ServiceError) => e);
    expect(err?.code).toBe(grpc.status.NOT_FOUND);
    expect(err?.details).toBe('no such person');
  });

  it('a server-streaming call delivers every message in order', async () => {
    const got: number[] = [];
    await new Promise<void>((resolve, reject) => {
      const stream = client.Count({ upTo: 25 });
      stream.on('data', (m: { n: number }) => got.push(m.n));
      stream.on('error', reject);
      stream.on('end', () => resolve());
    });
    expect(got).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it('a client-streaming call delivers every message and gets its answer', async () => {
    const sum = await new Promise<number>((resolve, reject) => {
      const call = client.Sum((err, value) => (err ? reject(err) : resolve(value!.n)));
      for (let n = 1; n <= 100; n++) call.write({ n });
      call.end();
    });
    expect(sum).toBe(5050);
  });
});
