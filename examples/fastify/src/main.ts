/**
 * Runs the Fastify example: `pnpm --filter @tessera/example-fastify start`.
 *
 * Environment (12-factor; every variable is optional in development): PORT (3002), HOST
 * (127.0.0.1), APP_URL, DATABASE_URL (PostgreSQL; without it PGlite in TESSERA_DATA_DIR, .data/),
 * SMTP_URL and MAIL_FROM (without SMTP_URL: the dev mailbox), TESSERA_SECRET and
 * TESSERA_SIGNING_KEY (generated into .data/ for development), CORS_ORIGINS, LOG_LEVEL, NODE_ENV.
 */
import { randomUUID } from 'node:crypto';
import { readExampleConfig, startTessera, startupBanner, stopOnSignals } from '@tessera/example-shared';
import { tesseraFrameworkErrors } from '@tessera/fastify';
import Fastify from 'fastify';
import { registerApp } from './app.js';
import { loggerOptions } from './logger.js';

const config = readExampleConfig(3002);
const app = Fastify({
  logger: loggerOptions(config.logLevel),
  // Never taken from the client: a request id in the logs must be ours.
  genReqId: () => randomUUID(),
  // A malformed percent-encoding in the URL answered like every other Tessera error.
  frameworkErrors: tesseraFrameworkErrors,
});
// Tessera logs through the app's own logger.
const runtime = await startTessera(config, app.log, { appName: 'Tessera Fastify example' });
await registerApp(app, config, runtime);

try {
  await app.listen({ port: config.port, host: config.host });
} catch (error) {
  app.log.error({ err: error }, 'the server could not start');
  await app.close();
  process.exit(1);
}
console.log(startupBanner('Tessera Fastify example', config, runtime));

// SIGTERM: app.close() stops accepting connections, answers the requests in flight, then runs
// the onClose hook that stops the outbox dispatcher and closes the mailer and the database.
stopOnSignals(() => app.close(), app.log);
