/**
 * gRPC through the mesh with @grpc/grpc-js: the client dials its proxy's per-upstream local port
 * (h2c), the calling proxy sends h2c to the server's proxy, which forwards h2c to the gRPC server.
 * Unary, server-streaming, client-streaming and bidirectional calls, status codes and trailers
 * pass end to end; a cancelled call reaches the server and leaves no exchange open in the proxies.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metric, spawnProxy, startApp, startMesh, waitFor, type App, type Mesh, type ProxyProcess } from './harness.ts';

const PROTO = `
syntax = "proto3";
package weft.test;
service Greeter {
  rpc Hello (HelloRequest) returns (HelloReply);
  rpc Count (CountRequest) returns (stream CountReply);
  rpc Sum (stream CountReply) returns (CountReply);
  rpc Echo (stream EchoMessage) returns (stream EchoMessage);
}
message EchoMessage { string text = 1; }
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
  Echo(metadata?: grpc.Metadata): grpc.ClientDuplexStream<{ text: string }, { text: string }>;
}

/** What the server saw of each Echo call, by the `x-call` request metadata. */
const echoCalls = new Map<string, { messages: number; closed: boolean }>();

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
    // Echoes each message (after `x-delay-ms`, in order); `fail` ends the call with
    // FAILED_PRECONDITION, the client still sending; the client's half-close ends it with OK and
    // trailing metadata once every echo is out — unless `x-hold` asks to keep it open.
    Echo: (call: grpc.ServerDuplexStream<{ text: string }, { text: string }>) => {
      const delayMs = Number(call.metadata.get('x-delay-ms')[0] ?? 0);
      const hold = call.metadata.get('x-hold').length > 0;
      const seen = { messages: 0, closed: false };
      echoCalls.set(String(call.metadata.get('x-call')[0] ?? ''), seen);
      // grpc-js emits 'cancelled' whenever the HTTP/2 stream closes, however it closed.
      call.on('cancelled', () => (seen.closed = true));
      let queue = Promise.resolve();
      let failed = false;
      const then = (step: () => void): void => {
        queue = queue.then(async () => {
          if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
          if (!call.cancelled) step();
        });
      };
      call.on('data', (m: { text: string }) => {
        seen.messages += 1;
        if (failed) return;
        if (m.text === 'fail') {
          failed = true;
          const details = `refused after ${seen.messages - 1} messages`;
          then(() => call.emit('error', { code: grpc.status.FAILED_PRECONDITION, details }));
          return;
        }
        then(() => call.write({ text: `echo ${m.text}` }));
      });
      call.on('end', () => {
        if (hold || failed) return;
        then(() => {
          const trailers = new grpc.Metadata();
          trailers.set('x-echo-count', String(seen.messages));
          call.end(trailers);
        });
      });
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

/** The sum of weft_proxy_requests_total: exchanges the proxy finished (recorded when the downstream response closes). */
async function finishedExchanges(proxy: ProxyProcess): Promise<number> {
  const text = await (await fetch(`${proxy.adminUrl}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) if (line.startsWith('weft_proxy_requests_total{')) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  return total;
}

interface EchoResult {
  replies: string[];
  status: grpc.StatusObject;
}

/**
 * One Echo call. Lock-step (default): writes a message, waits for its echo, writes the next, and
 * half-closes after the last echo. `burst`: writes every message, half-closes at once, then reads
 * the echoes (the server's `x-delay-ms` keeps the response streaming after the half-close).
 */
function echo(id: string, texts: string[], opts: { burst?: boolean; delayMs?: number } = {}): Promise<EchoResult> {
  return new Promise<EchoResult>((resolve) => {
    const metadata = new grpc.Metadata();
    metadata.set('x-call', id);
    if (opts.delayMs !== undefined) metadata.set('x-delay-ms', String(opts.delayMs));
    const call = client.Echo(metadata);
    const replies: string[] = [];
    let next = 0;
    const send = (): void => {
      if (next < texts.length) call.write({ text: texts[next++]! });
      else call.end();
    };
    call.on('data', (m: { text: string }) => {
      replies.push(m.text);
      if (!opts.burst) send();
    });
    call.on('error', () => {}); // the status event carries the outcome
    call.on('status', (status: grpc.StatusObject) => resolve({ replies, status }));
    if (opts.burst) {
      for (const text of texts) call.write({ text });
      call.end();
    } else {
      send();
    }
  });
}

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

  it('a bidirectional call echoes every message and ends with the server\'s OK status and trailing metadata', async () => {
    const texts = Array.from({ length: 20 }, (_, i) => `m${i}`);
    const cases: Array<[string, { burst?: boolean; delayMs?: number }, string[]]> = [
      ['lock-step', {}, texts],
      ['burst', { burst: true }, texts],
      // The half-close reaches the server while its echoes are still on their way back.
      ['burst, slow echoes', { burst: true, delayMs: 5 }, texts],
      // Large messages: flow control and backpressure on every hop.
      ['burst, large messages', { burst: true, delayMs: 1 }, Array.from({ length: 20 }, (_, i) => `${i}:${'x'.repeat(100_000)}`)],
    ];
    for (const [name, opts, sent] of cases) {
      for (let round = 0; round < 3; round++) {
        const id = `ok ${name} ${round}`;
        const { replies, status } = await echo(id, sent, opts);
        expect({ id, code: status.code, details: status.details, count: status.metadata.get('x-echo-count') }).toEqual({ id, code: grpc.status.OK, details: 'OK', count: [String(sent.length)] });
        expect(replies).toEqual(sent.map((t) => `echo ${t}`));
        expect(echoCalls.get(id)?.messages).toBe(sent.length);
      }
    }
  });

  it('a bidirectional call the server ends mid-stream with an error status delivers that status', async () => {
    for (const opts of [{}, { delayMs: 5 }]) {
      const { replies, status } = await echo(`fail ${JSON.stringify(opts)}`, ['a', 'b', 'c', 'fail', 'never sent'], opts);
      expect(replies).toEqual(['echo a', 'echo b', 'echo c']);
      expect({ code: status.code, details: status.details }).toEqual({ code: grpc.status.FAILED_PRECONDITION, details: 'refused after 3 messages' });
    }
    // Calls still work afterwards (the sessions between the proxies survived).
    expect((await echo('after-fail', ['x'])).status.code).toBe(grpc.status.OK);
  });

  it('a bidirectional call the client cancels mid-stream reaches the server, and no proxy keeps the exchange open', async () => {
    const before = await Promise.all([finishedExchanges(clientProxy), finishedExchanges(serverProxy)]);
    const aborts = 'weft_proxy_listener_client_aborts_total{listener="upstream:greeter:50051"}';
    const abortsBefore = await metric(clientProxy, aborts);
    const metadata = new grpc.Metadata();
    metadata.set('x-call', 'cancel');
    // The server never ends this call itself: only the client's cancel, passed on as
    // RST_STREAM(CANCEL) by both proxies, closes its stream (a half-close would not).
    metadata.set('x-hold', '1');
    const call = client.Echo(metadata);
    const status = new Promise<grpc.StatusObject>((resolve) => call.on('status', resolve));
    call.on('error', () => {});
    const replies: string[] = [];
    const threeEchoes = new Promise<void>((resolve) =>
      call.on('data', (m: { text: string }) => {
        replies.push(m.text);
        if (replies.length < 3) call.write({ text: `c${replies.length}` });
        else resolve();
      }),
    );
    call.write({ text: 'c0' });
    await threeEchoes;
    expect(replies).toEqual(['echo c0', 'echo c1', 'echo c2']);
    call.cancel();
    expect((await status).code).toBe(grpc.status.CANCELLED);
    const seen = await waitFor(async () => echoCalls.get('cancel'), (s) => s?.closed === true);
    expect(seen).toEqual({ messages: 3, closed: true });
    // Each proxy records an exchange when its downstream stream closes: one more on each means the
    // cancel closed the streams on both hops (a leaked stream would never be recorded).
    const after = await waitFor(
      () => Promise.all([finishedExchanges(clientProxy), finishedExchanges(serverProxy)]),
      ([c, s]) => c === before[0]! + 1 && s === before[1]! + 1,
    );
    expect(after).toEqual([before[0]! + 1, before[1]! + 1]);
    // The listener counters say the same on /metrics: one client abort where the app dialled,
    // nothing left in flight on either proxy.
    expect(await metric(clientProxy, aborts)).toBe(abortsBefore + 1);
    expect(await metric(clientProxy, 'weft_proxy_listener_in_flight{listener="upstream:greeter:50051"}')).toBe(0);
    expect(await metric(serverProxy, 'weft_proxy_listener_in_flight{listener="inbound"}')).toBe(0);
  });
});
