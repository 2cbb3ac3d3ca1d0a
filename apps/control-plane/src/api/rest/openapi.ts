/**
 * The OpenAPI 3.1 document for REST `/api/v1`, generated from the procedures' `meta.openapi`
 * by trpc-to-openapi, then corrected where the generator's defaults do not describe this server:
 *
 * - error responses: the generator describes tRPC's `{message, code, issues}`; every REST error
 *   here is Weft's `ApiErrorBody` (`{"error": {code, message, requestId, issues}}`, rest-handler.ts);
 * - security: the generator marks every operation protected unless `meta.openapi.protect` is
 *   false; here a procedure whose `meta.access` is public needs no credentials, and the others
 *   take a bearer token or the console's session cookie;
 * - the workload certificate endpoint, which is not a procedure (api/identity-handler.ts), is
 *   added by hand from its contracts schemas.
 */
import type { AnyProcedure, AnyRouter } from '@trpc/server';
import { ApiErrorBodySchema } from '@weft/contracts';
import { CERTIFICATE_PATH, CertificateRequestSchema, IssuedCertificateSchema, WORKLOAD_PROOF } from '@weft/contracts/identity';
import { generateOpenApiDocument } from 'trpc-to-openapi';
import { z } from 'zod';
import type { ProcedureMeta } from '../trpc.ts';

/** The component every error response refers to. */
export const API_ERROR_SCHEMA = 'ApiError';

const SECURITY_SCHEMES = {
  bearerToken: { type: 'http', scheme: 'bearer', description: 'A Weft API token (weft_…)' },
  sessionCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: '__Host-weft_session',
    description:
      "The console's session (`weft_session` over plain HTTP), set by POST /auth/login. Mutations with it also need the `x-weft-csrf` header (the login's csrfToken).",
  },
} as const;

/** Credentials of the certificate endpoint only (the generator would offer them everywhere). */
const WORKLOAD_SCHEMES = {
  workloadProof: {
    type: 'http',
    scheme: WORKLOAD_PROOF.scheme,
    description: `A WeftProof: a compact JWS (ES256, x5c = the workload's current chain) with aud ${WORKLOAD_PROOF.audience} (docs/identity.md)`,
  },
  joinToken: { type: 'http', scheme: 'bearer', description: 'A join token (weft_join_…) for one namespace + service' },
} as const;

type Operation = { security?: unknown[]; responses?: Record<string, { description?: string; content?: unknown }> };
type Document = {
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
};

/** The OpenAPI 3 document for REST `/api/v1`, generated from the procedures' `meta.openapi`. */
export function buildOpenApiDocument(router: AnyRouter, version: string): unknown {
  const doc = generateOpenApiDocument(router, {
    title: 'Weft control plane API',
    description:
      'REST view of the Weft control plane. Every operation is also a tRPC procedure at /trpc with the same input, output and authorization. Errors have the body {"error": {"code", "message", "requestId", "issues"}}.',
    version,
    baseUrl: '/api/v1',
    securitySchemes: { ...SECURITY_SCHEMES },
  }) as unknown as Document;

  const publicOperations = new Set<string>();
  for (const procedure of Object.values(router._def.procedures as Record<string, AnyProcedure>)) {
    const meta = procedure._def.meta as ProcedureMeta | undefined;
    if (meta?.openapi && meta.access?.kind === 'public') publicOperations.add(`${meta.openapi.method.toLowerCase()} ${meta.openapi.path}`);
  }

  const schemas = (doc.components ??= {}).schemas ?? {};
  for (const name of Object.keys(schemas)) if (name.startsWith('error.')) delete schemas[name];
  const { $schema: _dialect, ...errorSchema } = z.toJSONSchema(ApiErrorBodySchema, { target: 'draft-2020-12' });
  schemas[API_ERROR_SCHEMA] = errorSchema;
  doc.components.schemas = schemas;

  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      // An empty list overrides any default: no credentials needed.
      if (publicOperations.has(`${method} ${path}`)) operation.security = [];
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (!/^[45]\d\d$/.test(status)) continue;
        response.content = { 'application/json': { schema: { $ref: `#/components/schemas/${API_ERROR_SCHEMA}` } } };
      }
    }
  }
  doc.components.securitySchemes = { ...doc.components.securitySchemes, ...WORKLOAD_SCHEMES };
  (doc.paths ??= {})[CERTIFICATE_PATH.slice('/api/v1'.length)] = { post: certificateOperation() };
  return doc;
}

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' });
  return rest;
}

function certificateOperation(): Operation & Record<string, unknown> {
  const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: `#/components/schemas/${API_ERROR_SCHEMA}` } } } });
  return {
    operationId: 'identity-issueCertificate',
    summary: 'Issue a workload certificate for a CSR',
    tags: ['identity'],
    security: [{ joinToken: [] }, { bearerToken: [] }, { workloadProof: [] }, { sessionCookie: [] }],
    requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(CertificateRequestSchema) } } },
    responses: {
      200: { description: 'The certificate chain and the trust bundle', content: { 'application/json': { schema: jsonSchema(IssuedCertificateSchema) } } },
      400: error('Invalid body or CSR (error.issues names the field)'),
      401: error('No credential, or one that is not valid'),
      403: error('The credential does not allow this identity'),
    },
  };
}
