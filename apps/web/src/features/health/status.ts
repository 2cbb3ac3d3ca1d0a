import type { HealthStatus } from '@weft/contracts';

/**
 * What the status badge says. `unreachable`: no answer from the control plane (network, proxy);
 * `error`: it answered with an API error; `checking`: no answer yet.
 */
export type HealthBadge = 'checking' | HealthStatus['status'] | 'unreachable' | 'error';

export interface HealthProblem {
  kind: 'unreachable' | 'error';
  /** The underlying message, for the details line. */
  detail: string;
}

/**
 * Sorts a failed health query. A tRPC error carries `data.apiCode` (set by the control plane's
 * error formatter) only when the control plane itself answered; anything else means the request
 * never got a tRPC answer — refused connection, aborted request, or the console's proxy failing.
 */
export function describeHealthError(error: unknown): HealthProblem {
  const detail = error instanceof Error ? error.message : String(error);
  const apiCode = apiCodeOf(error);
  if (apiCode) return { kind: 'error', detail: `${detail} (${apiCode})` };
  return { kind: 'unreachable', detail };
}

function apiCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('data' in error)) return undefined;
  const data = (error as { data: unknown }).data;
  if (typeof data !== 'object' || data === null || !('apiCode' in data)) return undefined;
  const code = (data as { apiCode: unknown }).apiCode;
  return typeof code === 'string' ? code : undefined;
}

/** The badge for the latest state of the health query; an error wins over older data. */
export function healthBadge(state: { data: HealthStatus | undefined; error: unknown }): HealthBadge {
  if (state.error) return describeHealthError(state.error).kind;
  return state.data ? state.data.status : 'checking';
}
