/** Messages between the bench (parent) and a fleet worker process over the IPC channel. */
import type { Registration } from '@weft/contracts/snapshot';

export type ToWorker =
  | {
      type: 'connect';
      url: string;
      token: string;
      proxies: Array<{ idx: number; registration: Registration }>;
      concurrency: number;
      /** simulated: the control plane's test client (parses every snapshot); lean: lean-proxy.ts. */
      client: 'simulated' | 'lean';
    }
  /** Clock check: the worker answers with its own reading. */
  | { type: 'clock'; sent: number }
  | { type: 'stop' };

/** One snapshot receipt: [proxy idx, version, receive time on the shared clock (clock.ts)]. */
export type Receipt = [number, string, number];

export type FromWorker =
  | {
      type: 'events';
      /** Proxies whose stream was welcomed, with the time. */
      welcomed: Array<[number, number]>;
      receipts: Receipt[];
      /** Streams that ended or never opened: [idx, what happened]. */
      failed: Array<[number, string]>;
      /** Handshakes that failed and are being retried: [idx, why]. */
      retried: Array<[number, string]>;
    }
  | { type: 'clock'; sent: number; worker: number }
  /** Size in bytes of a snapshot one proxy of this worker received (a sample; lean: the whole frame). */
  | { type: 'snapshot-size'; bytes: number }
  | { type: 'stopped' };
