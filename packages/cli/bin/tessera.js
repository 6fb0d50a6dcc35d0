#!/usr/bin/env node
// The `tessera` executable. Runs the build (dist/cli.js). In a workspace checkout (src/ is
// there; the published package ships only bin/ and dist/) it runs the TypeScript sources
// through tsx with the workspace's source condition instead, so `npx tessera` works before any
// build and never runs a stale one. TESSERA_CLI_ENTRY=dist forces the build.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

if (!existsSync(source) || process.env.TESSERA_CLI_ENTRY === 'dist') {
  await import('../dist/cli.js');
} else {
  const tsx = import.meta.resolve('tsx');
  const child = spawn(process.execPath, ['--conditions=@tessera/source', '--import', tsx, source, ...process.argv.slice(2)], { stdio: 'inherit' });
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const forward = (signal) => child.kill(signal);
  for (const signal of signals) process.on(signal, forward);
  child.on('exit', (code, signal) => {
    for (const name of signals) process.off(name, forward);
    // End the way the CLI ended: with its exit code, or by the same signal.
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}
