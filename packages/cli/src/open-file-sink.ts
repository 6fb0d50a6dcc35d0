import { once } from 'node:events';
import { open } from 'node:fs/promises';
import { CliError } from './cli-error.js';
import { exitCodes } from './exit-codes.js';

/** Text written out in order, waiting while the disk is behind. */
export interface FileSink {
  write(chunk: string): Promise<void>;
  /** Flushes and closes the file. */
  close(): Promise<void>;
}

/**
 * Creates (or truncates) a file with mode 0600, since what the CLI writes holds personal data
 * or passwords. With `exclusive`, an existing file is never overwritten.
 *
 * @throws CliError `usage` when the file cannot be created (or exists, with `exclusive`).
 */
export async function openFileSink(path: string, options: { exclusive?: boolean } = {}): Promise<FileSink> {
  let handle;
  try {
    handle = await open(path, options.exclusive ? 'wx' : 'w', 0o600);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'EEXIST' ? 'it exists already (it is never overwritten)' : (error as Error).message;
    throw new CliError(exitCodes.usage, `Cannot create ${path}: ${reason}`, 'unwritable_file', { cause: error });
  }
  const file = handle.createWriteStream();
  return {
    write: async (chunk) => {
      if (!file.write(chunk)) await once(file, 'drain');
    },
    close: async () => {
      file.end();
      await once(file, 'close');
    },
  };
}
