/**
 * The local inventory and the delivery ledger as storage sees them (implemented by
 * repos/proxies-repo.ts), and the change feed that tells a replica what other replicas changed
 * (repos/change-feed.ts, LISTEN/NOTIFY).
 */
import type { ServiceProtocol } from '@weft/contracts/resources';

export interface ProxyPort {
  name: string;
  port: number;
  protocol?: ServiceProtocol;
  targetPort?: number;
}

/** What a proxy says about itself when it registers. */
export interface ProxyRegistrationRecord {
  id: string;
  namespace: string;
  service: string;
  version: string;
  address: string;
  inboundPort: number;
  ports: ProxyPort[] | null;
  /** `name.namespace`, sorted; null: all services. */
  dependencies: string[] | null;
}

export interface ProxyRecord extends ProxyRegistrationRecord {
  registeredAt: Date;
  lastSeenAt: Date;
  replica: string | null;
  connectedSince: Date | null;
  versionSent: string | null;
  sentAt: Date | null;
  versionAcked: string | null;
  ackedAt: Date | null;
  pushLatencyMs: number | null;
  nackVersion: string | null;
  nackError: string | null;
  nackAt: Date | null;
}

/** One proxy's ledger changes since the last flush; absent fields stay as they are. */
export interface LedgerUpdate {
  id: string;
  sent?: { version: string; at: Date };
  acked?: { version: string; at: Date; latencyMs: number | null };
  nack?: { version: string; error: string; at: Date };
  /**
   * The stream closed: clear replica and connectedSince — only if the row still records this
   * stream (same replica and connectedSince), not a newer one of the same proxy.
   */
  disconnected?: { replica: string; since: Date };
}

export interface ProxiesRepo {
  /**
   * Creates or refreshes the registration, marks it connected to `replica`, and — when anything
   * the compiler uses changed (or the row is new) — notifies every replica. Returns the stored
   * row as it was before (null: new), for the NACK memory of a reconnecting proxy.
   */
  register(reg: ProxyRegistrationRecord, replica: string): Promise<{ previous: ProxyRecord | null; changed: boolean; connectedSince: Date }>;
  /** Deletes the registration (graceful shutdown) and notifies. */
  deregister(id: string): Promise<void>;
  /** `lastSeenAt = now()` for these proxies while `replica` holds their streams. */
  touch(ids: string[], replica: string): Promise<void>;
  applyLedger(updates: LedgerUpdate[]): Promise<void>;
  /** Deletes registrations not seen since `before`; notifies when any went. Returns their ids. */
  expire(before: Date): Promise<string[]>;
  /** Registrations seen since `since` (the inventory). */
  live(since: Date): Promise<ProxyRecord[]>;
  find(id: string): Promise<ProxyRecord | null>;
  /** In these namespaces (null: all), ordered by namespace, service, id. */
  list(namespaces: string[] | null, filter: { service?: string }): Promise<ProxyRecord[]>;
}

export interface ChangeHandlers {
  /** A resource changed (created, updated, deleted): reload it by id. */
  resource(id: string): void;
  /** A registration changed; `*`: several (expiry), reload the inventory. */
  inventory(id: string): void;
  /** Notifications may have been lost (reconnect): reload everything. */
  resync(): void;
  /** A CA generation was created or changed state: reload the trust bundle. */
  ca?(): void;
}

export interface ChangeFeed {
  /** Resolves once listening. */
  start(handlers: ChangeHandlers): Promise<void>;
  stop(): Promise<void>;
}
