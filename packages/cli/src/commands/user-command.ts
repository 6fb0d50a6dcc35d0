import { InvalidArgumentError, type Command } from 'commander';
import { cliAction, type CliRun } from '../cli-action.js';
import { parseWholeNumber } from '../library-options.js';
import { addUserFilterOptions, filterRoles, type UserFilterFlags } from '../user-filter-options.js';

/** Options of `tessera user find`. */
export interface UserFindOptions extends UserFilterFlags {
  readonly limit?: number;
  readonly page?: number;
  readonly cursor?: string;
  readonly total?: boolean;
}

const userArgument = 'user';
const userArgumentHelp = 'the user: id, email address or username';
const statusChanges = [
  { name: 'lock', description: 'lock the account until an admin unlocks it (ends its sessions)' },
  { name: 'unlock', description: 'unlock the account (also lifts a lockout after failed logins)' },
  { name: 'suspend', description: 'suspend the account (ends its sessions)' },
  { name: 'reactivate', description: 'reactivate a suspended account' },
] as const;

/**
 * `tessera user find | show | set-role | lock | unlock | suspend | reactivate | delete`: the
 * API's user administration, as an operator (ADMIN rights, audited as `operator:cli:<name>`).
 */
export function registerUserCommand(program: Command, run: CliRun): void {
  const user = program
    .command('user')
    .description("find and manage users through the API's services and permission rules; each change is audited with you as the actor")
    .addHelpText('after', `\nA <${userArgument}> is an id, an email address or a username.`);

  addUserFilterOptions(user.command('find').description('list users matching a search and filters, newest first'), { withSearchFlag: false })
    .argument('[search]', 'part of the email, username, first or last name (case-insensitive)')
    .option('--limit <n>', 'users per page, 1 to 100 (default 20)', parseWholeNumber)
    .option('--page <n>', 'page number (for small result sets; default: cursor paging)', parseWholeNumber)
    .option('--cursor <cursor>', 'continue from a cursor printed by a previous page')
    .option('--total', 'also count every matching user')
    .addHelpText('after', '\nExamples:\n  $ tessera user find ada\n  $ tessera user find --role ADMIN,MANAGER --status active --total\n  $ tessera user find --verified false --created-from 2026-01-01 --json')
    .action(
      cliAction<UserFindOptions>(run, async (context, options, [search]) =>
        (await import('../actions/user-actions.js')).findUsers(context, { ...options, ...(search !== undefined && { search }) }),
      ),
    );

  user
    .command('show')
    .description('show one user, with sign-in state')
    .argument(`<${userArgument}>`, userArgumentHelp)
    .addHelpText('after', '\nExamples:\n  $ tessera user show ada@example.com\n  $ tessera user show 0193a8c2-…  --json')
    .action(cliAction(run, async (context, _options, [reference = '']) => (await import('../actions/user-actions.js')).showUser(context, reference)));

  user
    .command('set-role')
    .description("change a user's role (ends their sessions; the last admin cannot be demoted)")
    .argument(`<${userArgument}>`, userArgumentHelp)
    .argument('<role>', filterRoles.join(' | '), parseRole)
    .addHelpText('after', '\nExample:\n  $ tessera user set-role ada@example.com MANAGER')
    .action(
      cliAction(run, async (context, _options, [reference = '', role = '']) =>
        (await import('../actions/user-actions.js')).setRole(context, reference, role as (typeof filterRoles)[number]),
      ),
    );

  for (const change of statusChanges) {
    user
      .command(change.name)
      .description(change.description)
      .argument(`<${userArgument}>`, userArgumentHelp)
      .addHelpText('after', `\nExample:\n  $ tessera user ${change.name} ada@example.com`)
      .action(cliAction(run, async (context, _options, [reference = '']) => (await import('../actions/user-actions.js')).changeStatus(context, reference, change.name)));
  }

  user
    .command('delete')
    .description('delete a user and erase their personal data from the audit trail (asks to confirm)')
    .argument(`<${userArgument}>`, userArgumentHelp)
    .option('--force', 'do not ask for confirmation (needed when not at a terminal)')
    .addHelpText('after', '\nAt a terminal, asks you to type the email address to confirm.\n\nExample:\n  $ tessera user delete ada@example.com --force')
    .action(cliAction<{ force?: boolean }>(run, async (context, options, [reference = '']) => (await import('../actions/user-actions.js')).deleteUser(context, reference, options)));
}

function parseRole(text: string): string {
  const role = text.toUpperCase();
  if (!(filterRoles as readonly string[]).includes(role)) throw new InvalidArgumentError(`must be one of ${filterRoles.join(', ')}.`);
  return role;
}
