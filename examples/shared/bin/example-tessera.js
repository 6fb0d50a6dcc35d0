#!/usr/bin/env node
// The examples' `tessera` script (`pnpm --filter @tessera/example-hono tessera …`): the tessera
// CLI on the database the example app uses, decided the way the app decides it — DATABASE_URL
// when set, otherwise the PGlite database in TESSERA_DATA_DIR (default .data) — with the mail
// it queues going to the app's `mailer` consumer. The defaults are variables, not flags: a
// `--data-dir` flag would win over DATABASE_URL and send the command to the embedded database
// while the app runs on PostgreSQL.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

process.env.TESSERA_DATA_DIR ||= '.data';
process.env.TESSERA_EVENT_CONSUMERS ||= 'mailer';
// The example's own @tessera/cli (a dev dependency of each example), found from its folder.
const cliPackage = createRequire(join(process.cwd(), 'package.json')).resolve('@tessera/cli/package.json');
await import(pathToFileURL(join(cliPackage, '..', 'bin', 'tessera.js')).href);
