/**
 * tRPC is initialised once here; routers import `router` and the procedure builders from this
 * module only (../shared/STYLE.md item 5).
 */
import { initTRPC } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { mapError, toTRPCError } from './errors.ts';
import type { RequestContext } from './context.ts';

/**
 * `meta.openapi` on a procedure exposes it under REST `/api/v1` (api/rest/) and in the OpenAPI
 * document, so REST and tRPC share one definition, one input schema and one authorization rule.
 */
export type ProcedureMeta = OpenApiMeta;

const t = initTRPC.context<RequestContext>().meta<ProcedureMeta>().create({
  errorFormatter({ shape, error }) {
    const mapped = mapError(error);
    return {
      ...shape,
      message: mapped.message,
      data: { ...shape.data, stack: undefined, apiCode: mapped.code, issues: mapped.issues ?? null },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Turns domain errors thrown by services into tRPC errors with the right code. */
const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) throw toTRPCError(result.error.cause ?? result.error);
  return result;
});

/**
 * Needs no credentials. Only for what a load balancer or an unauthenticated console must see
 * (health); everything else uses the authenticated procedures added with access control.
 */
export const publicProcedure = t.procedure.use(mapDomainErrors);
