/**
 * A scripted Transport for socket-free tests of the exchange and of cluster updates. Each
 * endpoint answers from its script in order (the last entry repeats); `hang` never answers until
 * the try's signal aborts.
 */
import { Readable } from 'node:stream';
import type { TransportFactory } from './cluster-state.ts';
import type { Transport, TransportOptions, TryFailureKind, TryRequest, TryResult } from './transport.ts';

export type Scripted = number | TryFailureKind | 'hang';

export interface FakeEndpoint {
  opts: TransportOptions;
  requests: TryRequest[];
  closed: boolean;
}

export function fakeTransports(scripts: Record<number, Scripted[]>): { factory: TransportFactory; made: FakeEndpoint[] } {
  const made: FakeEndpoint[] = [];
  const factory: TransportFactory = (_h2, opts) => {
    const record: FakeEndpoint = { opts, requests: [], closed: false };
    made.push(record);
    let i = 0;
    const transport: Transport = {
      async request(req, signal): Promise<TryResult> {
        record.requests.push(req);
        if (req.body !== null) req.body.resume();
        const script = scripts[opts.port] ?? [200];
        const step = script[Math.min(i++, script.length - 1)] as Scripted;
        if (step === 'hang') {
          return new Promise((resolve) =>
            signal.addEventListener('abort', () => resolve({ kind: 'failure', failure: 'aborted', detail: 'aborted' }), { once: true }),
          );
        }
        if (typeof step === 'string') return { kind: 'failure', failure: step, detail: step.toUpperCase() };
        const body = Readable.from([Buffer.from(`${opts.port}:${step}`)]);
        return { kind: 'response', status: step, headers: {}, body, trailers: Promise.resolve({}), discard: () => body.resume() };
      },
      connections: () => 0,
      close: async () => {
        record.closed = true;
      },
      destroy: async () => {
        record.closed = true;
      },
    };
    return transport;
  };
  return { factory, made };
}
