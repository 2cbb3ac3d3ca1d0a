/**
 * Exit codes of `weft` (docs/cli.md "Exit codes") and the one error type commands throw.
 *
 * Every failure becomes a CliError with an exit code and, where it helps, a `hint` that says what
 * to do next. HTTP answers are mapped in one place (`exitCodeForStatus`), so `weft get` and
 * `weft apply` agree on what a 409 or a 503 means.
 */
import type { FieldIssue } from '@weft/contracts';

export const ExitCode = {
  /** Everything worked (for `weft diff`: no differences). */
  OK: 0,
  /** Invalid documents, blocked writes, `weft diff` found differences, some documents failed. */
  FAILED: 1,
  /** Bad command line: unknown flag, missing argument, unknown kind. */
  USAGE: 2,
  /** Not logged in, token refused (401) or not allowed (403), unsafe config file. */
  AUTH: 3,
  /** The resource, namespace or revision does not exist (404). */
  NOT_FOUND: 4,
  /** Someone else changed the resource first (409). */
  CONFLICT: 5,
  /** The control plane cannot be reached, timed out, is overloaded (429) or failed (5xx). */
  UNAVAILABLE: 6,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class CliError extends Error {
  override name = 'CliError';
  readonly exitCode: ExitCodeValue;
  /** What to do next, printed after the message. */
  readonly hint: string | undefined;

  constructor(exitCode: ExitCodeValue, message: string, hint?: string) {
    super(message);
    this.exitCode = exitCode;
    this.hint = hint;
  }
}

/** Neither a config file nor WEFT_URL/WEFT_TOKEN: nothing to connect with (exit 3). */
export class NotLoggedInError extends CliError {
  override name = 'NotLoggedInError';
}

export const usageError = (message: string, hint?: string): CliError => new CliError(ExitCode.USAGE, message, hint);

/** An error answer of the control plane (`ApiErrorBody`), or a transport failure (status 0). */
export class ApiError extends CliError {
  override name = 'ApiError';
  /** HTTP status; 0 when no answer came (connection refused, timeout). */
  readonly status: number;
  /** The API's error code (`CONFLICT`…), when the body had one. */
  readonly code: string | undefined;
  readonly issues: FieldIssue[];
  readonly requestId: string | undefined;

  constructor(opts: { status: number; message: string; code?: string; issues?: FieldIssue[]; requestId?: string; hint?: string }) {
    super(exitCodeForStatus(opts.status), opts.message, opts.hint ?? hintForStatus(opts.status, opts.requestId));
    this.status = opts.status;
    this.code = opts.code;
    this.issues = opts.issues ?? [];
    this.requestId = opts.requestId;
  }
}

/** The exit code for an HTTP status (0: no answer at all). */
export function exitCodeForStatus(status: number): ExitCodeValue {
  if (status === 0 || status === 429 || status >= 500) return ExitCode.UNAVAILABLE;
  if (status === 401 || status === 403) return ExitCode.AUTH;
  if (status === 404) return ExitCode.NOT_FOUND;
  if (status === 409) return ExitCode.CONFLICT;
  if (status >= 400) return ExitCode.FAILED;
  return ExitCode.OK;
}

function hintForStatus(status: number, requestId: string | undefined): string | undefined {
  switch (status) {
    case 401:
      return 'The token is unknown, expired or revoked. Create a new one (console: Teams → API tokens) and run `weft login URL --token-stdin`.';
    case 403:
      return "Your token's role on this namespace's team is too low: ask an owner of the team for a token with a higher role.";
    case 409:
      return 'Read the resource again (`weft get … -o yaml`), reapply your change, and apply again.';
    case 429:
      return 'The control plane is throttling requests: wait a little and try again.';
    default:
      if (status >= 500) return `The control plane failed; try again. If it keeps failing, report request id ${requestId ?? '(none)'} to its operators.`;
      return undefined;
  }
}

/**
 * The exit code for several per-document failures: theirs when they all agree (one 409 → 5),
 * else 1 ("some documents failed").
 */
export function combinedExitCode(codes: readonly ExitCodeValue[]): ExitCodeValue {
  const failures = codes.filter((c) => c !== ExitCode.OK);
  if (failures.length === 0) return ExitCode.OK;
  return failures.every((c) => c === failures[0]) ? failures[0]! : ExitCode.FAILED;
}
