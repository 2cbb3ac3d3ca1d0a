import type { AnyRouter } from '@trpc/server';
import { generateOpenApiDocument } from 'trpc-to-openapi';

/** The OpenAPI 3 document for REST `/api/v1`, generated from the procedures' `meta.openapi`. */
export function buildOpenApiDocument(router: AnyRouter, version: string): unknown {
  return generateOpenApiDocument(router, {
    title: 'Weft control plane API',
    description:
      'REST view of the Weft control plane. Every operation is also a tRPC procedure at /trpc with the same input, output and authorization.',
    version,
    baseUrl: '/api/v1',
    securitySchemes: {
      bearerToken: { type: 'http', scheme: 'bearer', description: 'A Weft API token (weft_…)' },
    },
  });
}
