import { PassThrough, type Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { exitCodes } from './exit-codes.js';

/**
 * Reads a password piped to stdin: everything up to the end, without one trailing line break
 * (as `echo` adds), so spaces inside and around it are kept.
 */
export async function readSecretFromStdin(stdin: Readable): Promise<string> {
  return (await text(stdin)).replace(/\r?\n$/, '');
}

/**
 * Asks for a new password twice on the terminal, without echo (the prompt goes to stderr).
 *
 * @throws CliError `refused` when the two entries differ.
 */
export async function promptNewPassword(io: CliIo): Promise<string> {
  const { default: password } = await import('@inquirer/password');
  const ask = async (message: string) => {
    // A prompt ends its output when done; stderr must stay open for what follows.
    const output = new PassThrough();
    output.pipe(io.stderr, { end: false });
    try {
      return await password({ message, mask: false }, { input: io.stdin, output });
    } catch (error) {
      if (error instanceof Error && error.name === 'ExitPromptError') throw new CliError(exitCodes.refused, 'Cancelled: nothing was created.', 'cancelled');
      throw error;
    }
  };
  const first = await ask('Password');
  const second = await ask('Password again');
  if (first !== second) throw new CliError(exitCodes.refused, 'The two passwords differ: nothing was created.', 'password_mismatch');
  return first;
}
