/**
 * The inventory: which workload instances (endpoints) exist right now. The compiler reads it; the
 * source behind it is the local registrations (local-inventory.ts) today and Kubernetes
 * EndpointSlices later — both behind this interface.
 */
import type { InventoryEndpoint } from '../compiler/types.ts';

export interface Inventory {
  /** The endpoints now, by proxy id. */
  endpoints(): ReadonlyMap<string, InventoryEndpoint>;
  /** Called (synchronously, without arguments) after the endpoints changed. */
  onChange(listener: () => void): void;
  /** Loads everything again from the source. */
  reload(): Promise<void>;
}
