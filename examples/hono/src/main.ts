/**
 * Runs the Hono example: `pnpm --filter @tessera/example-hono start` (or `npm start` at the
 * repository root).
 *
 * Environment (12-factor; every variable is optional in development): PORT (3000), HOST
 * (127.0.0.1), APP_URL, DATABASE_URL (PostgreSQL; without it PGlite in TESSERA_DATA_DIR, .data/),
 * SMTP_URL and MAIL_FROM (without SMTP_URL: the dev mailbox), TESSERA_SECRET and
 * TESSERA_SIGNING_KEY (generated into .data/ for development), CORS_ORIGINS, LOG_LEVEL, NODE_ENV;
 * for `pnpm bench:http` only: BENCH=1 (adds /bench/bare and /bench/me) and TESSERA_RATE_LIMITS=off.
 */
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { closeHttpServer, readExampleConfig, startTessera, startupBanner, stopOnSignals } from '@tessera/example-shared';
import { createApp } from './app.js';
import { createJsonLogger } from './json-logger.js';

const config = readExampleConfig(3000);
const logger = createJsonLogger(config.logLevel);
const runtime = await startTessera(config, logger, { appName: 'Tessera Hono example' });
const app = createApp(config, runtime, logger, { benchRoutes: process.env.BENCH === '1' });

const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => {
  console.log(startupBanner('Tessera Hono example', config, runtime));
}) as Server;
server.on('error', (error) => {
  logger.error({ err: error }, 'the server could not start');
  void runtime.close().finally(() => process.exit(1));
});

// SIGTERM: stop accepting connections, finish the requests in flight, stop the outbox
// dispatcher, close the mailer and the database, exit 0.
stopOnSignals(async () => {
  await closeHttpServer(server);
  await runtime.close();
}, logger);
