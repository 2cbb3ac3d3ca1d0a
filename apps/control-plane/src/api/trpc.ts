/**
 * tRPC is initialised once here; routers import `router` and `procedure` from this module only
 * (../shared/STYLE.md item 5).
 *
 * Every procedure declares `meta.access` (an AccessRule). One middleware enforces it for tRPC and
 * REST alike:
 *
 *   authenticate (context) → CSRF (cookie + mutation) → resolve scope (team / namespace)
 *     → decide() → run → audit (every mutation: exactly one entry, denied ones included)
 *
 * A procedure without `meta.access` is denied (and fails the authorization matrix test).
 */
import { initTRPC, TRPCError } from '@trpc/server';
import { unstorableIssues } from '@weft/contracts/resources';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { actorOf } from '../services/access/caller.ts';
import { decide, type AccessRule } from '../services/authz/policy.ts';
import { InvalidInputError } from '../services/errors.ts';
import type { RequestContext } from './context.ts';
import { csrfTokenProblem, originProblem } from './csrf.ts';
import { mapError, toTRPCError } from './errors.ts';

/**
 * `access`: who may call the procedure (services/authz/policy.ts).
 * `auditActorField`: for unauthenticated mutations (sign-in), the input field that names who tried.
 * `openapi`: exposes the procedure under REST `/api/v1` and in the OpenAPI document (api/rest/).
 */
export type ProcedureMeta = OpenApiMeta<{ access?: AccessRule; auditActorField?: string }>;

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

/** Input fields that name what a call acts on, most specific first: the target of audit entries. */
const TARGET_FIELDS: Array<[field: string, kind: string]> = [
  ['tokenId', 'ApiToken'],
  ['joinTokenId', 'JoinToken'],
  ['sessionId', 'Session'],
  ['userId', 'User'],
  ['teamId', 'Team'],
  ['namespace', 'Namespace'],
];

function targetOf(raw: unknown): { kind: string; id: string; namespace: string | null } | undefined {
  for (const [name, kind] of TARGET_FIELDS) {
    const id = field(raw, name);
    if (id) return { kind, id: id.slice(0, 256), namespace: field(raw, 'namespace')?.slice(0, 63) ?? null };
  }
  return undefined;
}

