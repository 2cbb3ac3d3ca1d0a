/**
 * Pure: the traces page's search form → traces.search input. The window is relative to `now`
 * (the moment the search is made); empty fields filter nothing.
 */
export const WINDOWS = [
  { value: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { value: '1h', label: 'Last hour', ms: 3_600_000 },
  { value: '6h', label: 'Last 6 hours', ms: 6 * 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 24 * 3_600_000 },
] as const;

export interface SearchForm {
  service: string;
  /** '' (any), 'error', 'ok', or an HTTP status. */
  status: string;
  minDurationMs: string;
  window: (typeof WINDOWS)[number]['value'];
}

export const EMPTY_FORM: SearchForm = { service: '', status: '', minDurationMs: '', window: '1h' };

export interface SearchInput {
  namespace: string;
  service?: string;
  /** 'error', 'ok' or an HTTP status. */
  status?: string;
  minDurationMs?: number;
  since: string;
  limit: number;
}

/** The input, or the first field that is wrong. */
export function searchInput(namespace: string, form: SearchForm, now: Date, limit = 50): { input: SearchInput } | { field: keyof SearchForm; message: string } {
  const input: SearchInput = { namespace, since: new Date(now.getTime() - (WINDOWS.find((w) => w.value === form.window) ?? WINDOWS[1]).ms).toISOString(), limit };
  const service = form.service.trim();
  if (service) input.service = service;
  const status = form.status.trim();
  if (status === 'error' || status === 'ok') input.status = status;
  else if (status) {
    if (!/^\d{1,3}$/.test(status)) return { field: 'status', message: 'Use errors, ok, or an HTTP status such as 503' };
    input.status = String(Number(status));
  }
  const min = form.minDurationMs.trim();
  if (min) {
    const n = Number(min);
    if (!Number.isFinite(n) || n < 0) return { field: 'minDurationMs', message: 'Use a number of milliseconds' };
    input.minDurationMs = n;
  }
  return { input };
}
