import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { readSettings, type CliSettings, type GlobalFlags } from './read-settings.js';
import { Output } from './output.js';

/** What every command's action starts from: the I/O, the settings and the output. */
export interface CommandContext {
  readonly io: CliIo;
  readonly settings: CliSettings;
  readonly output: Output;
}

/**
 * The context of the command being run, from its flags and its parents' (global) flags.
 *
 * @throws CliError `usage` for contradictory or malformed settings.
 */
export function commandContext(command: Command, io: CliIo): CommandContext {
  const settings = readSettings(command.optsWithGlobals<GlobalFlags>(), io.env, process.cwd());
  return { io, settings, output: new Output(io, settings.json) };
}
