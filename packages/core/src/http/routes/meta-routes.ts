import { z } from 'zod';
import { healthSchema } from '../http-schemas.js';
import { defineRoute, type AnyRoute } from '../route.js';

/** Health and the API description. */
export function metaRoutes(openApiDocument: (serverUrl: string) => unknown): AnyRoute[] {
  return [
    defineRoute({
      operationId: 'health',
      method: 'GET',
      path: '/health',
      tags: ['Meta'],
      summary: 'Health, with a database round trip',
      auth: 'none',
      responses: {
        200: { description: 'Healthy.', schema: healthSchema },
        503: { description: 'A dependency is failing.', schema: healthSchema },
      },
      errors: [],
      handle: async ({ deps }) => {
        const report = await deps.checkHealth();
        return { status: report.status === 'ok' ? 200 : 503, body: report };
      },
    }),
    defineRoute({
      operationId: 'openapi',
      method: 'GET',
      path: '/openapi.json',
      tags: ['Meta'],
      summary: 'This API’s OpenAPI 3.1 document',
      auth: 'none',
      responses: { 200: { description: 'The OpenAPI document, with this mount point as its server.', schema: z.record(z.string(), z.unknown()) } },
      errors: [],
      handle: async ({ url, basePath }) => ({
        status: 200,
        headers: { 'cache-control': 'public, max-age=300' },
        body: openApiDocument(`${url.origin}${basePath}`),
      }),
    }),
  ];
}
