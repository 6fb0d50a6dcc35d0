import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const exampleDir = fileURLToPath(new URL('../../examples/hono/', import.meta.url));
const cliBin = fileURLToPath(new URL('../../packages/cli/bin/tessera.js', import.meta.url));

/** Where the example keeps its data: PostgreSQL at `DATABASE_URL`, or PGlite in a folder. */
export type BenchDatabase = { readonly kind: 'postgres'; readonly url: string } | { readonly kind: 'pglite'; readonly dataDir: string };

/** CPU time in ms: every thread of the server, and its main (JavaScript) thread alone. */
export interface ServerCpu {
  readonly allThreads: number;
  readonly mainThread: number;
}

/** The Hono example, running as a child process. */
export interface ExampleServer {
  readonly origin: string;
  /** CPU time (user + system) the server process has used, in ms; `null` without /proc. */
  cpuMillis(): Promise<ServerCpu | null>;
  /** Sends SIGTERM and waits for the process to end. */
  stop(): Promise<void>;
}

/**
 * Starts the Hono example exactly as `pnpm --filter @tessera/example-hono start` does (tsx with
 * the workspace's source condition), with `BENCH=1` (the `/bench/*` routes),
 * `TESSERA_RATE_LIMITS=off`, `LOG_LEVEL=warn` (no log line per request) and the bench's own
 * secrets, and waits until it answers.
 */
export async function startExampleServer(options: { port: number; database: BenchDatabase; secret: string; signingKey: string }): Promise<ExampleServer> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(options.port),
    HOST: '127.0.0.1',
    BENCH: '1',
    TESSERA_RATE_LIMITS: 'off',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
    TESSERA_SECRET: options.secret,
    TESSERA_SIGNING_KEY: options.signingKey,
    ...databaseEnv(options.database),
  };
  delete env.SMTP_URL;
  const child = spawn(process.execPath, ['--conditions=@tessera/source', '--import', 'tsx', 'src/main.ts'], { cwd: exampleDir, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const origin = `http://127.0.0.1:${options.port}`;
  await waitUntilReady(origin, child, () => stderr);
  return {
    origin,
    cpuMillis: async () => {
      if (child.pid === undefined) return null;
      const [allThreads, mainThread] = await Promise.all([cpuMillisOf(`/proc/${child.pid}/stat`), cpuMillisOf(`/proc/${child.pid}/task/${child.pid}/stat`)]);
      return allThreads === null || mainThread === null ? null : { allThreads, mainThread };
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Runs the `tessera` CLI against the bench database (before the server starts: PGlite allows
 * one process at a time) and fails with its output when it fails.
 */
export async function runTesseraCli(args: readonly string[], database: BenchDatabase): Promise<string> {
  const location = database.kind === 'postgres' ? ['--database-url', database.url] : ['--data-dir', database.dataDir];
  const child = spawn(process.execPath, [cliBin, ...args, ...location], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`tessera ${args.join(' ')} failed (exit ${code}):\n${output}`);
  return output;
}

/**
 * The CPU time of a process (all its threads: `/proc/<pid>/stat`) or of one thread
 * (`/proc/<pid>/task/<tid>/stat`), in ms; `null` where there is no /proc.
 */
async function cpuMillisOf(statPath: string): Promise<number | null> {
  try {
    return cpuMillisFromStat(await readFile(statPath, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Fields 14 and 15 of a `stat` file, after the parenthesised command name: utime, stime in
 * ticks; with `withEndedChildren`, also 16 and 17 (cutime, cstime: the children it has reaped).
 */
function cpuMillisFromStat(stat: string, withEndedChildren = false): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]) + (withEndedChildren ? Number(fields[13]) + Number(fields[14]) : 0);
  return (ticks * 1000) / clockTicksPerSecond;
}

/**
 * The CPU time of every PostgreSQL process on this machine (the server, its backends, the WAL
 * writer...), in ms; `null` without /proc. Meaningful when the database runs here, as in the bench.
 * A backend that ends (a pool closing an idle connection) leaves its time with the postmaster,
 * which reaps it: counting reaped children keeps the sum from going backwards.
 */
export async function postgresCpuMillis(): Promise<number | null> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return null;
  }
  let total = 0;
  for (const pid of entries.filter((entry) => /^\d+$/.test(entry))) {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === 'postgres') total += cpuMillisFromStat(stat, true);
    } catch {
      // The process ended meanwhile.
    }
  }
  return total;
}

// USER_HZ: 100 on every Linux architecture Node supports.
const clockTicksPerSecond = 100;

function databaseEnv(database: BenchDatabase): NodeJS.ProcessEnv {
  return database.kind === 'postgres' ? { DATABASE_URL: database.url } : { DATABASE_URL: '', TESSERA_DATA_DIR: database.dataDir };
}

async function waitUntilReady(origin: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the example server exited (${child.exitCode}):\n${stderr()}`);
    try {
      const response = await fetch(`${origin}/bench/bare`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGTERM');
  throw new Error(`the example server did not answer within 60 s:\n${stderr()}`);
}
