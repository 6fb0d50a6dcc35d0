import fastifyCors from '@fastify/cors';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifySwagger, { type StaticDocumentSpec } from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { problemHeaders, problemMediaType, TesseraError, toProblem } from '@tessera/core';
import { accountEmailPage, buildUsersReport, devMailPage, pathOnly, resetPasswordForm, submitResetPassword, type ExampleConfig, type HtmlPage, type TesseraRuntime } from '@tessera/example-shared';
import tesseraPlugin from '@tessera/fastify';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * Registers the app on a Fastify instance: Tessera's REST API at /auth, the app's own report
 * behind Tessera's permission table, health, Swagger UI at /docs, and the pages the mailed
 * links lead to. Closing the instance (`app.close()`) also closes Tessera and the database.
 */
export async function registerApp(app: FastifyInstance, config: ExampleConfig, runtime: TesseraRuntime): Promise<void> {
  const { tessera, devMails } = runtime;

  await app.register(fastifyHelmet, {
    // Over plain http (development) neither HSTS nor upgrade-insecure-requests make sense.
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: config.isHttps ? [] : null } },
    strictTransportSecurity: config.isHttps ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });
  // Browsers on other origins may call the API only from the origins listed in CORS_ORIGINS.
  await app.register(fastifyCors, { origin: [...config.corsOrigins], allowedHeaders: ['authorization', 'content-type'], maxAge: 600 });
  // For the reset form; Tessera's own routes parse their bodies themselves.
  await app.register(fastifyFormbody, { bodyLimit: 4096 });

  // Tessera's REST API: POST /auth/register, /auth/login, GET /auth/me, ... (see /docs). It
  // also adds `app.authenticate`, `app.requireRole(...)` and `app.requirePermission(...)`.
  await app.register(tesseraPlugin, { tessera, prefix: '/auth' });

  // The app's own route, guarded by the permission table (`reports:view`: managers and admins).
  app.get('/api/reports/users', { onRequest: [app.requirePermission('reports:view')] }, async (request) => buildUsersReport(tessera, request.tessera!));

  // For load balancers and orchestrators: 200 when the database answers, 503 otherwise.
  app.get('/health', async (_request, reply) => {
    const report = await tessera.checkHealth();
    return reply.code(report.status === 'ok' ? 200 : 503).send(report);
  });

  // Interactive API docs from Tessera's OpenAPI document, with the server the browser called.
  await app.register(fastifySwagger, { mode: 'static', specification: { document: openapiFor(config.appUrl) } });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    uiConfig: { persistAuthorization: true, displayOperationId: true, tryItOutEnabled: true, validatorUrl: null },
    transformSpecification: (_document, request) => openapiFor(`${request.protocol}://${request.host}`),
  });

  // Where Tessera's verification and email-change links land, and the reset form the reset mail opens.
  app.get<{ Querystring: { status?: string } }>('/account/email', async (request, reply) => sendPage(reply, accountEmailPage(request.query.status)));
  app.get<{ Querystring: { token?: string } }>('/reset-password', async (request, reply) => sendPage(reply, resetPasswordForm(request.query.token)));
  app.post<{ Body: Record<string, unknown> | undefined }>('/reset-password', async (request, reply) =>
    sendPage(reply, await submitResetPassword(tessera, request.body ?? {})),
  );
  if (devMails !== null) app.get('/dev/mail', async (_request, reply) => sendPage(reply, devMailPage(devMails)));
  app.get('/', async (_request, reply) => reply.redirect('/docs'));

  // Errors of the app's own routes as problem details, like Tessera's; unexpected ones logged, never shown.
  app.setNotFoundHandler(async (request, reply) => sendProblem(reply, new TesseraError('route_not_found'), pathOnly(request.url)));
  app.setErrorHandler(async (error, request, reply) => {
    // Fastify's own client errors (a malformed body, ...) keep their status.
    const fastifyStatus = (error as { statusCode?: number }).statusCode;
    if (fastifyStatus !== undefined && fastifyStatus < 500) return reply.code(fastifyStatus).send(error);
    if (toProblem(error).status >= 500) request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, error, pathOnly(request.url));
  });

  // app.close() runs this once the server stopped accepting and the requests in flight were answered.
  app.addHook('onClose', async () => runtime.close());

  // Tessera builds an OpenAPI 3.1 document; @fastify/swagger's types only name 2.0 and 3.0.
  function openapiFor(origin: string): StaticDocumentSpec['document'] {
    return tessera.openapi(`${origin}/auth`) as unknown as StaticDocumentSpec['document'];
  }
}

function sendProblem(reply: FastifyReply, error: unknown, path: string): FastifyReply {
  const problem = toProblem(error, path);
  return reply.code(problem.status).headers(problemHeaders(problem)).type(problemMediaType).send(JSON.stringify(problem));
}

function sendPage(reply: FastifyReply, page: HtmlPage): FastifyReply {
  return reply.code(page.status).type('text/html; charset=utf-8').send(page.html);
}
