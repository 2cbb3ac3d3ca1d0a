/**
 * POST CERTIFICATE_PATH (`/api/v1/identity/certificates`): a dedicated REST handler rather than
 * a tRPC procedure, because its credentials are not the API's principals — a join token and a
 * WeftProof authenticate a workload, not a user or API token — and because the tRPC middleware
 * would turn them into "anonymous" and answer with its own 401 before the service could check
 * them. API tokens and sessions still go through the usual authenticator (the request context),
 * and errors use the same body and the same mapping (api/errors.ts) as every REST route.
 *
 *   Authorization: Bearer weft_join_…   join token (scoped to namespace + service)
 *                | Bearer weft_…        API token with the editor role on the namespace
 *                | WeftProof <JWS>      renewal with the current certificate's key
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { JOIN_TOKEN_PREFIX, WORKLOAD_PROOF } from '@weft/contracts/identity';
import type { CertificateCredential } from '../services/identity/ports.ts';
import type { RequestContext } from './context.ts';
import { csrfTokenProblem, originProblem } from './csrf.ts';
import { mapError } from './errors.ts';
import { PayloadTooLargeError, readJsonBody, UnsupportedMediaTypeError } from './rest/body.ts';
import { sendError, sendJson } from './rest/rest-handler.ts';

const PROOF = new RegExp(`^${WORKLOAD_PROOF.scheme}\\s+(\\S+)\\s*$`, 'i');
const JOIN = new RegExp(`^bearer\\s+(${JOIN_TOKEN_PREFIX}\\S*)\\s*$`, 'i');

/** The credential in the request (the context has already authenticated API tokens and sessions). */
export function certificateCredential(authorization: string | undefined, ctx: Pick<RequestContext, 'auth'>): CertificateCredential {
  const header = authorization ?? '';
  const proof = PROOF.exec(header)?.[1];
  if (proof) return { kind: 'proof', jws: proof };
  const join = JOIN.exec(header)?.[1];
  if (join) return { kind: 'join', secret: join };
  return { kind: 'principal', principal: ctx.auth.principal, problem: 'problem' in ctx.auth ? ctx.auth.problem : null };
}

export async function handleCertificateRequest(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, maxBodyBytes: number): Promise<void> {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    sendError(res, ctx, { code: 'BAD_REQUEST', httpStatus: 405, message: `${req.method} is not allowed on ${req.url}; use POST` });
    return;
  }
  try {
    // A browser session must prove it is not a forged cross-site request, as for any mutation;
    // the service refuses one and audits it like any other refusal.
    let credential = certificateCredential(req.headers.authorization, ctx);
    if (ctx.credentials === 'session' && ctx.auth.session) {
      const problem = originProblem(req, ctx.settings.allowedOrigins) ?? csrfTokenProblem(req, ctx.auth.session.csrfToken);
      if (problem) credential = { kind: 'refused', principal: ctx.auth.principal, reason: `CSRF check failed: ${problem}` };
    }
    const body = await readJsonBody(req, maxBodyBytes);
    sendJson(res, 200, await ctx.services.certificates.issue(credential, body, ctx.caller));
  } catch (err) {
    if (err instanceof PayloadTooLargeError) return sendError(res, ctx, { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413, message: err.message });
    if (err instanceof UnsupportedMediaTypeError) return sendError(res, ctx, { code: 'BAD_REQUEST', httpStatus: 415, message: err.message });
    const mapped = mapError(err);
    if (mapped.code === 'INTERNAL') throw err;
    sendError(res, ctx, mapped);
  }
}
