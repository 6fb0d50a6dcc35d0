import { CliError } from './cli-error.js';
import type { CommandContext } from './command-context.js';
import { exitCodes } from './exit-codes.js';
import { readLine } from './read-line.js';

/** What a destructive command asks to confirm. */
export interface Confirmation {
  /** `--force` was given: no question. */
  readonly force: boolean;
  /** What will happen, after "This will ...". */
  readonly what: string;
  /** What the operator must type, e.g. the database name. */
  readonly answer: string;
}

/**
 * Lets a destructive command go ahead only with `--force`, or when the operator at a terminal
 * types the expected answer. Without a terminal there is nobody to ask, so it refuses.
 *
 * @throws CliError `refused` when not confirmed.
 */
export async function confirmDestructive(context: CommandContext, confirmation: Confirmation): Promise<void> {
  if (confirmation.force) return;
  if (!context.io.isTTY) {
    throw new CliError(exitCodes.refused, `Refusing to ${confirmation.what} without confirmation: pass --force (there is no terminal to ask on).`, 'not_confirmed');
  }
  const typed = await readLine(context.io.stdin, context.io.stderr, `This will ${confirmation.what}.\nType "${confirmation.answer}" to confirm: `);
  if (typed.trim() !== confirmation.answer) {
    throw new CliError(exitCodes.refused, 'Not confirmed: nothing was changed.', 'not_confirmed');
  }
}
