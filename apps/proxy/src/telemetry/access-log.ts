/**
 * The optional JSON access log: one line per request, for `--access-log` style output.
 *
 * Safe by construction: it takes the RequestRecord plus a few facts the listener chooses to add,
 * and of the request headers only an allowlist (user-agent, x-request-id). Credentials never
 * reach it — no Authorization, Proxy-Authorization or Cookie header, no body — and the path is
 * logged without its query string (query parameters often carry tokens). Long values are cut.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { RequestRecord } from '../data-path.ts';

export interface AccessLogFacts {
  /** Epoch ms when the request ended. Default Date.now(). */
  time?: number;
  authority?: string;
  /** Request path as received; its query string is dropped. */
  path?: string;
  /** Request headers: only user-agent and x-request-id are read. */
  headers?: IncomingHttpHeaders;
  /** Body bytes received from the client and sent back to it. */
  bytesIn?: number;
  bytesOut?: number;
}

const MAX_VALUE = 512;

/** The log line for a request, ending in `\n` (JSON escapes newlines inside values). */
export function formatAccessLog(r: RequestRecord, facts: AccessLogFacts = {}): string {
  const line: Record<string, unknown> = {
    time: new Date(facts.time ?? Date.now()).toISOString(),
    direction: r.direction,
    method: cut(r.method),
    authority: facts.authority === undefined ? undefined : cut(facts.authority),
    path: facts.path === undefined ? undefined : cut(withoutQuery(facts.path)),
    status: r.status,
    durationMs: Math.round(r.durationMs * 1000) / 1000,
    route: cut(r.route),
    source: workload(r.source),
    destination: workload(r.destination),
    mtls: r.mtls ?? false,
    reason: r.reason === undefined ? undefined : cut(r.reason),
    traceId: traceIdOf(r.traceparent),
    requestId: header(facts.headers, 'x-request-id'),
    userAgent: header(facts.headers, 'user-agent'),
    bytesIn: facts.bytesIn,
    bytesOut: facts.bytesOut,
  };
  return `${JSON.stringify(line)}\n`;
}

function withoutQuery(path: string): string {
  const q = path.search(/[?#]/);
  return q === -1 ? path : path.slice(0, q);
}

function cut(v: string): string {
  return v.length > MAX_VALUE ? `${v.slice(0, MAX_VALUE)}…` : v;
}

function header(headers: IncomingHttpHeaders | undefined, name: 'x-request-id' | 'user-agent'): string | undefined {
  const v = headers?.[name];
  if (v === undefined) return undefined;
  return cut(Array.isArray(v) ? v.join(', ') : v);
}

function workload(w: RequestRecord['source']): string | undefined {
  return w === null ? undefined : cut(`${w.service}.${w.namespace}@${w.version}`);
}

function traceIdOf(traceparent: string | undefined): string | undefined {
  return traceparent !== undefined && /^[0-9a-f]{2}-[0-9a-f]{32}-/.test(traceparent) ? traceparent.slice(3, 35) : undefined;
}