function field(raw: unknown, name: string): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const value = (raw as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** The team a scoped rule is about, from the raw input (validated by the schema afterwards). */
async function scopeTeam(ctx: RequestContext, rule: AccessRule, raw: unknown): Promise<string | undefined> {
  if (rule.kind === 'team') {
    const teamId = field(raw, rule.field);
    if (!teamId) return undefined;
    const team = await ctx.services.teams.get(teamId).catch(() => null);
    return team?.id;
  }
  if (rule.kind === 'namespace') {
    const namespace = field(raw, rule.field);
    return namespace ? ctx.services.teams.namespaceTeam(namespace) : undefined;
  }
  return undefined;
}

const enforceAccess = t.middleware(async ({ ctx, meta, type, path, getRawInput, next }) => {
  const rule = meta?.access;
  // tRPC reads the body lazily; an unreadable one (empty or broken JSON) is the client's error.
  let raw: unknown;
  let unreadable: string | undefined;
  try {
    raw = await getRawInput();
  } catch (err) {
    unreadable = err instanceof Error ? err.message : String(err);
  }
  const isMutation = type === 'mutation';
  // One caller per call: a tRPC batch shares the request context, but each call is audited alone.
  const caller = { ...ctx.caller, auditRecorded: false };

  const audit = async (outcome: 'success' | 'denied' | 'failure', reason: string) => {
    if (!isMutation || caller.auditRecorded) return;
    const actor = actorOf(caller.principal);
    if (actor.type === 'anonymous' && meta?.auditActorField) actor.name = (field(raw, meta.auditActorField) ?? '').slice(0, 128);
    const target = targetOf(raw);
    await ctx.services.audit.append({
      actor,
      action: path,
      ...(target ? { target } : {}),
      outcome,
      reason,
      requestId: ctx.requestId,
      sourceAddress: ctx.sourceAddress,
    });
    caller.auditRecorded = true;
  };

  const refuse = async (error: TRPCError): Promise<never> => {
    await audit('denied', error.message);
    throw error;
  };

  if (!rule) return refuse(new TRPCError({ code: 'FORBIDDEN', message: `${path} has no access rule` }));

  // Forged cross-site requests: the cookie would be sent by the browser, the origin gives it away.
  if (isMutation && (ctx.credentials === 'session' || rule.kind === 'public')) {
    const problem = originProblem(ctx.req, ctx.settings.allowedOrigins);
    if (problem) return refuse(new TRPCError({ code: 'FORBIDDEN', message: `Cross-site request refused: ${problem}` }));
  }
  // Public mutations (sign-in) act on no session, so they need no session token: their defence
  // against login CSRF is the origin check above.
  if (isMutation && ctx.credentials === 'session' && ctx.auth.session && rule.kind !== 'public') {
    const problem = csrfTokenProblem(ctx.req, ctx.auth.session.csrfToken);
    if (problem) return refuse(new TRPCError({ code: 'FORBIDDEN', message: `CSRF check failed: ${problem}` }));
  }

  // Text PostgreSQL cannot store (NUL, half a surrogate pair) is the client's error, named by
  // field, before any of it reaches a query (it used to end in a 500 wherever a string is stored
  // or looked up: names, messages, filters).
  const unstorable = unreadable === undefined ? unstorableIssues(raw, { maxDepth: 256 }) : [];
  if (unstorable.length > 0) {
    const summary = unstorable.map((i) => `${i.path || '(input)'}: ${i.message}`).join('; ');
    const error = toTRPCError(new InvalidInputError(`Invalid input: ${summary}`, unstorable));
    await audit('failure', error.message.slice(0, 1024));
    throw error;
  }

  const teamId = await scopeTeam(ctx, rule, raw);
  const decision = decide(ctx.auth.principal, rule, teamId);
  if (decision.outcome === 'deny' && !ctx.auth.principal) {
    const problem = 'problem' in ctx.auth && ctx.auth.problem ? ctx.auth.problem : 'sign in or send an API token (Authorization: Bearer weft_…)';
    return refuse(new TRPCError({ code: 'UNAUTHORIZED', message: `Authentication required: ${problem}` }));
  }
  if (decision.outcome === 'deny') return refuse(new TRPCError({ code: 'FORBIDDEN', message: `Forbidden: ${decision.reason}` }));
  if (decision.outcome === 'hide') return refuse(new TRPCError({ code: 'NOT_FOUND', message: decision.reason }));
  if (unreadable !== undefined) {
    const error = new TRPCError({ code: 'PARSE_ERROR', message: `The request body is not valid JSON (${unreadable}); send the input as JSON` });
    await audit('failure', error.message);
    throw error;
  }

  const result = await next({ ctx: { caller } });
  if (result.ok) {
    await audit('success', '');
    return result;
  }
  const error = toTRPCError(result.error.cause ?? result.error);
  const mapped = mapError(error);
  await audit(mapped.code === 'FORBIDDEN' || mapped.code === 'NOT_FOUND' ? 'denied' : 'failure', mapped.message.slice(0, 1024));
  throw error;
});

/**
 * Whether the caller would still be let in, by the credentials of the original request: a
 * subscription asks before every push (sessions end, tokens are revoked, roles change).
 */
export async function stillAuthorized(ctx: RequestContext, rule: AccessRule, raw: unknown): Promise<boolean> {
  const auth = await ctx.reauthenticate();
  return decide(auth.principal, rule, await scopeTeam(ctx, rule, raw)).outcome === 'allow';
}

/** The only procedure builder. Give every procedure `meta({ access: … })`. */
export const procedure = t.procedure.use(enforceAccess);
