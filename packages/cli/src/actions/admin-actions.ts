import { CliError } from '../cli-error.js';
import type { CommandContext } from '../command-context.js';
import type { AdminCreateOptions } from '../commands/admin-command.js';
import { exitCodes } from '../exit-codes.js';
import { promptNewPassword, readSecretFromStdin } from '../read-password.js';
import { withSession } from '../with-session.js';

/**
 * Creates an ADMIN through `tessera.api.createAdmin` (verified address, audited, takes the
 * bootstrap slot). The password comes from stdin or a prompt without echo; it is never printed.
 *
 * @throws CliError `usage` when there is neither `--password-stdin` nor a terminal to prompt on.
 * @throws TesseraError `validation_failed`, `weak_password`, `email_taken` (exit 4).
 */
export async function createAdmin(context: CommandContext, options: AdminCreateOptions): Promise<void> {
  const password = options.passwordStdin
    ? await readSecretFromStdin(context.io.stdin)
    : context.io.isTTY
      ? await promptNewPassword(context.io)
      : failNoTerminal();
  await withSession(context, { queuesSecretMail: false }, async ({ tessera, output }) => {
    const user = await tessera.api.createAdmin({ email: options.email, password });
    output.result(user, () => `Created ADMIN ${user.email} (id ${user.id}, username ${user.username}).`);
  });
}

function failNoTerminal(): never {
  throw new CliError(exitCodes.usage, 'There is no terminal to prompt for the password on: pipe it in and pass --password-stdin.', 'no_terminal');
}
