import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodes } from '../src/index.js';
import { runBinary } from './run-binary.js';

const isBuilt = existsSync(join(import.meta.dirname, '..', 'dist', 'cli.js'));

// The published package runs dist/cli.js; the workspace runs the sources. Only `pnpm build`
// makes a dist/, which a fresh clone lacks: then this is skipped (the sources are tested by the
// other files). Help needs no other package built: commands load their work on use.
describe.skipIf(!isBuilt)('the built tessera (dist/cli.js, as published)', () => {
  it('prints its help and version', async () => {
    const help = await runBinary(['export', 'users', '--help'], { env: { TESSERA_CLI_ENTRY: 'dist' } });
    expect(help.exitCode).toBe(exitCodes.ok);
    expect(help.stdout).toContain('Usage: tessera export users [options]');
    const version = await runBinary(['--version'], { env: { TESSERA_CLI_ENTRY: 'dist' } });
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('exits 2 on a usage error', async () => {
    const result = await runBinary(['stats', '--nope'], { env: { TESSERA_CLI_ENTRY: 'dist' } });
    expect(result.exitCode).toBe(exitCodes.usage);
  });
});
