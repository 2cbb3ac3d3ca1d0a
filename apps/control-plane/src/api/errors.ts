/**
 * The one place where domain errors become transport errors (../shared/STYLE.md item 6).
 */
import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import type { ApiErrorCode, FieldIssue } from '@weft/contracts';
import { ZodError } from 'zod';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  RateLimitedError,
  UnauthenticatedError,
  UnavailableError,
} from '../services/errors.ts';

export interface MappedError {
  code: ApiErrorCode;
  httpStatus: number;
  message: string;
  issues?: FieldIssue[];
  /** For TOO_MANY_REQUESTS: when to try again (the Retry-After header). */
  retryAfterSeconds?: number;
}

const TRPC_TO_API: Partial<Record<TRPC_ERROR_CODE_KEY, ApiErrorCode>> = {
  BAD_REQUEST: 'BAD_REQUEST',
  PARSE_ERROR: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  METHOD_NOT_SUPPORTED: 'BAD_REQUEST',
  UNSUPPORTED_MEDIA_TYPE: 'BAD_REQUEST',
  UNPROCESSABLE_CONTENT: 'BAD_REQUEST',
  PRECONDITION_FAILED: 'CONFLICT',
  CLIENT_CLOSED_REQUEST: 'BAD_REQUEST',
  SERVICE_UNAVAILABLE: 'UNAVAILABLE',
};

const TRPC_HTTP_STATUS: Partial<Record<TRPC_ERROR_CODE_KEY, number>> = {
  METHOD_NOT_SUPPORTED: 405,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE_CONTENT: 422,
  CLIENT_CLOSED_REQUEST: 499,
};

const HTTP_STATUS: Record<ApiErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

const API_TO_TRPC: Record<ApiErrorCode, TRPC_ERROR_CODE_KEY> = {
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHENTICATED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

/** Field issues from a zod error, with dotted paths (`spec.rules.0.from`). */
export function zodIssues(error: ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
}

/** Maps anything thrown by a handler. Unknown errors become INTERNAL with a generic message. */
export function mapError(err: unknown): MappedError {
  // A procedure's output failing its own schema is a server bug, not bad input: never a 400.
  if (err instanceof TRPCError && err.code === 'INTERNAL_SERVER_ERROR' && err.message === 'Output validation failed') {
    return { code: 'INTERNAL', httpStatus: 500, message: 'Internal server error' };
  }
  const cause = err instanceof TRPCError && err.cause ? err.cause : err;
  if (cause instanceof ZodError) {
    const issues = zodIssues(cause);
    return { code: 'BAD_REQUEST', httpStatus: 400, message: summarize(issues), issues };
  }
  if (cause instanceof InvalidInputError) {
    return { code: 'BAD_REQUEST', httpStatus: 400, message: cause.message, issues: cause.issues };
  }
  if (cause instanceof RateLimitedError) {
    return { code: 'TOO_MANY_REQUESTS', httpStatus: 429, message: cause.message, retryAfterSeconds: cause.retryAfterSeconds };
  }
  const domain = domainCode(cause);
  if (domain) return { code: domain, httpStatus: HTTP_STATUS[domain], message: (cause as Error).message };
  if (err instanceof TRPCError) {
    const code = TRPC_TO_API[err.code] ?? 'INTERNAL';
    const message = code === 'INTERNAL' ? 'Internal server error' : err.message;
    // Keep tRPC's own status for the transport-level 4xx codes (405, 415, 422, 499).
    const httpStatus = code === 'BAD_REQUEST' ? (TRPC_HTTP_STATUS[err.code] ?? 400) : HTTP_STATUS[code];
    return { code, httpStatus, message };
  }
  return { code: 'INTERNAL', httpStatus: 500, message: 'Internal server error' };
}

/** Converts a domain error into a TRPCError so tRPC clients see the right code. */
export function toTRPCError(err: unknown): TRPCError {
  if (err instanceof TRPCError) return err;
  const mapped = mapError(err);
  return new TRPCError({ code: API_TO_TRPC[mapped.code], message: mapped.message, cause: err });
}

function domainCode(err: unknown): ApiErrorCode | undefined {
  if (err instanceof NotFoundError) return 'NOT_FOUND';
  if (err instanceof ConflictError) return 'CONFLICT';
  if (err instanceof UnauthenticatedError) return 'UNAUTHENTICATED';
  if (err instanceof ForbiddenError) return 'FORBIDDEN';
  if (err instanceof UnavailableError) return 'UNAVAILABLE';
  if (err instanceof RateLimitedError) return 'TOO_MANY_REQUESTS';
  return undefined;
}

function summarize(issues: FieldIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}
