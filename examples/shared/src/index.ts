/**
 * What the Express, Fastify and Hono examples share that has nothing to do with the framework:
 * configuration from the environment, the database, the secrets, the mail, the Tessera
 * instance, the app's report, its few HTML pages, and graceful shutdown.
 *
 * @packageDocumentation
 */
export { readExampleConfig, type ExampleConfig } from './example-config.js';
export { loadSecrets, type AppSecrets } from './dev-secrets.js';
export { openStore, type OpenedStore } from './open-store.js';
export { createExampleMail, mailLinks, type ExampleMail } from './example-mail.js';
export { appPermissions, startTessera, type ExampleTessera, type TesseraRuntime } from './start-tessera.js';
export { buildUsersReport, type UsersReport } from './users-report.js';
export { accountEmailPage, devMailPage, resetPasswordForm, submitResetPassword, type HtmlPage } from './pages.js';
export { closeHttpServer, stopOnSignals } from './stop-on-signals.js';
export { logRedactPaths, pathOnly } from './log-redaction.js';
export { startupBanner } from './startup-banner.js';
