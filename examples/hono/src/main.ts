/**
 * Runs the example: `pnpm start` (or `npm start` at the repository root).
 *
 * Environment (12-factor): PORT (3000), APP_URL (http://localhost:PORT), DATABASE_URL (a
 * PostgreSQL URL; without it, PGlite persisted to .data/), TESSERA_SECRET and
 * TESSERA_SIGNING_KEY (generated and kept in .data/ for development), CORS_ORIGINS
 * (comma-separated).
 */
import { serve } from '@hono/node-server';
import { createTessera, type Logger, type TesseraStore } from '@tessera/core';
import { argon2idHasher } from '@tessera/core/argon2';
import { migrateToLatest } from '@tessera/kysely';
import { openPgliteStore } from '@tessera/kysely/pglite';
import { createPostgresStore } from '@tessera/kysely/postgres';
import { resolve } from 'node:path';
import { createApp } from './app.js';
import { devMailbox } from './dev-mailbox.js';
import { loadSecrets } from './dev-secrets.js';

const port = Number(process.env.PORT ?? 3000);
const appUrl = (process.env.APP_URL ?? `http://localhost:${port}`).replace(/\/$/, '');
const dataDir = resolve(process.env.TESSERA_DATA_DIR ?? '.data');

/** Structured JSON logs on stdout, one object per line. */
const logger: Logger = {
  debug: () => undefined,
  info: (fields, message) => console.log(JSON.stringify({ level: 'info', time: new Date().toISOString(), message, ...fields })),
  warn: (fields, message) => console.log(JSON.stringify({ level: 'warn', time: new Date().toISOString(), message, ...fields })),
  error: (fields, message) => console.log(JSON.stringify({ level: 'error', time: new Date().toISOString(), message, ...fields })),
};

async function openStore(): Promise<{ store: TesseraStore; close: () => Promise<void>; description: string }> {
  if (process.env.DATABASE_URL) {
    const postgres = createPostgresStore({ connectionString: process.env.DATABASE_URL, logger });
    await migrateToLatest(postgres.db);
    return { store: postgres.store, close: postgres.close, description: 'PostgreSQL (DATABASE_URL)' };
  }
  const pglite = await openPgliteStore({ dataDir: `${dataDir}/db` });
  return { store: pglite.store, close: pglite.close, description: `PGlite at ${dataDir}/db` };
}

const database = await openStore();
const secrets = await loadSecrets(dataDir);
// Development mail is shown to the developer on the terminal (and at /dev/mail), apart from the
// logs: links carry tokens, and logs never do.
const mailbox = devMailbox(appUrl, (line) => console.log(line));
const tessera = createTessera({
  store: database.store,
  passwordHasher: argon2idHasher(),
  secret: secrets.secret,
  appName: 'Tessera example',
  tokens: { keys: [secrets.signingKey] },
  events: { consumers: [mailbox.consumer] },
  http: { verifyEmailRedirectUrl: `${appUrl}/dev/mail` },
  logger,
});
tessera.outbox.start();

const app = createApp({
  tessera,
  devMails: mailbox.mails,
  corsOrigins: (process.env.CORS_ORIGINS ?? '').split(',').filter(Boolean),
});
// One structured line per request: method, path (never the query: it can hold a token), status, time.
const server = serve({
  port,
  fetch: async (request, env) => {
    const started = performance.now();
    const response = await app.fetch(request, env);
    logger.info({ method: request.method, path: new URL(request.url).pathname, status: response.status, ms: Math.round(performance.now() - started) }, 'request');
    return response;
  },
});

console.log(`
  Tessera example running at ${appUrl}
    API docs (try it out):  ${appUrl}/docs
    dev mailbox:            ${appUrl}/dev/mail
    database:               ${database.description}
`);

let shuttingDown = false;
async function shutDown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, 'shutting down: finishing requests in flight');
  // Stop accepting connections and wait for the requests in flight, then the outbox, then the database.
  const closed = new Promise<void>((done) => server.close(() => done()));
  if ('closeIdleConnections' in server) server.closeIdleConnections();
  await closed;
  await tessera.close();
  await database.close();
  logger.info({}, 'stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutDown('SIGTERM'));
process.on('SIGINT', () => void shutDown('SIGINT'));
