import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { systemClock, type AuditEventView, type OperatorCaller } from '@tessera/core';
import { createPgMemStore, type PgMemStore } from '@tessera/kysely/pg-mem';
import { createTestTessera, type TestTessera } from '@tessera/testkit';
import { runCli, type CliDatabase, type CliIo } from '../src/index.js';

/** What a run of `tessera` left behind. */
export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** How a test runs `tessera` in-process. */
export interface RunOptions {
  readonly database?: PgMemDatabase;
  /** Piped input; an array is typed line by line, with a pause before each (as at a terminal). */
  readonly stdin?: string | readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly isTTY?: boolean;
}

/** A pg-mem database shared by the commands of one test (the CLI's close leaves it open). */
export interface PgMemDatabase extends PgMemStore {
  readonly openDatabase: () => Promise<CliDatabase>;
}

/** A fresh, migrated pg-mem database. */
export async function pgMemDatabase(): Promise<PgMemDatabase> {
  const pgMem = await createPgMemStore();
  const database: CliDatabase = { db: pgMem.db, store: pgMem.store, engine: 'pg-mem', description: 'pg-mem', close: async () => undefined };
  return { ...pgMem, openDatabase: async () => database };
}

/** The operator every in-process test acts as. */
export const testOperator = 'tester';

/** Runs `tessera <args>` in-process and captures its output. */
export async function runTessera(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const io: CliIo = {
    stdin: Readable.from(typeof options.stdin === 'string' ? [options.stdin] : typed(options.stdin ?? [])),
    stdout,
    stderr,
    env: { TESSERA_OPERATOR: testOperator, ...options.env },
    isTTY: options.isTTY ?? false,
    ...(options.database && { openDatabase: options.database.openDatabase }),
  };
  const exitCode = await runCli(args, io);
  return { exitCode, stdout: stdout.text, stderr: stderr.text };
}

async function* typed(lines: readonly string[]): AsyncGenerator<string> {
  for (const line of lines) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    yield line;
  }
}

class Capture extends Writable {
  text = '';

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** Parses a run's stdout as the one JSON document `--json` promises. */
export function jsonOf<T>(result: CliResult): T {
  return JSON.parse(result.stdout) as T;
}

/** Tessera on the test's database, to seed users and read the audit log the way the API does. */
export async function tesseraOn(database: PgMemDatabase): Promise<TestTessera> {
  return createTestTessera(database.store, { clock: systemClock });
}

/** A caller that reads on behalf of a test (it is not the CLI's operator). */
export const testReader: OperatorCaller = { operator: 'test-reader' };

/** The audit entries of some actions, newest first. */
export async function auditOf(t: TestTessera, ...actions: string[]): Promise<AuditEventView[]> {
  return (await t.tessera.api.listAuditEvents(testReader, { action: actions, limit: 100 })).items;
}

/** A temporary folder for files a test writes; `remove()` in `afterEach`. */
export async function temporaryFolder(): Promise<{ readonly path: (name: string) => string; readonly remove: () => Promise<void> }> {
  const folder = await mkdtemp(join(tmpdir(), 'tessera-cli-test-'));
  return { path: (name) => join(folder, name), remove: () => rm(folder, { recursive: true, force: true }) };
}
