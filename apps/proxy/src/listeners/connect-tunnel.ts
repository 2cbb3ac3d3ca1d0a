/**
 * CONNECT tunnels on the outbound listener, to hosts on the egress allowlist only.
 *
 * Why: an application with `HTTPS_PROXY=http://127.0.0.1:15001` reaches `https://api.stripe.com`
 * by sending `CONNECT api.stripe.com:443 HTTP/1.1` and then speaking TLS end to end through the
 * proxy. The proxy cannot see inside (no TLS origination here), so the only decision it can make
 * is the one made on the authority — and it makes exactly the egress decision plain http://
 * requests get (routing/resolve.ts): a host that MeshConfig `egress.allowedHosts` does not list is
 * refused, so the listener never becomes an open proxy. Mesh services are not tunnelled: bytes
 * through a tunnel would skip routes, retries, policies and telemetry, so the caller is told to
 * send plain http:// to them instead.
 *
 *   CONNECT host:port ─▶ no config? ───────────────────────────────▶ 503 (closed)
 *        │              malformed / no port? ──────────────────────▶ 400 (closed)
 *        │              routing.resolve(authority)
 *        │                ├ mesh service (any port of a mesh name) ▶ 405 "send plain http://" (closed)
 *        │                ├ refused (not allowed, IP literal…) ────▶ 403 naming the host and the allowlist
 *        │                └ egress ─▶ TCP connect (upstreamConnectTimeoutMs)
 *        │                             ├ DNS failure ─────────────▶ 502 (closed)
 *        │                             ├ refused / timeout ───────▶ 503 (closed)
 *        │                             └ connected ─▶ `HTTP/1.1 200 Connection Established`
 *        ▼                                            head (bytes after the CONNECT request) first,
 *   client ◀══════════════ bytes both ways ══════════════▶ host    then bytes both ways
 *
 * The tunnel: back-pressured pipes in both directions; a FIN from one side is passed on and the
 * other direction keeps flowing (half-close) until it ends too; an error or reset on either side
 * destroys both; no bytes in either direction for `tunnelIdleTimeoutMs` closes both. The
 * listener's stats count tunnels opened and open and the bytes relayed; when a tunnel closes, one
 * RequestRecord goes to telemetry (method CONNECT, status 200, route '', no destination workload:
 * like egress HTTP requests). Refusals are recorded too (their status and reason), so blocked
 * egress attempts show up in telemetry.
 *
 * Every answer other than the 200 is a complete raw response followed by closing the connection:
 * nothing the client sent after a refused CONNECT is ever read as another request.
 */
import type http from 'node:http';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import type { RoutingTable } from '../data-path.ts';
import { parseAuthority } from '../routing/authority.ts';
import type { WorkloadRef } from './exchange.ts';
import type { ListenerLimits } from './limits.ts';
import { overloadReason } from './overload.ts';
import { CLIENT_CLOSED_STATUS, type ListenerRecord, type ListenerTelemetry } from './record.ts';
import { answerAndClose, rawResponse } from './server.ts';
import type { ListenerStats } from './stats.ts';

export interface ConnectTunnelOptions {
  /** The current routing table; undefined before the first snapshot (503). Read once per CONNECT. */
  routing: () => RoutingTable | undefined;
  /** This proxy's workload (the source in telemetry). */
  self: WorkloadRef;
  telemetry: ListenerTelemetry;
  limits: ListenerLimits;
  stats: ListenerStats;
  /** The 503 reason before the first snapshot (the outbound listener's). */
  noConfigReason: string;
  /** Unexpected errors (bugs): the CONNECT gets 500; this is for the log. */
  onError?: (err: unknown) => void;
}

