import { CommanderError } from 'commander';
import { buildProgram } from './build-program.js';
import type { CliRun } from './cli-action.js';
import type { CliIo } from './cli-io.js';
import { exitCodes, type ExitCode } from './exit-codes.js';

/**
 * Runs `tessera` with the arguments after the program name and returns the exit code instead
 * of exiting, so it can run in-process (tests, scripts). Results go to `io.stdout`; prompts,
 * progress, warnings and errors to `io.stderr` (errors as `{"error": {...}}` with `--json`).
 *
 * @param argv - the arguments, e.g. `['user', 'show', 'ada@example.com', '--json']`.
 * @param io - the streams, environment and terminal flag (`processIo()` for the real process).
 * @returns 0 on success; 1 unexpected failure; 2 usage; 3 not found; 4 refused; 5 database unavailable.
 *
 * @example
 * ```ts
 * import { processIo, runCli } from '@tessera/cli';
 * process.exitCode = await runCli(['stats', '--json'], processIo());
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const run: CliRun = { io, exitCode: exitCodes.ok };
  try {
    await buildProgram(run).parseAsync([...argv], { from: 'user' });
    return run.exitCode;
  } catch (error) {
    // Commander has printed its own message (or the help) already.
    if (error instanceof CommanderError) return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    const { describeFailure } = await import('./describe-failure.js');
    const failure = describeFailure(error);
    if (argv.includes('--json')) {
      io.stderr.write(`${JSON.stringify({ error: failure })}\n`);
    } else {
      io.stderr.write(`error: ${failure.message}\n`);
      if (failure.exitCode === exitCodes.failure && io.env.TESSERA_DEBUG && error instanceof Error) io.stderr.write(`${error.stack ?? ''}\n`);
    }
    return failure.exitCode;
  }
}
