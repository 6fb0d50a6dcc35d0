import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { problemResponse, TesseraError, toProblem, type Logger } from '@tessera/core';
import { accountEmailPage, buildUsersReport, devMailPage, resetPasswordForm, submitResetPassword, type ExampleConfig, type HtmlPage, type TesseraRuntime } from '@tessera/example-shared';
import { requireAuth, requirePermission, tesseraApp, type TesseraVariables } from '@tessera/hono';
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { requestLogger } from './json-logger.js';

const swaggerUiDir = join(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'), '..');
const swaggerAssets = ['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png'];

/**
 * The Hono app: Tessera's REST API at /auth, the app's own report behind Tessera's permission
 * table, health, Swagger UI at /docs, and the pages the mailed links lead to. `benchRoutes` adds
 * `GET /bench/bare` and `GET /bench/me` for `pnpm bench:http`.
 */
export function createApp(config: ExampleConfig, runtime: TesseraRuntime, logger: Logger, options: { benchRoutes?: boolean } = {}): Hono<{ Variables: TesseraVariables }> {
  const { tessera, devMails } = runtime;
  const app = new Hono<{ Variables: TesseraVariables }>();

  // One JSON line per request, without query strings or credentials (see json-logger.ts).
  app.use(requestLogger(logger));
  app.use(
    secureHeaders({
      // No inline script anywhere, the docs page included; Swagger UI needs inline styles.
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        ...(config.isHttps && { upgradeInsecureRequests: [] }),
      },
      // Over plain http (development) HSTS makes no sense.
      strictTransportSecurity: config.isHttps ? 'max-age=31536000; includeSubDomains' : false,
    }),
  );
  // Browsers on other origins may call the API only from the origins listed in CORS_ORIGINS.
  const apiCors = cors({ origin: [...config.corsOrigins], allowHeaders: ['authorization', 'content-type'], maxAge: 600 });
  app.use('/auth/*', apiCors);
  app.use('/api/*', apiCors);

  // Tessera's REST API: POST /auth/register, /auth/login, GET /auth/me, ... (see /docs).
  app.route('/auth', tesseraApp(tessera));

  // The app's own route, guarded by the permission table (`reports:view`: managers and admins).
  app.get('/api/reports/users', requirePermission(tessera, 'reports:view'), async (c) => c.json(await buildUsersReport(tessera, c.get('tessera'))));

  // For load balancers and orchestrators: 200 when the database answers, 503 otherwise.
  app.get('/health', async (c) => {
    const report = await tessera.checkHealth();
    return c.json(report, report.status === 'ok' ? 200 : 503);
  });

  // Interactive API docs: Swagger UI from the swagger-ui-dist package (no CDN), reading the
  // OpenAPI document that Tessera's API serves itself.
  app.get('/docs', (c) => c.html(swaggerPage));
  app.get('/docs/init.js', (c) => c.body(swaggerInit, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  app.get('/docs/assets/:file', async (c) => {
    const file = c.req.param('file');
    if (!swaggerAssets.includes(file)) return c.notFound();
    const type = file.endsWith('.css') ? 'text/css' : file.endsWith('.png') ? 'image/png' : 'text/javascript';
    return c.body(await readFile(join(swaggerUiDir, file)), 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
  });

  // Where Tessera's verification and email-change links land, and the reset form the reset mail opens.
  app.get('/account/email', (c) => sendPage(c, accountEmailPage(c.req.query('status'))));
  app.get('/reset-password', (c) => sendPage(c, resetPasswordForm(c.req.query('token'))));
  app.post('/reset-password', async (c) => sendPage(c, await submitResetPassword(tessera, await c.req.parseBody())));
  if (devMails !== null) app.get('/dev/mail', (c) => sendPage(c, devMailPage(devMails)));
  app.get('/', (c) => c.redirect('/docs'));

  // BENCH=1 (pnpm bench:http only): the framework's bare route, and the same behind Tessera's
  // guard, which verifies the token and touches no database.
  if (options.benchRoutes === true) {
    app.get('/bench/bare', (c) => c.json({ ok: true }));
    app.get('/bench/me', requireAuth(tessera), (c) => c.json({ ok: true, userId: c.get('tessera').userId }));
  }

  // Errors of the app's own routes as problem details, like Tessera's; unexpected ones logged, never shown.
  app.notFound((c) => problemResponse(new TesseraError('route_not_found'), c.req.path));
  app.onError((error, c) => {
    if (toProblem(error).status >= 500) logger.error({ err: error, path: c.req.path }, 'request failed');
    return problemResponse(error, c.req.path);
  });
  return app;
}

function sendPage(c: Context, page: HtmlPage): Response {
  return c.html(page.html, page.status as 200);
}

const swaggerPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tessera Hono example — API docs</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"><link rel="icon" href="/docs/assets/favicon-32x32.png"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body></html>`;

const swaggerInit = `window.ui = SwaggerUIBundle({
  url: '/auth/openapi.json',
  dom_id: '#swagger-ui',
  persistAuthorization: true,
  displayOperationId: true,
  tryItOutEnabled: true,
  validatorUrl: null,
});`;
