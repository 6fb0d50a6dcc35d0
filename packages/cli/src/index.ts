/**
 * `@tessera/cli`: the `tessera` operator console, also callable in-process through `runCli`.
 *
 * @packageDocumentation
 */
export { runCli } from './run-cli.js';
export { processIo, type CliIo } from './cli-io.js';
export { exitCodes, type ExitCode } from './exit-codes.js';
export { CliError } from './cli-error.js';
export type { CliDatabase } from './open-database.js';
