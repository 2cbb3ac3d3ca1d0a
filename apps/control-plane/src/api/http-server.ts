/**
 * The control plane's single HTTP server:
 *
 *   /healthz        process is up (no dependencies checked)
 *   /readyz         database reachable and all migrations applied (503 with reasons otherwise)
 *   /metrics        Prometheus exposition
 *   /trpc/*         tRPC (the console and the CLI)
 *   /api/v1/*       REST generated from the same procedures, plus /api/v1/openapi.json
 *   CERTIFICATE_PATH  workload certificates (api/identity-handler.ts: join token, API token or WeftProof)
 *   STREAM_PATH     WebSocket upgrade: the proxies' config streams (API token or WeftProof required)
 */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { CERTIFICATE_PATH, WORKLOAD_PROOF } from '@weft/contracts/identity';
import { STREAM_PATH } from '@weft/contracts/snapshot';
import type { Principal } from '../services/authz/policy.ts';
import { UnauthenticatedError } from '../services/errors.ts';
import type { WorkloadPrincipal } from '../services/identity/ports.ts';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import type { Logger } from 'pino';
import type { ApiSettings, RequestContext, Services } from './context.ts';
import { cookieJar, isSecureRequest, sessionTokenOf } from './cookies.ts';
import type { ApiMetrics, Surface } from './metrics.ts';
import { handleCertificateRequest } from './identity-handler.ts';
import { requestIdOf, sourceAddressOf, trustedProxies } from './request.ts';
import { buildOpenApiDocument } from './rest/openapi.ts';
import { createRestHandler } from './rest/rest-handler.ts';
import { appRouter } from './router.ts';

export interface HttpServerOptions {
  services: Services;
  settings: ApiSettings;
  metrics: ApiMetrics;
  logger: Logger;
  version: string;
  /** Largest accepted request body, in bytes. */
  maxBodyBytes?: number;
  /** Takes over authenticated WebSocket upgrades at STREAM_PATH. */
  streams?: { handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, principal: StreamPrincipal): void };
}

/** Who opened a proxy stream: an API token (or user), or a workload by its WeftProof. */
export type StreamPrincipal = Principal | WorkloadPrincipal;

const PROOF = new RegExp(`^${WORKLOAD_PROOF.scheme}\\s+(\\S+)\\s*$`, 'i');

const REST_BASE = '/api/v1';

