import type { Command } from 'commander';
import { cliAction, type CliRun } from '../cli-action.js';

/** `tessera reset`: drops every Tessera table, the migration tables included. */
export function registerResetCommand(program: Command, run: CliRun): void {
  program
    .command('reset')
    .description('drop every Tessera table (tessera_*), the migration tables included: every user is lost')
    .option('--force', 'do not ask for confirmation (needed when not at a terminal)')
    .addHelpText(
      'after',
      `
Without --force, asks you to type the database name (or "reset" for PGlite) at a terminal,
and refuses (exit 4) when there is no terminal to ask on. The app's own tables and the
pg_trgm extension are left alone. Run \`tessera migrate latest\` to start again.

Examples:
  $ tessera reset
  This will drop 8 Tessera tables from postgres://app:***@localhost/app.
  Type "app" to confirm: app
  $ tessera reset --force --json`,
    )
    .action(cliAction<{ force?: boolean }>(run, async (context, options) => (await import('../actions/reset-actions.js')).resetDatabase(context, options)));
}
