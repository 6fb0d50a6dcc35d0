import { randomInt } from 'node:crypto';
import { openFileSink, type FileSink } from '../open-file-sink.js';
import { csvLine } from './csv-line.js';

// No look-alikes (0/O, 1/l/I), so a password read aloud or off paper is typed right.
const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * A random temporary password: at least 20 characters from a 56-letter alphabet (over 116
 * bits), longer when the policy's minimum is higher. It never contains one of `avoid` (the
 * words the password policy refuses in a password: the user's email local part, username, the
 * app's name), so the policy cannot refuse it; such a draw is rare, and simply drawn again.
 */
export function generateTemporaryPassword(minLength: number, avoid: readonly string[] = []): string {
  const words = avoid.map((word) => word.toLowerCase()).filter((word) => word.length >= 4);
  for (;;) {
    let password = '';
    for (let index = 0; index < Math.max(20, minLength); index += 1) password += alphabet[randomInt(alphabet.length)];
    const folded = password.toLowerCase();
    if (!words.some((word) => folded.includes(word))) return password;
  }
}

/**
 * The temporary-passwords file: `email,password` lines, created with mode 0600 and never over
 * an existing file (a second run must not destroy the passwords of the first).
 */
export class TemporaryPasswordsFile {
  readonly #sink: FileSink;

  private constructor(sink: FileSink) {
    this.#sink = sink;
  }

  /** @throws CliError `usage` when the file exists already or cannot be created. */
  static async create(path: string): Promise<TemporaryPasswordsFile> {
    const sink = await openFileSink(path, { exclusive: true });
    await sink.write(csvLine(['email', 'password']));
    return new TemporaryPasswordsFile(sink);
  }

  /** Appends the password of a user just created. */
  async add(email: string, password: string): Promise<void> {
    await this.#sink.write(csvLine([email, password]));
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    await this.#sink.close();
  }
}
