import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import type { CliRun } from './cli-action.js';
import { registerAdminCommand } from './commands/admin-command.js';
import { registerExportCommand } from './commands/export-command.js';
import { registerImportCommand } from './commands/import-command.js';
import { registerMigrateCommand } from './commands/migrate-command.js';
import { registerResetCommand } from './commands/reset-command.js';
import { registerStatsCommand } from './commands/stats-command.js';
import { registerUserCommand } from './commands/user-command.js';
import { addLibraryOptions } from './library-options.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

const footer = `
Exit codes:
  0  success
  1  unexpected failure
  2  usage error (unknown option, missing DATABASE_URL, ...)
  3  not found (no such user)
  4  refused (not allowed, last admin, conflict, invalid input, rejected import rows,
     a destructive command without confirmation)
  5  database unavailable or not migrated

Environment:
  DATABASE_URL              PostgreSQL connection string (or --database-url)
  TESSERA_DATA_DIR          the examples' data folder, PGlite in DIR/db (or --data-dir)
  TESSERA_SECRET            the app's secret: needed when a command queues a mail with a link
  TESSERA_EVENT_CONSUMERS   the app's event consumers, e.g. "mailer" (or --event-consumers)
  TESSERA_PASSWORD_PEPPER   the app's argon2 pepper, if it uses one
  TESSERA_OPERATOR          your name in the audit log (or --operator)
`;

const globalsHint = `
Every command also takes --database-url, --data-dir, --json, --operator,
--event-consumers and the library options: see \`tessera --help\` and docs/cli.md.`;

/**
 * Builds the `tessera` command tree: global options, every command with its help, and
 * commander wired to the run's streams. Commands load their implementation on use, so
 * `--help` stays fast.
 */
export function buildProgram(run: CliRun): Command {
  const program = new Command('tessera')
    .description("Tessera's operator console: migrations, the first admin, user management, CSV import and export, statistics.")
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .helpCommand('help [command]', 'show help for a command')
    .exitOverride()
    .configureOutput({ writeOut: (text) => void run.io.stdout.write(text), writeErr: (text) => void run.io.stderr.write(text) })
    .configureHelp({ sortSubcommands: false })
    .showHelpAfterError('(run with --help for usage)')
    .optionsGroup('Database:')
    .option('--database-url <url>', 'PostgreSQL connection string [env DATABASE_URL]')
    .option('--data-dir <dir>', "the example apps' data folder: the PGlite database in DIR/db, one process at a time (stop the app first) [env TESSERA_DATA_DIR]")
    .optionsGroup('Output and audit:')
    .option('--json', 'machine-readable output: one JSON document (NDJSON for streams), no progress bar')
    .option('--operator <name>', 'your name in the audit log, as operator:cli:<name> (default: your OS user) [env TESSERA_OPERATOR]')
    .option('--event-consumers <list>', 'the app\'s event consumers, so it mails about CLI actions: "mailer", "a;b:user.registered,..." or "none" [env TESSERA_EVENT_CONSUMERS]');
  program.optionsGroup('Library options, as the app sets them:');
  addLibraryOptions(program);
  program.optionsGroup('Options:');
  program.addHelpText('after', footer);
  program.addHelpText('afterAll', ({ command }) => (command === program ? '' : globalsHint));

  registerMigrateCommand(program, run);
  registerAdminCommand(program, run);
  registerUserCommand(program, run);
  registerImportCommand(program, run);
  registerExportCommand(program, run);
  registerResetCommand(program, run);
  registerStatsCommand(program, run);
  return program;
}