export function createControlPlaneServer(opts: HttpServerOptions): http.Server {
  const maxBodyBytes = opts.maxBodyBytes ?? 1024 * 1024;
  const contexts = new WeakMap<IncomingMessage, RequestContext>();
  const trusted = trustedProxies(opts.settings.trustedProxies);
  let openApi: unknown;

  const trpcHandler = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    maxBodySize: maxBodyBytes,
    createContext: ({ req }) => contexts.get(req)!,
    onError: ({ error, path, ctx }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        opts.logger.error({ err: error.cause ?? error, path, requestId: ctx?.requestId }, 'tRPC procedure failed');
      }
    },
  });

  const restHandler = createRestHandler({
    router: appRouter,
    basePath: REST_BASE,
    maxBodyBytes,
    openApiDocument: () => (openApi ??= buildOpenApiDocument(appRouter, opts.version)),
    onInternalError: (err, ctx) => opts.logger.error({ err, requestId: ctx.requestId }, 'REST request failed'),
  });

  const server = http.createServer(
    // Refuse oversize or slow header sections early; keep the Node defaults for strict parsing.
    { maxHeaderSize: 16 * 1024, requestTimeout: 30_000, headersTimeout: 10_000 },
    (req, res) => {
      const started = process.hrtime.bigint();
      const requestId = requestIdOf(req);
      const ctx = { requestId, sourceAddress: sourceAddressOf(req, trusted) };
      res.setHeader('x-request-id', ctx.requestId);
      const url = new URL(req.url ?? '/', 'http://control-plane.invalid');
      const surface = surfaceOf(url.pathname);
      res.on('finish', () => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        opts.metrics.observeRequest({ surface, status: res.statusCode }, seconds);
        opts.logger.debug({ requestId: ctx.requestId, method: req.method, path: url.pathname, status: res.statusCode, ms: seconds * 1000 }, 'request');
      });
      dispatch(surface, req, res, url, ctx).catch((err: unknown) => {
        opts.logger.error({ err, requestId: ctx.requestId }, 'request failed');
        if (!res.headersSent) sendJson(res, 500, { error: { code: 'INTERNAL', message: 'Internal server error', requestId: ctx.requestId } });
        else res.destroy();
      });
    },
  );

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
    };
    const pathname = new URL(req.url ?? '/', 'http://control-plane.invalid').pathname;
    if (pathname !== STREAM_PATH || !opts.streams) return refuse(404, `No WebSocket endpoint at ${pathname}; proxies connect to ${STREAM_PATH}`);
    const proof = PROOF.exec(req.headers.authorization ?? '')?.[1];
    if (proof) {
      opts.services.certificates
        .authenticateWorkload(proof)
        .then((workload) => opts.streams!.handleUpgrade(req, socket, head, workload))
        .catch((err: unknown) => {
          if (err instanceof UnauthenticatedError) return refuse(401, err.message);
          opts.logger.error({ err }, 'stream upgrade failed');
          refuse(503, 'The control plane cannot authenticate right now; retry with backoff');
        });
      return;
    }
    const bearer = /^bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer) return refuse(401, `Send Authorization: Bearer <token> (an API token with the editor role on the namespace) or ${WORKLOAD_PROOF.scheme} <JWS>`);
    opts.services.authenticator
      .authenticate({ kind: 'bearer', token: bearer })
      .then((auth) => {
        if (!auth.principal) return refuse(401, 'The token is not valid (unknown, revoked or expired)');
        opts.streams!.handleUpgrade(req, socket, head, auth.principal);
      })
      .catch((err: unknown) => {
        opts.logger.error({ err }, 'stream upgrade failed');
        refuse(503, 'The control plane cannot authenticate right now; retry with backoff');
      });
  });

  /** Authenticates the request (cookie or bearer token) and builds the procedures' context. */
  async function requestContext(req: IncomingMessage, res: ServerResponse, base: { requestId: string; sourceAddress: string }): Promise<RequestContext> {
    const sessionToken = sessionTokenOf(req);
    // Auth schemes are case-insensitive (RFC 9110 §11.1).
    const bearer = /^bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    const credentials = bearer ? ({ kind: 'bearer', token: bearer } as const) : sessionToken ? ({ kind: 'session', token: sessionToken } as const) : ({ kind: 'none' } as const);
    const auth = await opts.services.authenticator.authenticate(credentials);
    return {
      ...base,
      services: opts.services,
      settings: opts.settings,
      userAgent: String(req.headers['user-agent'] ?? ''),
      credentials: credentials.kind,
      auth,
      reauthenticate: () => opts.services.authenticator.authenticate(credentials),
      sessionToken,
      req,
      cookies: cookieJar(res, isSecureRequest(req, opts.settings.cookieSecure)),
      caller: { principal: auth.principal, requestId: base.requestId, sourceAddress: base.sourceAddress, auditRecorded: false },
    };
  }

  async function dispatch(surface: Surface, req: IncomingMessage, res: ServerResponse, url: URL, base: { requestId: string; sourceAddress: string }) {
    switch (surface) {
      case 'trpc':
        contexts.set(req, await requestContext(req, res, base));
        trpcHandler(req, res);
        return;
      case 'rest':
        if (url.pathname === CERTIFICATE_PATH) {
          await handleCertificateRequest(req, res, await requestContext(req, res, base), maxBodyBytes);
          return;
        }
        await restHandler(req, res, url, await requestContext(req, res, base));
        return;
      case 'metrics':
        res.setHeader('Content-Type', opts.metrics.registry.contentType);
        res.end(await opts.metrics.registry.metrics());
        return;
      case 'probe':
        if (url.pathname === '/healthz') {
          sendJson(res, 200, { status: 'ok' });
        } else {
          const readiness = await opts.services.health.readiness();
          sendJson(res, readiness.ready ? 200 : 503, { status: readiness.ready ? 'ready' : 'not ready', reasons: readiness.reasons });
        }
        return;
      default:
        sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `Nothing at ${url.pathname}: the API is under /api/v1 and /trpc`, requestId: base.requestId } });
    }
  }

  return server;
}

function surfaceOf(pathname: string): Surface {
  if (pathname.startsWith('/trpc/')) return 'trpc';
  if (pathname === REST_BASE || pathname.startsWith(`${REST_BASE}/`)) return 'rest';
  if (pathname === '/healthz' || pathname === '/readyz') return 'probe';
  if (pathname === '/metrics') return 'metrics';
  return 'other';
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}
