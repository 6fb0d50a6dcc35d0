import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { overNetwork, type HttpTarget } from './http-calls.js';

const reliabilityDir = fileURLToPath(new URL('..', import.meta.url));
const appServer = fileURLToPath(new URL('../fixtures/app-server.ts', import.meta.url));

/** The environment of one app process (see fixtures/app-server.ts). */
export interface AppEnvironment {
  readonly DATABASE_URL: string;
  readonly SMTP_URL: string;
  readonly TESSERA_SECRET: string;
  readonly TESSERA_SIGNING_KEY: string;
  readonly OUTBOX_LEASE_SECONDS?: string;
  readonly OUTBOX_POLL_MS?: string;
  readonly LOCK_TIMEOUT_MS?: string;
  readonly STATEMENT_TIMEOUT_MS?: string;
  readonly INSTANCE?: string;
  readonly RATE_LIMIT_STORE?: 'postgres' | 'redis';
  readonly REDIS_URL?: string;
  readonly REDIS_PREFIX?: string;
}

/** How a process ended. */
export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A line the app printed on stdout. */
interface Milestone {
  readonly event: string;
  readonly port?: number;
}

/**
 * An app process (fixtures/app-server.ts) run by Node with tsx's loader and the workspace's
 * source condition, as `tsx --conditions=@tessera/source` would: `node --import tsx` keeps it
 * one process, so a signal reaches the app itself and not a wrapper around it.
 */
export class AppProcess {
  readonly target: HttpTarget;
  readonly baseUrl: string;
  readonly stderr: string[];
  readonly #child: ChildProcess;
  readonly #milestones: Milestone[];
  readonly #exited: Promise<ExitStatus>;

  private constructor(child: ChildProcess, port: number, milestones: Milestone[], stderr: string[], exited: Promise<ExitStatus>) {
    this.#child = child;
    this.#milestones = milestones;
    this.stderr = stderr;
    this.#exited = exited;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.target = overNetwork(this.baseUrl);
  }

  /** Starts an app process and waits until it listens. */
  static async start(environment: AppEnvironment, timeoutMs = 30_000): Promise<AppProcess> {
    const child = spawn(process.execPath, ['--conditions=@tessera/source', '--import', 'tsx', appServer], {
      cwd: reliabilityDir,
      env: { ...process.env, ...environment, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const milestones: Milestone[] = [];
    const stderr: string[] = [];
    const exited = new Promise<ExitStatus>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
    const ready = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the app did not start within ${timeoutMs} ms:\n${stderr.join('\n')}`)), timeoutMs);
      createInterface({ input: child.stdout }).on('line', (line) => {
        let milestone: Milestone;
        try {
          milestone = JSON.parse(line) as Milestone;
        } catch {
          return;
        }
        milestones.push(milestone);
        if (milestone.event === 'ready' && milestone.port) {
          clearTimeout(timer);
          resolve(milestone.port);
        }
      });
      void exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`the app exited (${code ?? signal}) before it was ready:\n${stderr.join('\n')}`));
      });
    });
    return new AppProcess(child, await ready, milestones, stderr, exited);
  }

  get pid(): number {
    return this.#child.pid ?? 0;
  }

  /** Sends a signal: SIGKILL for a crash, SIGTERM for a graceful shutdown. */
  signal(signal: NodeJS.Signals): void {
    this.#child.kill(signal);
  }

  /** Whether the app printed `event` (e.g. `stopping`). */
  hasSaid(event: string): boolean {
    return this.#milestones.some((milestone) => milestone.event === event);
  }

  /** Resolves with the exit code or signal, failing after `timeoutMs`. */
  async exited(timeoutMs = 30_000): Promise<ExitStatus> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bound = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the app did not exit within ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([this.#exited, bound]).finally(() => clearTimeout(timer));
  }

  /** Kills the process if it still runs (cleanup). */
  async stop(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      this.#child.kill('SIGKILL');
      await this.#exited;
    }
  }
}
