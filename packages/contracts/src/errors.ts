import { z } from 'zod';

/**
 * Error codes every API surface (tRPC, REST, CLI) agrees on. The UI and the CLI switch on
 * `code`, never on message text.
 */
export const ApiErrorCodeSchema = z.enum([
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'TOO_MANY_REQUESTS',
  'UNAVAILABLE',
  'INTERNAL',
]);
export type ApiErrorCode = z.infer<typeof ApiErrorCodeSchema>;

/** One problem in an input document: where it is and what to do about it. */
export const FieldIssueSchema = z.object({
  path: z.string(),
  message: z.string(),
  /** Set for findings of the mesh validation (`UnknownService`…): stable, machine-readable. */
  code: z.string().optional(),
  /** Set for findings of the mesh validation: errors block a write, warnings do not. */
  severity: z.enum(['error', 'warning']).optional(),
});
export type FieldIssue = z.infer<typeof FieldIssueSchema>;

/** The JSON body of every REST error response. */
export const ApiErrorBodySchema = z.object({
  error: z.object({
    code: ApiErrorCodeSchema,
    message: z.string(),
    requestId: z.string(),
    issues: z.array(FieldIssueSchema).optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>;
