/**
 * The load generator, in its own process so it never shares an event loop with what it measures:
 *   node load-worker.ts '<json LoadSpec>'
 * prints `START` just before the load begins, then one line `RESULT <json>`.
 */
import type { EventEmitter } from 'node:events';
import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  /** Request-line target: an origin path, or an absolute URI for an HTTP_PROXY-style listener. */
  path: string;
  headers?: Record<string, string>;
  connections: number;
  duration: number;
  /** Fixed total rate (autocannon overallRate); absent: as fast as it can. */
  overallRate?: number;
  /** mTLS: a client certificate chain and key (PEM); `url` is then https://. */
  tls?: { cert: string; key: string };
}

export interface LoadOutput {
  requestsPerSecond: number;
  total: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

const spec = JSON.parse(process.argv[2]!) as LoadSpec;
process.stdout.write('START\n');
// autocannon's own histogram keeps whole milliseconds; the response times it reports per
// request are fractional (process.hrtime), so percentiles are taken from those (2xx only).
let times = new Float64Array(1 << 16);
let n = 0;
const instance = autocannon({
  url: spec.url,
  connections: spec.connections,
  duration: spec.duration,
  pipelining: 1,
  requests: [{ method: 'GET', path: spec.path, ...(spec.headers ? { headers: spec.headers } : {}) }],
  ...(spec.overallRate ? { overallRate: spec.overallRate } : {}),
  // The peer's SPIFFE identity is what a proxy would check; the bench checks nothing (it measures).
  ...(spec.tls ? { tlsOptions: { cert: spec.tls.cert, key: spec.tls.key, rejectUnauthorized: false, minVersion: 'TLSv1.3', ALPNProtocols: ['http/1.1'] } } : {}),
}) as unknown as EventEmitter & Promise<autocannon.Result>;
instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
  if (status < 200 || status > 299) return;
  if (n === times.length) {
    const grown = new Float64Array(times.length * 2);
    grown.set(times);
    times = grown;
  }
  times[n++] = ms;
});
const r = await instance;
const sorted = times.subarray(0, n).sort();
const pct = (q: number) => (n ? sorted[Math.min(n - 1, Math.floor(q * n))]! : NaN);
const out: LoadOutput = {
  requestsPerSecond: r.requests.average,
  total: r.requests.total,
  p50Ms: pct(0.5),
  p99Ms: pct(0.99),
  errors: r.errors + r.timeouts,
  non2xx: r.non2xx,
};
process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);
