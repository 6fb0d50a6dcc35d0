import { Option, type Command } from 'commander';
import { cliAction, type CliRun } from '../cli-action.js';
import { parseWholeNumber } from '../library-options.js';

/** Options of `tessera import users`. */
export interface ImportUsersOptions {
  readonly map?: string[];
  readonly delimiter?: string;
  readonly dryRun?: boolean;
  readonly onExisting?: 'skip' | 'update' | 'reject';
  readonly verified?: boolean;
  readonly invite?: boolean;
  readonly temporaryPasswords?: string;
  readonly defaultRole?: 'ADMIN' | 'MANAGER' | 'AUTHENTICATED';
  readonly rejects?: string;
  readonly allowRejects?: boolean;
  readonly concurrency?: number;
}

/** `tessera import users FILE.csv`: validated, idempotent, resumable CSV import. */
export function registerImportCommand(program: Command, run: CliRun): void {
  const importing = program.command('import').description('import data');

  importing
    .command('users')
    .description('import users from a CSV file: every row validated by the services, with line numbers in the report')
    .argument('<file>', 'a CSV file (UTF-8, a byte-order mark is fine) with a header row')
    .option('--map <pairs>', 'map headers to fields: "Email Address=email,First Name=firstName" (repeatable)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--delimiter <char>', 'the field separator (default ",")')
    .option('--dry-run', 'validate every row (also against the database) and write nothing to it')
    .addOption(new Option('--on-existing <action>', 'an address that has an account already: skip it, update it from the row, or reject the row').choices(['skip', 'update', 'reject']).default('skip'))
    .option('--verified', 'new users without an emailVerified cell count as verified: no verification mail')
    .option('--invite', 'new users without a password get a "set your password" mail (they count as verified once they use it)')
    .option('--temporary-passwords <file>', 'new users without a password get a random one, written to FILE (mode 0600) as email,password; argon2 costs ~10 ms a row')
    .addOption(new Option('--default-role <role>', 'the role of rows without a role cell').choices(['AUTHENTICATED', 'MANAGER', 'ADMIN']).default('AUTHENTICATED'))
    .option('--rejects <file>', 'write the rejected rows (line, reason, then the row) as CSV to FILE')
    .option('--allow-rejects', 'exit 0 even when rows were rejected (default: exit 4)')
    .option('--concurrency <n>', 'rows written side by side (default 8 on PostgreSQL, 1 on PGlite)', parseWholeNumber)
    .addHelpText(
      'after',
      `
Columns (matched without case, spaces, "_" or "-"; others are ignored with a warning):
  email (required), username, firstName / first_name, lastName / last_name, role,
  emailVerified (true/false, yes/no, 1/0), password, bio, location, pictureUrl,
  linkedinUrl, githubUrl

New users get no password unless the row has one, or --temporary-passwords or --invite
is given: they set one through a password reset. Without --verified (or an
emailVerified cell), they are sent the verification mail: TESSERA_EVENT_CONSUMERS and
TESSERA_SECRET must then be the app's, so the app delivers it.

Re-running an import is safe: addresses that have an account are skipped (or updated with
--on-existing update; passwords are never changed).

Examples:
  $ tessera import users people.csv --dry-run --rejects rejects.csv
  $ tessera import users people.csv --verified --map "E-Mail=email,Vorname=firstName"
  $ TESSERA_EVENT_CONSUMERS=mailer tessera import users staff.csv --invite --default-role MANAGER
  $ tessera import users people.csv --verified --temporary-passwords passwords.csv --json`,
    )
    .action(
      cliAction<ImportUsersOptions>(run, async (context, options, [file = '']) => (await import('../actions/import-actions.js')).importUsersFromFile(context, file, options)),
    );
}
