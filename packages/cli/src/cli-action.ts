import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { commandContext, type CommandContext } from './command-context.js';
import type { ExitCode } from './exit-codes.js';

/** What the commands share with `runCli`: the I/O, and the exit code of the action that ran. */
export interface CliRun {
  readonly io: CliIo;
  exitCode: ExitCode;
}

/**
 * Wraps a command's work as a commander action: builds the context from the command's flags,
 * runs the work, and keeps its exit code (0 unless it returns another). Failures propagate to
 * `runCli`, which reports them.
 */
export function cliAction<Options>(run: CliRun, work: (context: CommandContext, options: Options, args: string[]) => Promise<ExitCode | void>) {
  return async (...params: unknown[]): Promise<void> => {
    const command = params[params.length - 1] as Command;
    const options = params[params.length - 2] as Options;
    const args = params.slice(0, -2) as string[];
    run.exitCode = (await work(commandContext(command, run.io), options, args)) ?? 0;
  };
}
