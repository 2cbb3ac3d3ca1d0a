/**
 * REST under `/api/v1`, generated from the tRPC procedures that carry `meta.openapi`.
 *
 *   request ─▶ match route ─▶ input = path params + (query | JSON body) ─▶ tRPC caller ─▶ JSON
 *
 * Calling through `createCaller` means REST runs the very same middleware (authentication,
 * authorization, audit) and input validation as tRPC. Errors use the shared `ApiErrorBody`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AnyProcedure, AnyRouter } from '@trpc/server';
import type { ApiErrorBody } from '@weft/contracts';
import { getInputOutputParsers, instanceofZodTypeLikeVoid, unwrapZodType } from 'trpc-to-openapi';
import type { RequestContext } from '../context.ts';
import { mapError, type MappedError } from '../errors.ts';
import { PayloadTooLargeError, UnsupportedMediaTypeError, queryObject, readJsonBody } from './body.ts';
import { buildRouteTable, matchRoute } from './route-table.ts';

export interface RestHandlerOptions {
  router: AnyRouter;
  /** URL prefix the routes live under, without a trailing slash. */
  basePath: string;
  maxBodyBytes: number;
  openApiDocument: () => unknown;
  onInternalError: (err: unknown, ctx: RequestContext) => void;
}

export type RestHandler = (req: IncomingMessage, res: ServerResponse, url: URL, ctx: RequestContext) => Promise<void>;

export function createRestHandler(opts: RestHandlerOptions): RestHandler {
  const routes = buildRouteTable(opts.router);
  const procedures = opts.router._def.procedures as Record<string, AnyProcedure>;
  const createCaller = opts.router.createCaller as (ctx: RequestContext) => Record<string, unknown>;

  return async (req, res, url, ctx) => {
    const pathname = url.pathname.slice(opts.basePath.length) || '/';
    if (req.method === 'GET' && pathname === '/openapi.json') {
      sendJson(res, 200, opts.openApiDocument());
      return;
    }
    const matched = matchRoute(routes, req.method ?? 'GET', pathname);
    if (!matched) {
      sendError(res, ctx, { code: 'NOT_FOUND', httpStatus: 404, message: `No API route ${req.method} ${url.pathname}` });
      return;
    }
    if ('methodNotAllowed' in matched) {
      res.setHeader('Allow', matched.methodNotAllowed.join(', '));
      sendError(res, ctx, {
        code: 'BAD_REQUEST',
        httpStatus: 405,
        message: `${req.method} is not allowed on ${url.pathname}; use ${matched.methodNotAllowed.join(' or ')}`,
      });
      return;
    }
    const { route, params } = matched;
    try {
      const procedure = procedures[route.procedurePath]!;
      const input = await buildInput(req, url, params, procedure, route.method, opts.maxBodyBytes);
      const fn = resolve(createCaller(ctx), route.procedurePath);
      const data = await fn(input);
      sendJson(res, 200, data ?? null);
    } catch (err) {
      if (err instanceof PayloadTooLargeError) {
        sendError(res, ctx, { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413, message: err.message });
        return;
      }
      if (err instanceof UnsupportedMediaTypeError) {
        sendError(res, ctx, { code: 'BAD_REQUEST', httpStatus: 415, message: err.message });
        return;
      }
      const mapped = mapError(err);
      if (mapped.code === 'INTERNAL') opts.onInternalError(err, ctx);
      sendError(res, ctx, mapped);
    }
  };
}

async function buildInput(
  req: IncomingMessage,
  url: URL,
  params: Record<string, string>,
  procedure: AnyProcedure,
  method: string,
  maxBodyBytes: number,
): Promise<unknown> {
  const { inputParser } = getInputOutputParsers(procedure);
  if (instanceofZodTypeLikeVoid(unwrapZodType(inputParser, true))) return undefined;
  const fromRequest = method === 'GET' || method === 'DELETE' ? queryObject(url.searchParams) : await readJsonBody(req, maxBodyBytes);
  if (fromRequest !== undefined && (typeof fromRequest !== 'object' || fromRequest === null || Array.isArray(fromRequest))) {
    // Arrays and scalars are handed to the schema as they are, so its error names the problem.
    return Object.keys(params).length === 0 ? fromRequest : { ...params, body: fromRequest };
  }
  return { ...(fromRequest as Record<string, unknown> | undefined), ...params };
}

function resolve(caller: Record<string, unknown>, dottedPath: string): (input: unknown) => Promise<unknown> {
  let node: unknown = caller;
  for (const part of dottedPath.split('.')) node = (node as Record<string, unknown>)[part];
  return node as (input: unknown) => Promise<unknown>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

export function sendError(res: ServerResponse, ctx: RequestContext, error: MappedError): void {
  if (error.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(error.retryAfterSeconds));
  if (error.httpStatus === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="weft"');
  const body: ApiErrorBody = {
    error: {
      code: error.code,
      message: error.message,
      requestId: ctx.requestId,
      ...(error.issues && error.issues.length > 0 ? { issues: error.issues } : {}),
    },
  };
  sendJson(res, error.httpStatus, body);
}
