import type { Command } from 'commander';
import { cliAction, type CliRun } from '../cli-action.js';

/** `tessera migrate latest | up | down | status`: Tessera's own migrations (table `tessera_migrations`). */
export function registerMigrateCommand(program: Command, run: CliRun): void {
  const migrate = program
    .command('migrate')
    .description("run Tessera's migrations (kept in tessera_migrations, apart from the app's own)")
    .addHelpText('after', '\nExamples:\n  $ tessera migrate latest\n  $ tessera migrate status --json');

  migrate
    .command('latest')
    .description('apply every pending migration (creates the PGlite database of --data-dir if missing)')
    .action(cliAction(run, async (context) => (await import('../actions/migrate-actions.js')).migrate(context, 'latest', {})));

  migrate
    .command('up')
    .description('apply the next pending migration')
    .action(cliAction(run, async (context) => (await import('../actions/migrate-actions.js')).migrate(context, 'up', {})));

  migrate
    .command('down')
    .description('undo the last applied migration (undoing 0001-identity drops every user): asks to confirm')
    .option('--force', 'do not ask for confirmation (needed when not at a terminal)')
    .addHelpText('after', '\nExample:\n  $ tessera migrate down --force')
    .action(cliAction<{ force?: boolean }>(run, async (context, options) => (await import('../actions/migrate-actions.js')).migrate(context, 'down', options)));

  migrate
    .command('status')
    .description('list the migrations and when each was applied')
    .action(cliAction(run, async (context) => (await import('../actions/migrate-actions.js')).migrationStatus(context)));
}
