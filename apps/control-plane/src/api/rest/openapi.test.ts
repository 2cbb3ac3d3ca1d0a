/**
 * The OpenAPI document (GET /api/v1/openapi.json, built from the router without a server):
 * valid OpenAPI 3 by the official JSON schema, one operation per procedure with `meta.openapi`,
 * unique operationIds, every `$ref` resolvable, and it tells the truth about errors (Weft's
 * `{"error": …}` body) and credentials (public procedures need none).
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import type { AnyProcedure } from '@trpc/server';
import { ApiErrorBodySchema } from '@weft/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../router.ts';
import type { ProcedureMeta } from '../trpc.ts';
import { API_ERROR_SCHEMA, buildOpenApiDocument } from './openapi.ts';

interface Operation {
  operationId?: string;
  security?: Record<string, string[]>[];
  parameters?: { in: string; name: string; required?: boolean }[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

const doc = buildOpenApiDocument(appRouter, '0.0.0-test') as Document;

const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, AnyProcedure>)
  .map(([path, procedure]) => ({ path, meta: procedure._def.meta as ProcedureMeta | undefined }))
  .filter((p): p is { path: string; meta: ProcedureMeta & { openapi: NonNullable<ProcedureMeta['openapi']> } } => !!p.meta?.openapi && p.meta.openapi.enabled !== false);

const operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));

describe('the OpenAPI document', () => {
  let result: Awaited<ReturnType<Validator['validate']>>;
  let validator: Validator;
  beforeAll(async () => {
    validator = new Validator();
    result = await validator.validate(structuredClone(doc) as unknown as Record<string, unknown>);
  });

  it('is valid OpenAPI 3 by the official JSON schema (0 errors)', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toMatch(/^3\./);
  });

  it('has exactly one operation per procedure with meta.openapi, at its method and path', () => {
    expect(procedures.length).toBeGreaterThan(20);
    const missing = procedures.filter(({ meta }) => !doc.paths[meta.openapi.path]?.[meta.openapi.method.toLowerCase()]).map((p) => p.path);
    expect(missing).toEqual([]);
    // …plus the workload certificate endpoint, which is not a procedure (api/identity-handler.ts).
    expect(operations.length).toBe(procedures.length + 1);
    expect(doc.paths['/identity/certificates']!.post!.security!.flatMap((r) => Object.keys(r)).sort()).toEqual(['bearerToken', 'joinToken', 'sessionCookie', 'workloadProof']);
  });

  it('has unique operationIds', () => {
    const ids = operations.map(({ op }) => op.operationId);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('declares every {param} of a path as a required path parameter', () => {
    const problems: string[] = [];
    for (const { path, method, op } of operations) {
      for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
        const param = op.parameters?.find((p) => p.in === 'path' && p.name === name);
        if (!param?.required) problems.push(`${method} ${path}: {${name}}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('resolves every $ref', () => {
    const unresolved: string[] = [];
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(visit);
      else if (node !== null && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === '$ref' && typeof value === 'string') {
            const target = value
              .replace(/^#\//, '')
              .split('/')
              .reduce<unknown>((at, part) => (at as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
            if (target === undefined) unresolved.push(value);
          } else visit(value);
        }
      }
    };
    visit(doc);
    expect(unresolved).toEqual([]);
  });

  it("describes errors with Weft's body, {error: {code, message, requestId, issues}}", () => {
    const schema = doc.components.schemas[API_ERROR_SCHEMA] as { properties: { error: { required: string[]; properties: Record<string, unknown> } } };
    expect(schema.properties.error.required).toEqual(expect.arrayContaining(['code', 'message', 'requestId']));
    expect(Object.keys(schema.properties.error.properties)).toContain('issues');
    expect(Object.keys(doc.components.schemas).filter((name) => name.startsWith('error.'))).toEqual([]);
    const wrong: string[] = [];
    for (const { path, method, op } of operations) {
      const statuses = Object.keys(op.responses);
      expect(statuses, `${method} ${path}`).toContain('200');
      for (const status of statuses.filter((s) => /^[45]/.test(s))) {
        const ref = op.responses[status]!.content?.['application/json']?.schema?.$ref;
        if (ref !== `#/components/schemas/${API_ERROR_SCHEMA}`) wrong.push(`${method} ${path} ${status}: ${ref}`);
      }
    }
    expect(wrong).toEqual([]);
    // The schema describes what the server sends.
    expect(ApiErrorBodySchema.safeParse({ error: { code: 'BAD_REQUEST', message: 'm', requestId: 'r', issues: [{ path: 'spec', message: 'm' }] } }).success).toBe(true);
  });

  it('asks for credentials exactly where the procedure needs them', () => {
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearerToken', 'joinToken', 'sessionCookie', 'workloadProof']);
    const problems: string[] = [];
    for (const { meta } of procedures) {
      const op = doc.paths[meta.openapi.path]![meta.openapi.method.toLowerCase()]!;
      const isPublic = meta.access?.kind === 'public';
      const schemes = (op.security ?? []).flatMap((requirement) => Object.keys(requirement)).sort();
      const expected = isPublic ? [] : ['bearerToken', 'sessionCookie'];
      if (JSON.stringify(schemes) !== JSON.stringify(expected)) problems.push(`${meta.openapi.method} ${meta.openapi.path}: ${schemes.join(',') || 'none'}`);
    }
    expect(problems).toEqual([]);
    expect(doc.paths['/auth/login']!.post!.security).toEqual([]);
    expect(doc.paths['/health']!.get!.security).toEqual([]);
  });
});
