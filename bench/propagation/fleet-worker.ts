/**
 * A fleet worker: a child process holding its share of the simulated proxies (one WebSocket each):
 * by default the control plane's own test client, apps/control-plane/src/distribution/testing/
 * simulated-proxy.ts, with schema validation off (the bench measures the control plane, not zod);
 * with `--client lean`, lean-proxy.ts, which does not parse snapshots at all. It reports welcomes,
 * snapshot receipts (stamped on the shared clock) and failures to the parent in batches every
 * 25 ms, so reporting costs little next to the streams themselves.
 */
import { connectSimulatedProxy } from '../../apps/control-plane/src/distribution/testing/simulated-proxy.ts';
import { epochNow, toEpoch } from './clock.ts';
import type { FromWorker, Receipt, ToWorker } from './fleet-protocol.ts';
import { connectLeanProxy, type BenchProxy } from './lean-proxy.ts';

const proxies: BenchProxy[] = [];
let welcomed: Array<[number, number]> = [];
let receipts: Receipt[] = [];
let failed: Array<[number, string]> = [];
let retried: Array<[number, string]> = [];
let stopping = false;

const send = (msg: FromWorker) => process.send!(msg);

const flusher = setInterval(() => {
  if (welcomed.length + receipts.length + failed.length + retried.length === 0) return;
  send({ type: 'events', welcomed, receipts, failed, retried });
  welcomed = [];
  receipts = [];
  failed = [];
  retried = [];
}, 25);

/** Attempts per proxy: a real proxy reconnects after a failed handshake, with a pause. */
const ATTEMPTS = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function connectAll(msg: Extract<ToWorker, { type: 'connect' }>): Promise<void> {
  let next = 0;
  let sampled = false;
  // A bounded number of handshakes in flight, so the control plane's listen backlog never overflows
  // (a dropped SYN costs a 1 s retransmit and would be counted as registration time).
  const lane = async () => {
    while (next < msg.proxies.length && !stopping) {
      const { idx, registration } = msg.proxies[next++]!;
      const sample = !sampled;
      sampled = true;
      for (let attempt = 1; attempt <= ATTEMPTS && !stopping; attempt++) {
        // One proxy per worker reports its snapshot's size (for every snapshot it gets).
        const size = (bytes: number) => send({ type: 'snapshot-size', bytes });
        const p: BenchProxy =
          msg.client === 'lean'
            ? connectLeanProxy({ url: msg.url, token: msg.token, registration, ...(sample ? { onFrameBytes: size } : {}) })
            : connectSimulatedProxy({
                url: msg.url,
                token: msg.token,
                registration,
                skipValidation: true,
                ...(sample ? { reject: (snapshot: unknown) => void size(Buffer.byteLength(JSON.stringify(snapshot))) } : {}),
              });
        p.onSnapshot((version, at) => receipts.push([idx, version, toEpoch(at)]));
        try {
          await p.welcome;
        } catch (err) {
          p.close();
          const what = (err as Error).message;
          if (attempt === ATTEMPTS) failed.push([idx, `${what} (after ${ATTEMPTS} attempts)`]);
          else {
            retried.push([idx, what]);
            await sleep(500 + Math.random() * 500);
          }
          continue;
        }
        proxies.push(p);
        welcomed.push([idx, epochNow()]);
        void p.closed.then(({ code, reason }) => {
          if (!stopping) failed.push([idx, `stream closed: ${code} ${reason}`]);
        });
        break;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, msg.concurrency) }, lane));
}

process.on('message', (msg: ToWorker) => {
  switch (msg.type) {
    case 'connect':
      void connectAll(msg);
      return;
    case 'clock':
      send({ type: 'clock', sent: msg.sent, worker: epochNow() });
      return;
    case 'stop':
      stopping = true;
      for (const p of proxies) p.close();
      clearInterval(flusher);
      send({ type: 'stopped' });
      process.disconnect();
      return;
  }
});

// The parent went away (however it ended): drop every stream and leave.
process.on('disconnect', () => {
  stopping = true;
  for (const p of proxies) p.close();
  process.exit(0);
});
