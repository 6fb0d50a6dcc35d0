#!/usr/bin/env node
/**
 * The `tessera` executable: runs the CLI on this process's streams and exits with its code.
 *
 * @packageDocumentation
 */
import { processIo } from './cli-io.js';
import { runCli } from './run-cli.js';

// A reader that went away (`tessera export users | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2), processIo());
