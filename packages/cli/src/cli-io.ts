import type { Readable, Writable } from 'node:stream';
import type { CliDatabase } from './open-database.js';

/**
 * Everything a command touches outside itself, so a test can run `tessera` in-process: the
 * streams, the environment, whether a person sits at a terminal, and (optionally) the database.
 */
export interface CliIo {
  readonly stdin: Readable;
  /** Data: tables, JSON documents, exported CSV. */
  readonly stdout: Writable;
  /** Everything else: prompts, progress, warnings and errors. */
  readonly stderr: Writable;
  /** The environment `DATABASE_URL`, `TESSERA_SECRET`, ... are read from. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether a person is at a terminal: prompts and progress bars are shown only then. */
  readonly isTTY: boolean;
  /**
   * Opens the database instead of `DATABASE_URL` / `--data-dir` (tests pass pg-mem). The CLI
   * closes it when the command ends.
   */
  readonly openDatabase?: () => Promise<CliDatabase>;
}

/** The real process: its streams and environment; interactive when stdin and stderr are terminals. */
export function processIo(): CliIo {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    isTTY: Boolean(process.stdin.isTTY && process.stderr.isTTY),
  };
}
