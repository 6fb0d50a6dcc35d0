import type { Command } from 'commander';
import { cliAction, type CliRun } from '../cli-action.js';

/** Options of `tessera admin create`. */
export interface AdminCreateOptions {
  readonly email: string;
  readonly passwordStdin?: boolean;
}

/** `tessera admin create`: the production way to create the first (or another) ADMIN. */
export function registerAdminCommand(program: Command, run: CliRun): void {
  const admin = program.command('admin').description('administrators');

  admin
    .command('create')
    .description('create an ADMIN with a verified address; the password is prompted for without echo, or read from stdin')
    .requiredOption('--email <email>', "the admin's email address")
    .option('--password-stdin', 'read the password from stdin (one line) instead of prompting')
    .addHelpText(
      'after',
      `
The password must meet the password policy (--password-min-length, default 15).

Examples:
  $ tessera admin create --email ada@example.com
  Password: ****
  $ printf '%s' "$ADMIN_PASSWORD" | tessera admin create --email ada@example.com --password-stdin --json`,
    )
    .action(cliAction<AdminCreateOptions>(run, async (context, options) => (await import('../actions/admin-actions.js')).createAdmin(context, options)));
}
