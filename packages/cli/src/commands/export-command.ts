import { Option, type Command } from 'commander';
import { cliAction, type CliRun } from '../cli-action.js';
import { addUserFilterOptions, type UserFilterFlags } from '../user-filter-options.js';

/** Options of `tessera export users`. */
export interface ExportUsersOptions extends UserFilterFlags {
  readonly format?: 'csv' | 'json' | 'ndjson';
  readonly output?: string;
}

/** `tessera export users`: a filtered list of users as CSV or JSON, streamed to a file or stdout. */
export function registerExportCommand(program: Command, run: CliRun): void {
  const exporting = program.command('export').description('export data');

  addUserFilterOptions(exporting.command('users').description('stream the users matching the filters as CSV (the API export\'s columns) or JSON, oldest first'), { withSearchFlag: true })
    .addOption(new Option('--format <format>', 'csv, json (an array) or ndjson (one user per line); default: from the --output extension, else csv (json with --json on stdout)').choices(['csv', 'json', 'ndjson']))
    .option('-o, --output <file>', 'write to this file (created with mode 0600: it holds personal data) instead of stdout')
    .addHelpText(
      'after',
      `
CSV columns: id, email, username, role, status, emailVerified, proStatus, firstName,
lastName, location, createdAt, lastLoginAt. Cells a spreadsheet would read as a formula
are prefixed with ' (as in the HTTP export).

Examples:
  $ tessera export users --output users.csv
  $ tessera export users --role MANAGER --status active --format ndjson | jq .email
  $ tessera export users --verified false --created-from 2026-01-01 -o unverified.csv --json`,
    )
    .action(cliAction<ExportUsersOptions>(run, async (context, options) => (await import('../actions/export-actions.js')).exportUsers(context, options)));
}
