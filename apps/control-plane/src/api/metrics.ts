import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The control plane's own Prometheus metrics, served at `/metrics`. */
export interface ApiMetrics {
  registry: Registry;
  observeRequest(labels: { surface: Surface; status: number }, seconds: number): void;
  /** Gauges read when scraped (the fleet, telemetry intake): name → help and a reader. */
  addGauges(gauges: Array<{ name: string; help: string; labelNames?: string[]; read: () => Array<[Record<string, string>, number]> }>): void;
}

/** Which HTTP surface served a request. Bounded, so the label cannot explode. */
export type Surface = 'trpc' | 'rest' | 'probe' | 'metrics' | 'other';

export function createApiMetrics(): ApiMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ app: 'weft-control-plane' });
  collectDefaultMetrics({ register: registry, prefix: 'weft_cp_' });

  const requests = new Counter({
    name: 'weft_cp_http_requests_total',
    help: 'HTTP requests served by the control plane, by surface and status code class.',
    labelNames: ['surface', 'code'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'weft_cp_http_request_duration_seconds',
    help: 'Time to serve an HTTP request, by surface.',
    labelNames: ['surface'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  return {
    registry,
    addGauges(gauges) {
      for (const g of gauges) {
        new Gauge({
          name: g.name,
          help: g.help,
          labelNames: g.labelNames ?? [],
          registers: [registry],
          collect() {
            this.reset();
            for (const [labels, value] of g.read()) this.set(labels, value);
          },
        });
      }
    },
    observeRequest({ surface, status }, seconds) {
      requests.inc({ surface, code: `${Math.floor(status / 100)}xx` });
      duration.observe({ surface }, seconds);
    },
  };
}
