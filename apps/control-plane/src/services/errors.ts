/**
 * Domain errors thrown by services. They carry no transport detail: `api/errors.ts` maps them to
 * tRPC codes and HTTP statuses in one place (../shared/STYLE.md item 6).
 */
import type { FieldIssue } from '@weft/contracts';

export class DomainError extends Error {
  override name = 'DomainError';
}

/** The input is wrong; `issues` name the fields. */
export class InvalidInputError extends DomainError {
  override name = 'InvalidInputError';
  readonly issues: FieldIssue[];
  constructor(message: string, issues: FieldIssue[] = []) {
    super(message);
    this.issues = issues;
  }
}

export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
}

export class ConflictError extends DomainError {
  override name = 'ConflictError';
}

export class UnauthenticatedError extends DomainError {
  override name = 'UnauthenticatedError';
}

export class ForbiddenError extends DomainError {
  override name = 'ForbiddenError';
}

/** A dependency (the database) is not available right now; retrying later may work. */
export class UnavailableError extends DomainError {
  override name = 'UnavailableError';
}

/** Too many attempts; `retryAfterSeconds` says when to try again. */
export class RateLimitedError extends DomainError {
  override name = 'RateLimitedError';
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
