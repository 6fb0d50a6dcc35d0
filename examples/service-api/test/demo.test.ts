import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const exampleDir = join(import.meta.dirname, '..');

describe('the service-API demo (the README’s first command)', () => {
  const dataDirs: string[] = [];
  afterAll(() => Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  async function runDemo(dataDir: string): Promise<string> {
    const { stdout } = await run('pnpm', ['exec', 'tsx', '--conditions=@tessera/source', 'src/main.ts'], {
      cwd: exampleDir,
      env: { ...process.env, TESSERA_DATA_DIR: dataDir, NO_COLOR: '1' },
      timeout: 60_000,
    });
    return stdout;
  }

  it('registers, verifies, logs in and refreshes on PGlite, and the data survives a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tessera-demo-'));
    dataDirs.push(dataDir);
    const first = await runDemo(dataDir);
    expect(first).toMatch(/users already stored\s+0/);
    expect(first).toMatch(/error code\s+email_not_verified/);
    expect(first).toMatch(/link\s+http:\/\/localhost:3000\/verify-email\?token=[A-Za-z0-9_-]{43}/);
    expect(first).toMatch(/emailVerified\s+true/);
    expect(first).toMatch(/may list users\?\s+false/);
    expect(first).toMatch(/reuse\s+invalid_refresh_token/);
    expect(first).toMatch(/after logout\s+invalid_refresh_token/);
    const second = await runDemo(dataDir);
    expect(second).toMatch(/users already stored\s+1/);
  }, 120_000);
});
