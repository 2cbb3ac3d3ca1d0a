import type { HealthService } from '../services/health-service.ts';

/** The use-cases the API layer may call. Built once in runtime/, passed to every request. */
export interface Services {
  health: HealthService;
}

/** Per-request context shared by tRPC procedures and REST routes. */
export interface RequestContext {
  services: Services;
  /** Echoed in responses and logs as `x-request-id`. */
  requestId: string;
  /** The client address as seen by this process. */
  sourceAddress: string;
}
