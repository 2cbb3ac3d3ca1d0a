/**
 * The cluster manager's state: clusters by name, their endpoints with transports and outlier
 * state, and how a new set of clusters from a snapshot is applied.
 *
 *   ClusterState ─┬─ policy (replaced on update; requests in flight keep the one they started with)
 *                 ├─ counters + connection gate (circuit breaker), retry budget, LB cursor
 *                 └─ EndpointState[] ── key address:port ── transport (undici Pool | h2 sessions)
 *                                                        └─ outlier state, requests in flight
 *
 * An endpoint that stays (same address:port) keeps its transport, its connections and its
 * outlier state; one that goes is closed gracefully (tries in flight finish). A transport is
 * replaced (gracefully) only when what it was built with changes: protocol, connect or idle timeout.
 */
import type { SnapshotCluster, SnapshotClusterPolicy } from '@weft/contracts/snapshot';
import { newCircuitCounters, type CircuitCounters } from '../resilience/circuit-breaker.ts';
import { createConnectionGate, type ConnectionGate } from '../resilience/connection-gate.ts';
import type { LbState } from '../resilience/load-balancer.ts';
import { newOutlierState, type OutlierState } from '../resilience/outlier-detection.ts';
import { createRetryBudget, type RetryBudget } from '../resilience/retry-budget.ts';
import { createH1Transport } from './h1-transport.ts';
import { createH2Transport } from './h2-transport.ts';
import { usesH2, type ClusterWithProtocol } from './protocols.ts';
import type { Transport, TransportOptions } from './transport.ts';

export interface EndpointState {
  /** `address:port`. */
  key: string;
  address: string;
  port: number;
  version: string;
  identity: string;
  /** Tries on this endpoint from dispatch until their response body ends (least-request input). */
  inFlight: number;
  outlier: OutlierState;
  transport: Transport;
  transportKey: string;
}

export interface ClusterState {
  name: string;
  policy: SnapshotClusterPolicy;
  h2: boolean;
  endpoints: EndpointState[];
  counters: CircuitCounters;
  gate: ConnectionGate;
  budget: RetryBudget;
  lb: LbState;
}

export type TransportFactory = (h2: boolean, opts: TransportOptions) => Transport;

export const defaultTransportFactory: TransportFactory = (h2, opts) => (h2 ? createH2Transport(opts) : createH1Transport(opts));

export interface ClusterRegistry {
  clusters: Map<string, ClusterState>;
  /** Transports being closed gracefully (removed endpoints, replaced transports). */
  closing: Set<Promise<void>>;
  /** Transports by their close promise, to destroy them when a grace period ends. */
  closingTransports: Map<Promise<void>, Transport>;
}

export function newRegistry(): ClusterRegistry {
  return { clusters: new Map(), closing: new Set(), closingTransports: new Map() };
}

/** Closes a transport gracefully, remembering it until it is closed. */
export function retire(registry: ClusterRegistry, transport: Transport): void {
  const done: Promise<void> = transport
    .close()
    .catch(() => {})
    .finally(() => {
      registry.closing.delete(done);
      registry.closingTransports.delete(done);
    });
  registry.closing.add(done);
  registry.closingTransports.set(done, transport);
}

/**
 * The transport settings a policy implies; a change of any of them (the key) replaces the
 * endpoint's transport. `maxConnections` caps each endpoint's pool as well as the cluster's
 * in-flight requests (the gate): undici reuses a connection only an event-loop turn after its
 * response ended, so without the cap a request let through by the gate at that moment would
 * open one connection more than the limit.
 */
function transportSpec(h2: boolean, policy: SnapshotClusterPolicy): { key: string; opts: Omit<TransportOptions, 'address' | 'port'> } {
  const { connectMs, idleMs } = policy.timeouts;
  const maxConnections = policy.circuitBreaker.maxConnections;
  return { key: `${h2 ? 'h2' : 'h1'}|${connectMs}|${idleMs}|${h2 ? '' : maxConnections}`, opts: { connectTimeoutMs: connectMs, idleTimeoutMs: idleMs, maxConnections } };
}

/**
 * An endpoint's transport key: with mTLS, the identity its connections were verified against is
 * part of it — an endpoint that now must present another SPIFFE ID gets new connections.
 */
function endpointKey(specKey: string, identity: string, identityKeyed: boolean): string {
  return identityKeyed ? `${specKey}|${identity}` : specKey;
}

/** Applies a snapshot's clusters: creates, updates and removes clusters and endpoints. */
export function applyClusters(
  registry: ClusterRegistry,
  clusters: readonly (SnapshotCluster | ClusterWithProtocol)[],
  deps: { now: () => number; factory: TransportFactory; /** mTLS: a new identity replaces the transport. */ identityKeyed?: boolean },
): void {
  const seen = new Set<string>();
  for (const c of clusters) {
    seen.add(c.name);
    const h2 = usesH2((c as ClusterWithProtocol).protocol);
    let state = registry.clusters.get(c.name);
    if (state === undefined) {
      const counters = newCircuitCounters();
      state = { name: c.name, policy: c.policy, h2, endpoints: [], counters, gate: createConnectionGate(counters), budget: createRetryBudget(deps.now), lb: { cursor: 0 } };
      registry.clusters.set(c.name, state);
    }
    state.policy = c.policy;
    state.h2 = h2;
    const spec = transportSpec(h2, c.policy);

    const old = new Map(state.endpoints.map((e) => [e.key, e]));
    const next: EndpointState[] = [];
    const kept = new Set<string>();
    for (const e of c.endpoints) {
      const key = `${e.address}:${e.port}`;
      if (kept.has(key)) continue;
      kept.add(key);
      const existing = old.get(key);
      const transportKey = endpointKey(spec.key, e.identity, deps.identityKeyed === true);
      if (existing !== undefined) {
        existing.version = e.version;
        existing.identity = e.identity;
        if (existing.transportKey !== transportKey) {
          retire(registry, existing.transport);
          existing.transport = deps.factory(h2, { address: e.address, port: e.port, identity: e.identity, ...spec.opts });
          existing.transportKey = transportKey;
        }
        next.push(existing);
      } else {
        next.push({
          key,
          address: e.address,
          port: e.port,
          version: e.version,
          identity: e.identity,
          inFlight: 0,
          outlier: newOutlierState(),
          transport: deps.factory(h2, { address: e.address, port: e.port, identity: e.identity, ...spec.opts }),
          transportKey,
        });
      }
    }
    for (const [key, e] of old) if (!kept.has(key)) retire(registry, e.transport);
    state.endpoints = next;
  }
  for (const [name, state] of registry.clusters) {
    if (seen.has(name)) continue;
    for (const e of state.endpoints) retire(registry, e.transport);
    state.endpoints = [];
    registry.clusters.delete(name);
  }
}
