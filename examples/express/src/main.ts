/**
 * Runs the Express example: `pnpm --filter @tessera/example-express start`.
 *
 * Environment (12-factor; every variable is optional in development): PORT (3001), HOST
 * (127.0.0.1), APP_URL, DATABASE_URL (PostgreSQL; without it PGlite in TESSERA_DATA_DIR, .data/),
 * SMTP_URL and MAIL_FROM (without SMTP_URL: the dev mailbox), TESSERA_SECRET and
 * TESSERA_SIGNING_KEY (generated into .data/ for development), CORS_ORIGINS, LOG_LEVEL, NODE_ENV.
 */
import { closeHttpServer, readExampleConfig, startTessera, startupBanner, stopOnSignals } from '@tessera/example-shared';
import { createApp } from './app.js';
import { createLogger } from './logger.js';

const config = readExampleConfig(3001);
const logger = createLogger(config.logLevel);
const runtime = await startTessera(config, logger, { appName: 'Tessera Express example' });
const app = createApp(config, runtime, logger);

const server = app.listen(config.port, config.host, () => {
  console.log(startupBanner('Tessera Express example', config, runtime));
});
server.on('error', (error) => {
  logger.error({ err: error.message }, 'the server could not start');
  void runtime.close().finally(() => process.exit(1));
});

// SIGTERM: stop accepting connections, finish the requests in flight, stop the outbox
// dispatcher, close the mailer and the database, exit 0.
stopOnSignals(
  async () => {
    await closeHttpServer(server);
    await runtime.close();
  },
  logger,
  () => logger.flush(),
);
