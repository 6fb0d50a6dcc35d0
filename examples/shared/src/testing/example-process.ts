import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** An example app running as its own process, as a user starts it. */
export interface ExampleProcess {
  /** `http://127.0.0.1:<port>`. */
  readonly base: string;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** The lines of its output that are JSON log records, parsed. */
  logRecords(): Array<Record<string, unknown>>;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `src/main.ts` of the example in `dir` with Node itself (not through a package-manager
 * wrapper, so SIGTERM reaches the app's own handler) and waits for its start-up banner.
 *
 * @throws Error with the output when the process exits or prints no banner within a minute.
 */
export async function startExample(dir: string, env: Readonly<Record<string, string>>): Promise<ExampleProcess> {
  const port = env.PORT ?? String(await freePort());
  const child = spawn(process.execPath, ['--conditions=@tessera/source', '--import', 'tsx', 'src/main.ts'], {
    cwd: dir,
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info', ...env, PORT: port, HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await waitFor(() => output.includes(' running at ') || child.exitCode !== null, 60_000, () => `the example did not start:\n${output}`);
  if (child.exitCode !== null) throw new Error(`the example exited with ${child.exitCode}:\n${output}`);
  return {
    base: `http://127.0.0.1:${port}`,
    output: () => output,
    logRecords: () => output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>),
    stop: () => stop(child, exited),
  };
}

async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<number | null> {
  if (child.exitCode === null) child.kill('SIGTERM');
  return exited;
}

/**
 * Polls `condition` every 100 ms until it holds. A bounded wait for something another process
 * does, never an assertion about time.
 *
 * @throws Error with `describe()` when it does not hold within `timeoutMs`.
 */
export async function waitFor(condition: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(describe());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
