/**
 * A demo service's faults: how slow it is and how often it fails. Set at start (the workload's
 * defaults, overridden by WEFT_DEMO_FAULTS) and changed at run time through the app's
 * `POST /_demo/faults`, so a tutorial can stage an incident. Pure: parsing and sampling only.
 */

/** Median added latency and the share of requests answered 500. */
export interface Faults {
  /** Median latency the service adds to each request, in milliseconds (0–60000). */
  latencyMs: number;
  /** Share of requests it answers with 500, from 0 to 1. */
  errorRate: number;
}

/** A parse result: the value, or the problems, each naming its field. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; issues: { path: string; message: string }[] };

const MAX_LATENCY_MS = 60_000;

/**
 * Validates a (partial) faults update against the current faults: `{latencyMs?, errorRate?}`.
 * Unknown fields are refused, so a typo (`errorrate`) is not silently ignored.
 */
export function parseFaultsUpdate(input: unknown, current: Faults, pathPrefix = ''): Parsed<Faults> {
  const issues: { path: string; message: string }[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, issues: [{ path: pathPrefix || '(body)', message: 'must be an object like {"latencyMs": 200, "errorRate": 0.1}' }] };
  }
  const record = input as Record<string, unknown>;
  const at = (field: string) => (pathPrefix ? `${pathPrefix}.${field}` : field);
  for (const key of Object.keys(record)) {
    if (key !== 'latencyMs' && key !== 'errorRate') issues.push({ path: at(key), message: 'unknown field; expected latencyMs or errorRate' });
  }
  const next = { ...current };
  if (record.latencyMs !== undefined) {
    const v = record.latencyMs;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > MAX_LATENCY_MS) issues.push({ path: at('latencyMs'), message: `must be a number of milliseconds from 0 to ${MAX_LATENCY_MS}` });
    else next.latencyMs = v;
  }
  if (record.errorRate !== undefined) {
    const v = record.errorRate;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) issues.push({ path: at('errorRate'), message: 'must be a number from 0 to 1 (0.1 = 10 % of requests fail)' });
    else next.errorRate = v;
  }
  return issues.length ? { ok: false, issues } : { ok: true, value: next };
}

/**
 * Start-time overrides from WEFT_DEMO_FAULTS, JSON keyed by workload (`recommendations-v2`) or by
 * service (every version of it): `{"payments": {"errorRate": 0.2}, "recommendations-v2": {"latencyMs": 400}}`.
 * Returns the faults per workload name, the defaults where nothing is said.
 */
export function applyFaultOverrides(text: string | undefined, defaults: Record<string, Faults>, serviceOf: (workload: string) => string): Parsed<Record<string, Faults>> {
  const result: Record<string, Faults> = { ...defaults };
  if (text === undefined || text.trim() === '') return { ok: true, value: result };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { ok: false, issues: [{ path: 'WEFT_DEMO_FAULTS', message: `is not JSON: ${(err as Error).message}` }] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, issues: [{ path: 'WEFT_DEMO_FAULTS', message: 'must be a JSON object keyed by service or workload' }] };
  }
  const issues: { path: string; message: string }[] = [];
  const entries = Object.entries(parsed as Record<string, unknown>);
  // Service-wide entries first, so a workload's own entry wins over its service's.
  const isWorkload = (key: string) => key in defaults;
  for (const [key, update] of [...entries.filter(([k]) => !isWorkload(k)), ...entries.filter(([k]) => isWorkload(k))]) {
    const targets = isWorkload(key) ? [key] : Object.keys(defaults).filter((w) => serviceOf(w) === key);
    if (targets.length === 0) {
      issues.push({ path: `WEFT_DEMO_FAULTS.${key}`, message: `no such service or workload; known: ${Object.keys(defaults).join(', ')}` });
      continue;
    }
    for (const target of targets) {
      const next = parseFaultsUpdate(update, result[target]!, `WEFT_DEMO_FAULTS.${key}`);
      if (next.ok) result[target] = next.value;
      else issues.push(...next.issues.filter((i) => !issues.some((j) => j.path === i.path)));
    }
  }
  return issues.length ? { ok: false, issues } : { ok: true, value: result };
}

/**
 * One request's added latency: around the median (uniformly within ±40 %), with a long tail — one
 * request in 50 takes three to five times as long — so percentiles look like a real service's.
 */
export function sampleLatencyMs(faults: Faults, random: () => number = Math.random): number {
  if (faults.latencyMs === 0) return 0;
  const spread = faults.latencyMs * (0.6 + 0.8 * random());
  return random() < 0.02 ? spread * (3 + 2 * random()) : spread;
}

/** Whether this request fails, with probability `errorRate`. */
export function shouldFail(faults: Faults, random: () => number = Math.random): boolean {
  return faults.errorRate > 0 && random() < faults.errorRate;
}
