import type { ExitCode } from './exit-codes.js';

/**
 * A failure the CLI itself detected (bad configuration, a refused confirmation, an
 * unreachable database), with the exit code it ends the process with. Its message is meant
 * for the operator and never holds a secret.
 */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    /** The process exit code for this failure. */
    readonly exitCode: ExitCode,
    message: string,
    /** A stable machine-readable code for `--json` output, e.g. `missing_database`. */
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
