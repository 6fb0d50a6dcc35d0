import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** Where the `tessera` executable is (as `npx tessera` finds it through the package's `bin`). */
export const binary = join(import.meta.dirname, '..', 'bin', 'tessera.js');

/** What a run of the executable left behind. */
export interface ProcessResult {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `node bin/tessera.js <args>` as a user would: a process of its own, with the given
 * environment added to this one's, stdin piped (and closed), no terminal.
 */
export async function runBinary(args: readonly string[], options: { env?: Readonly<Record<string, string>>; stdin?: string; cwd?: string } = {}): Promise<ProcessResult> {
  const child = spawn(process.execPath, [binary, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, TESSERA_CLI_ENTRY: '', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(options.stdin ?? '');
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  return { exitCode, stdout, stderr };
}