export interface ConnectTunnels {
  /** The http.Server `connect` listener (HardenedServerOptions.connect). */
  handle(req: http.IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Tunnels open now (connected or still connecting). */
  open(): number;
  /** Destroys every tunnel and pending connect (the listener is closing all its connections). */
  destroyAll(): void;
}

export const ESTABLISHED = 'HTTP/1.1 200 Connection Established\r\n\r\n';
export const TUNNEL_ALLOW_HINT = 'CONNECT tunnels reach only hosts listed in MeshConfig spec.egress.allowedHosts';

const noop = (): void => {};
const DNS_FAILURES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME']);

export function createConnectTunnels(opts: ConnectTunnelOptions): ConnectTunnels {
  const { limits, stats, telemetry, self } = opts;
  /** Each live tunnel's teardown. */
  const live = new Set<() => void>();

  function record(startedAt: number, status: number, reason: string | undefined): void {
    const r: ListenerRecord = {
      direction: 'outbound',
      source: self,
      destination: null,
      route: '',
      method: 'CONNECT',
      status,
      durationMs: performance.now() - startedAt,
      traceparent: undefined,
    };
    if (reason !== undefined) r.reason = reason;
    try {
      telemetry.record(r);
    } catch {
      // telemetry never breaks a connection
    }
  }

  function refuse(socket: Duplex, startedAt: number, status: number, reason: string, extra?: Record<string, string>): void {
    stats.connectRefused++;
    record(startedAt, status, reason);
    if (socket.destroyed) return;
    answerAndClose(socket, rawResponse(status, reason, extra));
  }

  function handle(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const startedAt = performance.now();
    socket.on('error', noop);
    try {
      decide(req, socket, head, startedAt);
    } catch (err) {
      opts.onError?.(err);
      if (!socket.destroyed) answerAndClose(socket, rawResponse(500, 'internal proxy error'));
    }
  }

  function decide(req: http.IncomingMessage, socket: Duplex, head: Buffer, startedAt: number): void {
    const routing = opts.routing();
    if (routing === undefined) return refuse(socket, startedAt, 503, opts.noConfigReason);
    if (req.rawHeaders.length / 2 > limits.maxHeaderCount) return refuse(socket, startedAt, 431, `more than ${limits.maxHeaderCount} header fields`);
    const overload = overloadReason(stats.inFlight, limits);
    if (overload !== undefined) {
      stats.shed++;
      return refuse(socket, startedAt, 503, overload);
    }

    const authority = req.url ?? '';
    const parsed = parseAuthority(authority);
    if (!parsed.ok) return refuse(socket, startedAt, 400, `invalid CONNECT target (expected host:port): ${parsed.reason}`);
    if (parsed.port === undefined) return refuse(socket, startedAt, 400, 'invalid CONNECT target: host:port with an explicit port is required');

    const resolution = routing.resolve(authority, parsed.port);
    if (resolution.kind === 'mesh' || (resolution.kind === 'refused' && resolution.status === 404)) {
      // The resolver answers 404 only for a mesh name on a port the service does not serve.
      const name = resolution.kind === 'mesh' ? `${resolution.service.service}.${resolution.service.namespace}` : parsed.host;
      return refuse(socket, startedAt, 405, `${name} is a mesh service: CONNECT is not supported for mesh services, send plain http:// requests to it through this proxy`, {
        allow: 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
      });
    }
    if (resolution.kind === 'refused') {
      const reason = resolution.status === 403 ? `${resolution.reason}; ${TUNNEL_ALLOW_HINT}` : resolution.reason;
      return refuse(socket, startedAt, resolution.status, reason);
    }
    open(socket, head, resolution.host, resolution.port, startedAt);
  }

  function open(socket: Duplex, head: Buffer, host: string, port: number, startedAt: number): void {
    // Bytes the client sends before the 200 (a TLS ClientHello sent eagerly) wait in the socket.
    socket.pause();
    const upstream = net.connect({ host, port, allowHalfOpen: true, noDelay: true });
    upstream.on('error', noop);
    let connected = false;
    let finished = false;
    /** Set once the outcome is known; what telemetry reports. */
    let reason: string | undefined;

    const teardown = (): void => {
      if (!upstream.destroyed) upstream.destroy();
      if (!socket.destroyed) socket.destroy();
    };
    live.add(teardown);

    const finish = (status: number): void => {
      if (finished) return;
      finished = true;
      live.delete(teardown);
      if (connected) stats.tunnels.open--;
      record(startedAt, status, reason);
    };

    // `failed` is defined below; the timer fires later.
    const connectTimer = limits.upstreamConnectTimeoutMs > 0
      ? setTimeout(() => {
          if (connected || finished) return;
          upstream.destroy();
          failed(503, `egress connect timeout after ${limits.upstreamConnectTimeoutMs} ms: ${hostLabel(host, port)}`);
        }, limits.upstreamConnectTimeoutMs)
      : undefined;
    connectTimer?.unref();

    const failed = (status: number, why: string): void => {
      if (finished) return;
      clearTimeout(connectTimer);
      stats.tunnels.failed++;
      finished = true;
      live.delete(teardown);
      stats.connectRefused++;
      record(startedAt, status, why);
      if (!socket.destroyed) answerAndClose(socket, rawResponse(status, why));
    };

    // The client gave up while the connection was being made.
    const onEarlyClose = (): void => {
      if (connected) return;
      clearTimeout(connectTimer);
      upstream.destroy();
      reason = 'client closed request';
      if (!finished) {
        finished = true;
        live.delete(teardown);
        record(startedAt, CLIENT_CLOSED_STATUS, reason);
      }
    };
    socket.once('close', onEarlyClose);

    upstream.once('error', (err: NodeJS.ErrnoException) => {
      if (connected) return;
      // With several addresses (autoSelectFamily) the error is an AggregateError of each attempt's.
      const code = err.code ?? (err as Partial<AggregateError>).errors?.find((e: NodeJS.ErrnoException) => e.code !== undefined)?.code ?? 'error';
      if (DNS_FAILURES.has(code)) failed(502, `egress host not found (${code}): ${host}`);
      else failed(503, `egress connect error (${code}): ${hostLabel(host, port)}`);
    });

    upstream.once('connect', () => {
      clearTimeout(connectTimer);
      if (finished || socket.destroyed) {
        upstream.destroy();
        return;
      }
      connected = true;
      socket.off('close', onEarlyClose);
      stats.tunnels.opened++;
      stats.tunnels.open++;
      socket.write(ESTABLISHED);
      if (head.length > 0) {
        stats.tunnels.bytesFromClient += head.length;
        upstream.write(head);
      }
      socket.on('data', (chunk: Buffer) => (stats.tunnels.bytesFromClient += chunk.length));
      upstream.on('data', (chunk: Buffer) => (stats.tunnels.bytesToClient += chunk.length));
      // end: true passes a FIN on; the sockets are half-open, so the other direction goes on.
      socket.pipe(upstream);
      upstream.pipe(socket);
      socket.resume();

      if (limits.tunnelIdleTimeoutMs > 0) {
        const idle = (): void => {
          teardown();
        };
        // http.Server hands over its net.Socket (a TLSSocket later): both have setTimeout.
        (socket as net.Socket).setTimeout(limits.tunnelIdleTimeoutMs, idle);
        upstream.setTimeout(limits.tunnelIdleTimeoutMs, idle);
      }
      socket.on('error', (err: NodeJS.ErrnoException) => {
        reason ??= `client connection error (${err.code ?? 'error'})`;
        teardown();
      });
      upstream.on('error', (err: NodeJS.ErrnoException) => {
        reason ??= `egress connection error (${err.code ?? 'error'}): ${hostLabel(host, port)}`;
        teardown();
      });
      // Either side gone for good: the other cannot be served any more. A clean close of the
      // host's side came after both FINs (half-open sockets), so the client's side is ending too.
      socket.once('close', () => {
        if (!upstream.destroyed) upstream.destroy();
        finish(200);
      });
      upstream.once('close', (hadError: boolean) => {
        if (hadError) socket.destroy();
        else if (!socket.writableEnded) socket.end();
        if (socket.destroyed) finish(200);
      });
    });
  }

  return {
    handle,
    open: () => live.size,
    destroyAll() {
      for (const teardown of [...live]) teardown();
    },
  };
}

function hostLabel(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}
