/**
 * `npm run bench -- spans [--records 1000000] [--rounds 5]`: what the proxy's telemetry costs per
 * request with and without holding unsampled spans for a failure of their trace
 * (apps/proxy/src/telemetry/held-spans.ts), at 0 %, 0.1 % and 5 % failed requests. Prints
 * µs per record (the median of rounds) and the ratio to the baseline measured in the same run:
 * the same records with holding off (`heldSpans: 0`). One round = `--records` calls of
 * `telemetry.record()` over 1,000 concurrent traces, a batch taken every 50,000.
 */
import { parseArgs } from 'node:util';
import { createTelemetry, type TelemetryRecord } from '../../apps/proxy/src/telemetry/telemetry.ts';

const { values } = parseArgs({ options: { records: { type: 'string', default: '1000000' }, rounds: { type: 'string', default: '5' } } });
const RECORDS = Number(values.records);
const ROUNDS = Math.max(1, Number(values.rounds));

const WEB = { service: 'web', namespace: 'shop', version: 'v1' };
const PAY = { service: 'payments', namespace: 'shop', version: 'v1' };
const TRACES = Array.from({ length: 1000 }, (_, i) => `00-${i.toString(16).padStart(32, 'a')}-00f067aa0ba902b7-00`);

function round(heldSpans: number, failEvery: number): number {
  const t = createTelemetry({ self: WEB, proxyId: 'web-1', samplingPercent: 0, heldSpans });
  const started = performance.now();
  for (let i = 0; i < RECORDS; i++) {
    const record: TelemetryRecord = {
      direction: 'outbound', source: WEB, destination: PAY, route: 'shop/payments/0/0', method: 'GET',
      status: failEvery > 0 && i % failEvery === failEvery - 1 ? 503 : 200, durationMs: 3, traceparent: TRACES[i % TRACES.length], mtls: true,
    };
    t.record(record);
    if (i % 50_000 === 49_999) t.takeBatch();
  }
  return ((performance.now() - started) * 1000) / RECORDS;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(`spans: ${RECORDS.toLocaleString('en')} records × ${ROUNDS} rounds, Node ${process.version}`);
console.log('failures   holding off (baseline)   holding 2,048   ratio');
for (const [label, failEvery] of [['0 %', 0], ['0.1 %', 1000], ['5 %', 20]] as const) {
  const off: number[] = [];
  const on: number[] = [];
  // Interleaved, so drift in the machine's speed hits both alike.
  for (let r = 0; r < ROUNDS; r++) {
    off.push(round(0, failEvery));
    on.push(round(2048, failEvery));
  }
  const a = median(off);
  const b = median(on);
  console.log(`${label.padEnd(10)} ${`${a.toFixed(3)} µs`.padEnd(24)} ${`${b.toFixed(3)} µs`.padEnd(15)} ${(b / a).toFixed(2)}×`);
}
