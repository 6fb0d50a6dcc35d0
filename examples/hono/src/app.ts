import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isTesseraError, type Tessera } from '@tessera/core';
import { requireAuth, requirePermission, tesseraApp, type TesseraVariables } from '@tessera/hono';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { html } from 'hono/html';
import { secureHeaders } from 'hono/secure-headers';
import type { DevMail } from './dev-mailbox.js';

/** What the app is built from. */
export interface AppOptions {
  readonly tessera: Tessera;
  /** Mails captured in development (none when real SMTP is configured). */
  readonly devMails?: readonly DevMail[];
  /** Origins allowed to call the API from a browser. */
  readonly corsOrigins?: readonly string[];
}

const swaggerUiDir = join(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'), '..');

/**
 * The example app: Tessera's REST API at /auth, the app's own routes guarded by Tessera's
 * permission table, interactive API docs at /docs, and a dev mailbox at /dev/mail.
 */
export function createApp({ tessera, devMails, corsOrigins = [] }: AppOptions): Hono<{ Variables: TesseraVariables }> {
  const app = new Hono<{ Variables: TesseraVariables }>();

  app.use('*', secureHeaders());
  app.use('/auth/*', cors({ origin: [...corsOrigins], credentials: false, allowHeaders: ['authorization', 'content-type'] }));
  app.use('/api/*', cors({ origin: [...corsOrigins], credentials: false, allowHeaders: ['authorization', 'content-type'] }));

  // Tessera's REST API.
  app.route('/auth', tesseraApp(tessera));

  // The app's own routes, guarded by the same permission table.
  app.get('/api/hello', requireAuth(tessera), (c) => c.json({ message: `Hello, ${c.get('tessera').role.toLowerCase()} ${c.get('tessera').userId}` }));
  app.get('/api/reports', requirePermission(tessera, 'users:list'), (c) => c.json({ report: 'Only managers and admins see this.', for: c.get('tessera').userId }));

  app.get('/health', async (c) => {
    const report = await tessera.checkHealth();
    return c.json(report, report.status === 'ok' ? 200 : 503);
  });

  // The reset link from the mail lands here; the reset itself is a POST, never a GET.
  app.get('/reset-password', (c) => {
    c.header('referrer-policy', 'no-referrer');
    return c.html(page('Choose a new password', html`<form method="post"><input type="hidden" name="token" value="${c.req.query('token') ?? ''}"><label>New password <input type="password" name="password" minlength="15" required autocomplete="new-password"></label> <button>Set password</button></form>`));
  });
  app.post('/reset-password', async (c) => {
    c.header('referrer-policy', 'no-referrer');
    const form = await c.req.parseBody();
    try {
      const field = (name: string) => (typeof form[name] === 'string' ? form[name] : '');
      await tessera.api.resetPassword({ token: field('token'), password: field('password') });
      return c.html(page('Password changed', html`<p>Your password was changed. Sign in again.</p>`));
    } catch (error) {
      if (!isTesseraError(error)) throw error;
      return c.html(page('Password not changed', html`<p>${error.message}</p>`), error.status === 400 ? 400 : 422);
    }
  });

  app.get('/dev/mail', (c) =>
    c.html(
      page(
        'Dev mailbox',
        html`${c.req.query('status') === 'verified' ? html`<p><b>Your email address is verified.</b> Go back to <a href="/docs">/docs</a> and press Authorize.</p>` : c.req.query('status') === 'invalid' ? html`<p><b>That verification link is invalid or has expired.</b></p>` : ''}${devMails
          ? devMails.length === 0
            ? html`<p>No mail yet. Register at <a href="/docs">/docs</a>.</p>`
            : html`<ul>${devMails.map((mail) => html`<li>${mail.at} — to ${mail.to}: <b>${mail.subject}</b> — <a href="${mail.link}">${mail.link}</a></li>`)}</ul>`
          : html`<p>Mail goes to the SMTP server in SMTP_URL.</p>`}`,
      ),
    ),
  );

  // Interactive API docs: Swagger UI, served from the swagger-ui-dist package (no CDN).
  app.get('/docs', (c) => {
    c.header('content-security-policy', "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'");
    return c.html(swaggerPage);
  });
  app.get('/docs/assets/:file', async (c) => {
    const file = c.req.param('file');
    if (!['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'favicon-32x32.png'].includes(file)) return c.notFound();
    const type = file.endsWith('.css') ? 'text/css' : file.endsWith('.png') ? 'image/png' : 'text/javascript';
    return c.body(await readFile(join(swaggerUiDir, file)), 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
  });
  app.get('/docs/init.js', (c) => c.body(swaggerInit, 200, { 'content-type': 'text/javascript' }));

  app.get('/', (c) => c.redirect('/docs'));
  return app;
}

function page(title: string, body: ReturnType<typeof html>) {
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
}

const swaggerPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tessera example — API docs</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"><link rel="icon" href="/docs/assets/favicon-32x32.png"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body></html>`;

const swaggerInit = `window.ui = SwaggerUIBundle({
  url: '/auth/openapi.json',
  dom_id: '#swagger-ui',
  persistAuthorization: true,
  displayOperationId: true,
  tryItOutEnabled: true,
});`;
