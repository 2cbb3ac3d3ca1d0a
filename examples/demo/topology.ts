/**
 * The demo mesh: which workloads run, in which namespace, what they call, their default faults,
 * and the fixed port layout on loopback. Pure data and helpers; nothing here starts anything.
 *
 *   platform/loadgen ─▶ shop/storefront ─▶ shop/checkout ─▶ shop/payments
 *                                  │                 ├──────▶ shop/inventory
 *                                  │                 └──────▶ platform/notifications
 *                                  └──────▶ shop/recommendations (v1, v2)
 *
 * Each workload has a block of ten ports from the base (default 7100): its app at `base + 10·slot`,
 * then its proxy's inbound (+1), outbound (+2) and admin (+3) ports.
 */
import type { Faults } from './faults.ts';

/** One workload of the demo: an app instance and the proxy beside it. */
export interface DemoWorkload {
  service: string;
  namespace: 'shop' | 'platform';
  version: string;
  /** Position in the port layout: the block `base + 10·slot … base + 10·slot + 3`. */
  slot: number;
  /** Services it calls, as `service.namespace` (the proxy's `--dependencies`). */
  calls: string[];
  /** Latency and error rate it starts with (changeable at run time: POST /_demo/faults). */
  faults: Faults;
}

/** The default first port of the demo's range (the range is `base … base + 79`). */
export const DEFAULT_PORT_BASE = 7100;
/** How many ports the layout spans from the base. */
export const PORT_SPAN = 80;

/**
 * The workloads, in start order (callees before callers, the load generator last). `loadgen` is
 * the load generator's own workload: under STRICT mTLS an outside caller cannot reach
 * storefront's inbound port, so the traffic enters the mesh the way an edge gateway's would —
 * through a proxy of its own.
 */
export const DEMO_WORKLOADS: readonly DemoWorkload[] = [
  { service: 'payments', namespace: 'shop', version: 'v1', slot: 3, calls: [], faults: { latencyMs: 60, errorRate: 0.02 } },
  { service: 'inventory', namespace: 'shop', version: 'v1', slot: 4, calls: [], faults: { latencyMs: 15, errorRate: 0.005 } },
  { service: 'notifications', namespace: 'platform', version: 'v1', slot: 5, calls: [], faults: { latencyMs: 20, errorRate: 0.01 } },
  { service: 'recommendations', namespace: 'shop', version: 'v1', slot: 6, calls: [], faults: { latencyMs: 30, errorRate: 0.01 } },
  { service: 'recommendations', namespace: 'shop', version: 'v2', slot: 7, calls: [], faults: { latencyMs: 120, errorRate: 0.08 } },
  { service: 'checkout', namespace: 'shop', version: 'v1', slot: 2, calls: ['payments.shop', 'inventory.shop', 'notifications.platform'], faults: { latencyMs: 20, errorRate: 0.005 } },
  { service: 'storefront', namespace: 'shop', version: 'v1', slot: 1, calls: ['checkout.shop', 'recommendations.shop'], faults: { latencyMs: 10, errorRate: 0.002 } },
  { service: 'loadgen', namespace: 'platform', version: 'v1', slot: 0, calls: ['storefront.shop'], faults: { latencyMs: 0, errorRate: 0 } },
];

/** The ports of one workload for a given base. */
export interface WorkloadPorts {
  app: number;
  inbound: number;
  outbound: number;
  admin: number;
}

/** Where `workload` listens when the range starts at `base`. */
export function portsOf(workload: Pick<DemoWorkload, 'slot'>, base: number): WorkloadPorts {
  const first = base + 10 * workload.slot;
  return { app: first, inbound: first + 1, outbound: first + 2, admin: first + 3 };
}

/** `service-version`, unique among the workloads: names state dirs, logs and fault targets. */
export const workloadName = (w: Pick<DemoWorkload, 'service' | 'version'>): string => `${w.service}-${w.version}`;

/** Every port of the layout with what uses it, for a clear message when one is taken. */
export function portPlan(base: number, workloads: readonly DemoWorkload[] = DEMO_WORKLOADS): { port: number; use: string }[] {
  return workloads.flatMap((w) => {
    const p = portsOf(w, base);
    const name = workloadName(w);
    return [
      { port: p.app, use: `${name} app` },
      { port: p.inbound, use: `${name} proxy inbound` },
      { port: p.outbound, use: `${name} proxy outbound` },
      { port: p.admin, use: `${name} proxy admin` },
    ];
  });
}
