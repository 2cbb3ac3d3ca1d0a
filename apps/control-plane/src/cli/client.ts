/**
 * The REST client: `/api/v1` with `Authorization: Bearer <token>`, JSON in and out. Every
 * failure becomes an ApiError (errors.ts) carrying the server's code, message, field issues and
 * request id, or status 0 when no answer came.
 *
 * Responses are typed with the contracts' types but not re-validated: the server validates its
 * own output, and a CLI that refused a newer server's extra fields would break on every upgrade.
 */
import type { ApiErrorBody } from '@weft/contracts';
import { ApiError } from './errors.ts';

export const API_PREFIX = '/api/v1';
/** Long enough for a dry run that compiles the config of a large fleet. */
export const DEFAULT_TIMEOUT_MS = 60_000;

export type Query = Record<string, string | number | boolean | undefined>;

export interface ClientOptions {
  /** Base URL without `/api/v1` (config.normalizeUrl). */
  url: string;
  /** Absent for public endpoints (health, openapi). */
  token?: string;
  fetch: typeof fetch;
  timeoutMs?: number;
  userAgent?: string;
}

export class ApiClient {
  readonly url: string;
  private readonly opts: ClientOptions;
  private openApi: Promise<unknown> | undefined;

  constructor(opts: ClientOptions) {
    this.opts = opts;
    this.url = opts.url;
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, { ...(query ? { query } : {}) });
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, { body });
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, { body });
  }

  delete<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('DELETE', path, { ...(query ? { query } : {}) });
  }

  /** `path` is relative to /api/v1 and already encoded (use `segment()` for user values). */
  async request<T>(method: string, path: string, opts: { query?: Query; body?: unknown } = {}): Promise<T> {
    const target = new URL(`${this.url}${API_PREFIX}${path}`);
    for (const [key, value] of Object.entries(opts.query ?? {})) if (value !== undefined) target.searchParams.set(key, String(value));
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': this.opts.userAgent ?? 'weft-cli' };
    if (this.opts.token) headers.authorization = `Bearer ${this.opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const timeoutMs = this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let res: Response;
    try {
      res = await this.opts.fetch(target, {
        method,
        headers,
        ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw transportError(err, this.url, timeoutMs);
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = undefined;
    }
    if (res.ok) {
      if (body === undefined) throw new ApiError({ status: 502, message: `${method} ${target.pathname}: the answer is not JSON (is ${this.url} a Weft control plane?)` });
      return body as T;
    }
    throw errorFromResponse(res.status, body, text, this.url);
  }

  /** The OpenAPI document (public, fetched once): tells which optional fields this server accepts. */
  openApiDocument(): Promise<unknown> {
    this.openApi ??= this.get<unknown>('/openapi.json').catch(() => null);
    return this.openApi;
  }
}

/** A path segment from a user value (a name could contain anything). */
export const segment = (value: string): string => encodeURIComponent(value);

function errorFromResponse(status: number, body: unknown, text: string, url: string): ApiError {
  const error = (body as Partial<ApiErrorBody> | null | undefined)?.error;
  if (error && typeof error.message === 'string') {
    const hint =
      status === 404 && /^No API route /.test(error.message)
        ? `The control plane at ${url} does not have this API: it may be older than this CLI.`
        : status === 404 && error.message === 'namespace not found'
          ? "It does not exist, or your token's team does not own it (`weft whoami` shows the teams)."
          : undefined;
    return new ApiError({
      status,
      message: error.message,
      code: error.code,
      ...(error.issues ? { issues: error.issues } : {}),
      ...(error.requestId ? { requestId: error.requestId } : {}),
      ...(hint ? { hint } : {}),
    });
  }
  const snippet = text.trim().slice(0, 200);
  return new ApiError({ status, message: `HTTP ${status} from ${url}${snippet ? `: ${snippet}` : ''}` });
}

function transportError(err: unknown, url: string, timeoutMs: number): ApiError {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') {
    return new ApiError({ status: 0, message: `the control plane at ${url} did not answer within ${timeoutMs / 1000} s`, hint: 'Check that it is running and reachable, then try again.' });
  }
  const reason = e.cause?.code ?? e.cause?.message ?? e.message;
  return new ApiError({
    status: 0,
    message: `cannot reach the control plane at ${url} (${reason})`,
    hint: 'Check that it is running and that the URL is right (`weft login URL …` or WEFT_URL).',
  });
}
