/**
 * What went wrong with a call to the control plane, in the terms the UI switches on: the API's
 * error code (never its message text), the message to show, and the field issues of a bad input.
 *
 * A tRPC error carries `data.apiCode` and `data.issues` (set by the control plane's error
 * formatter) only when the control plane itself answered; anything else — a refused connection,
 * the console's proxy failing — is `UNREACHABLE`.
 */
import type { ApiErrorCode, FieldIssue } from '@weft/contracts';

export type ProblemCode = ApiErrorCode | 'UNREACHABLE';

export interface ApiProblem {
  code: ProblemCode;
  message: string;
  issues: FieldIssue[];
}

function dataOf(error: unknown): Record<string, unknown> | undefined {
  if (typeof error !== 'object' || error === null || !('data' in error)) return undefined;
  const data = (error as { data: unknown }).data;
  return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : undefined;
}

function isIssue(value: unknown): value is FieldIssue {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.path === 'string' && typeof v.message === 'string';
}

export function apiProblemOf(error: unknown): ApiProblem {
  const message = error instanceof Error ? error.message : String(error);
  const data = dataOf(error);
  const code = data?.apiCode;
  if (typeof code !== 'string') return { code: 'UNREACHABLE', message, issues: [] };
  const issues = Array.isArray(data?.issues) ? data.issues.filter(isIssue) : [];
  return { code: code as ApiErrorCode, message, issues };
}

/** Whether `error` is an answer from the control plane with this code. */
export function hasApiCode(error: unknown, code: ApiErrorCode): boolean {
  return error != null && apiProblemOf(error).code === code;
}

export interface FormProblems {
  /** One message per known field, ready to show beside it (`Password must be …`). */
  fields: Record<string, string>;
  /** What belongs to no field on the form: shown above the submit button. */
  form: string | null;
}

/**
 * Splits a failed submission into messages beside the fields (`labels` maps input paths to the
 * labels on screen) and one message for the form. Issues name the field only by path, so the
 * label is put in front: `Password` + `must be at least 12 characters`.
 */
export function formProblemsOf(error: unknown, labels: Readonly<Record<string, string>>): FormProblems {
  if (error == null) return { fields: {}, form: null };
  const problem = apiProblemOf(error);
  const fields: Record<string, string> = {};
  let unplaced = false;
  for (const issue of problem.issues) {
    const label = labels[issue.path];
    if (label === undefined) {
      unplaced = true;
      continue;
    }
    const text = `${label} ${issue.message}`;
    fields[issue.path] = fields[issue.path] ? `${fields[issue.path]}; ${issue.message}` : text;
  }
  const placedAll = problem.issues.length > 0 && !unplaced;
  return { fields, form: placedAll ? null : problemText(problem) };
}

/** A sentence for a problem, for notices and alerts. */
export function problemText(problem: ApiProblem): string {
  switch (problem.code) {
    case 'UNREACHABLE':
      return `The control plane cannot be reached (${problem.message}).`;
    case 'INTERNAL':
      return 'The control plane failed to answer; check its logs.';
    default:
      return problem.message;
  }
}
