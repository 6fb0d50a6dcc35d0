import { problemHeaders, problemMediaType, TesseraError, toProblem } from '@tessera/core';
import { accountEmailPage, buildUsersReport, devMailPage, resetPasswordForm, submitResetPassword, type ExampleConfig, type HtmlPage, type TesseraRuntime } from '@tessera/example-shared';
import { requirePermission, tesseraRouter } from '@tessera/express';
import cors from 'cors';
import express, { type ErrorRequestHandler, type Express, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import swaggerUi from 'swagger-ui-express';
import { httpLogOptions } from './logger.js';

/**
 * The Express app: Tessera's REST API at /auth, the app's own report behind Tessera's
 * permission table, health, Swagger UI at /docs, and the pages the mailed links lead to.
 */
export function createApp(config: ExampleConfig, runtime: TesseraRuntime, logger: Logger): Express {
  const { tessera, devMails } = runtime;
  const app = express();

  // One JSON line per request, without query strings or credentials (see logger.ts).
  app.use(pinoHttp({ logger, ...httpLogOptions }));
  app.use(
    helmet({
      // Over plain http (development) neither HSTS nor upgrade-insecure-requests make sense.
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: config.isHttps ? [] : null } },
      strictTransportSecurity: config.isHttps ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    }),
  );
  // Browsers on other origins may call the API only from the origins listed in CORS_ORIGINS.
  app.use(['/auth', '/api'], cors({ origin: [...config.corsOrigins], allowedHeaders: ['authorization', 'content-type'], maxAge: 600 }));

  // Tessera's REST API: POST /auth/register, /auth/login, GET /auth/me, ... (see /docs).
  app.use('/auth', tesseraRouter(tessera));

  // The app's own route, guarded by the permission table (`reports:view`: managers and admins).
  app.get('/api/reports/users', requirePermission(tessera, 'reports:view'), async (req, res) => {
    res.json(await buildUsersReport(tessera, req.tessera!));
  });

  // For load balancers and orchestrators: 200 when the database answers, 503 otherwise.
  app.get('/health', async (_req, res) => {
    const report = await tessera.checkHealth();
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });

  // Interactive API docs from Tessera's OpenAPI document (served by the API itself).
  app.use(
    '/docs',
    swaggerUi.serve,
    swaggerUi.setup(undefined, {
      customSiteTitle: 'Tessera Express example — API docs',
      customCss: '.swagger-ui .topbar { display: none }',
      swaggerUrl: '/auth/openapi.json',
      swaggerOptions: { persistAuthorization: true, displayOperationId: true, tryItOutEnabled: true, validatorUrl: null },
    }),
  );

  // Where Tessera's verification and email-change links land, and the reset form the reset mail opens.
  app.get('/account/email', (req, res) => sendPage(res, accountEmailPage(queryText(req, 'status'))));
  app.get('/reset-password', (req, res) => sendPage(res, resetPasswordForm(queryText(req, 'token'))));
  app.post('/reset-password', express.urlencoded({ extended: false, limit: '4kb' }), async (req, res) => {
    sendPage(res, await submitResetPassword(tessera, (req.body ?? {}) as Record<string, unknown>));
  });
  if (devMails !== null) app.get('/dev/mail', (_req, res) => sendPage(res, devMailPage(devMails)));
  app.get('/', (_req, res) => res.redirect('/docs'));

  app.use((req, res) => sendProblem(res, new TesseraError('route_not_found'), req.path));
  app.use(problemErrors);
  return app;
}

/** Errors from the app's own routes as problem details, like Tessera's; unexpected ones logged, never shown. */
const problemErrors: ErrorRequestHandler = (error: unknown, req, res, next) => {
  if (res.headersSent) return next(error);
  const status = toProblem(error).status;
  if (status >= 500) req.log.error({ err: error }, 'request failed');
  sendProblem(res, error, req.path);
};

function sendProblem(res: Response, error: unknown, path: string): void {
  const problem = toProblem(error, path);
  res.status(problem.status).set(problemHeaders(problem)).type(problemMediaType).send(JSON.stringify(problem));
}

function sendPage(res: Response, page: HtmlPage): void {
  res.status(page.status).type('html').send(page.html);
}

function queryText(req: Request, name: string): string | undefined {
  const value: unknown = req.query[name];
  return typeof value === 'string' ? value : undefined;
}
