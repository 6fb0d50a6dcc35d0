import { spawn } from 'node:child_process';

/**
 * Makes a user MANAGER the way the getting-started guides tell an operator to: the example's
 * own `tessera` script (`pnpm tessera user set-role <user> MANAGER` in its folder) with the
 * app's environment, so the change reaches the database the app uses — PostgreSQL at
 * `DATABASE_URL`, or PGlite in `TESSERA_DATA_DIR`. PGlite serves one process at a time: stop the
 * example first.
 *
 * @param dir - the example's folder.
 * @param env - the variables the app ran with.
 * @throws Error with the command's output when it does not succeed.
 */
export async function promoteWithExampleCli(dir: string, env: Readonly<Record<string, string>>, user: string): Promise<void> {
  const child = spawn('pnpm', ['--silent', 'run', 'tessera', 'user', 'set-role', user, 'MANAGER'], {
    cwd: dir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    shell: process.platform === 'win32',
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => child.once('error', reject).once('exit', resolve));
  if (code !== 0) throw new Error(`pnpm tessera user set-role ${user} MANAGER exited with ${code}:\n${output}`);
}
