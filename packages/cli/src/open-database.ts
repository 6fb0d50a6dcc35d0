import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TesseraStore } from '@tessera/core';
import type { TesseraDatabase } from '@tessera/kysely';
import { sql, type Kysely } from 'kysely';
import { CliError } from './cli-error.js';
import type { Connection } from './read-settings.js';
import { exitCodes } from './exit-codes.js';

/** An open database: the Kysely instance (migrations, reset) and the Tessera store on it. */
export interface CliDatabase {
  readonly db: Kysely<TesseraDatabase>;
  readonly store: TesseraStore;
  readonly engine: 'postgres' | 'pglite' | 'pg-mem';
  /** What the operator is told, e.g. `postgres://app:***@db:5432/app` or a folder. */
  readonly description: string;
  close(): Promise<void>;
}

/** How a command needs the database. */
export interface OpenDatabaseOptions {
  /** Pool size on PostgreSQL (an import runs rows side by side). @default 4 */
  readonly maxConnections?: number;
  /** Server-side cap on one statement; 0 for none (migrations build indexes). @default 30000 */
  readonly statementTimeoutMillis?: number;
  /** Refuse a PGlite folder that does not exist yet, rather than creating an empty database. */
  readonly mustExist: boolean;
}

/**
 * Opens PostgreSQL (`DATABASE_URL`) or the examples' embedded PGlite database (`--data-dir`,
 * the database in `DIR/db`) and checks that it answers.
 *
 * @throws CliError `usage` without a database; `unavailable` when it cannot be reached.
 */
export async function openDatabase(connection: Connection | undefined, options: OpenDatabaseOptions): Promise<CliDatabase> {
  if (connection === undefined) {
    throw new CliError(
      exitCodes.usage,
      'No database given: set DATABASE_URL (or pass --database-url) for PostgreSQL, or pass --data-dir DIR for the embedded PGlite database of the examples.',
      'missing_database',
    );
  }
  return connection.kind === 'postgres' ? openPostgres(connection.url, options) : openPglite(connection.dataDir, options);
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<CliDatabase> {
  const { createPostgresStore } = await import('@tessera/kysely/postgres');
  const description = redactUrl(url);
  let postgres: ReturnType<typeof createPostgresStore>;
  try {
    postgres = createPostgresStore({
      connectionString: url,
      maxConnections: options.maxConnections ?? 4,
      connectionTimeoutMillis: 5000,
      statementTimeoutMillis: options.statementTimeoutMillis ?? 30_000,
      idleInTransactionTimeoutMillis: 60_000,
    });
  } catch (error) {
    throw new CliError(exitCodes.usage, `DATABASE_URL is not a valid connection string (${description}).`, 'invalid_database_url', { cause: error });
  }
  try {
    await sql`select 1`.execute(postgres.db);
  } catch (error) {
    await postgres.close().catch(() => undefined);
    throw new CliError(exitCodes.unavailable, `Cannot reach the database at ${description}: ${reasonOf(error)}`, 'database_unavailable', { cause: error });
  }
  return { db: postgres.db, store: postgres.store, engine: 'postgres', description, close: postgres.close };
}

async function openPglite(dataDir: string, options: OpenDatabaseOptions): Promise<CliDatabase> {
  const folder = join(dataDir, 'db');
  if (options.mustExist && !existsSync(folder)) {
    throw new CliError(exitCodes.unavailable, `There is no database in ${folder}: start the app once, or run \`tessera migrate latest --data-dir ${dataDir}\`.`, 'database_missing');
  }
  const { openPgliteStore } = await import('@tessera/kysely/pglite');
  try {
    const pglite = await openPgliteStore({ dataDir: folder, migrate: false });
    return { db: pglite.db, store: pglite.store, engine: 'pglite', description: `PGlite in ${folder}`, close: pglite.close };
  } catch (error) {
    throw new CliError(
      exitCodes.unavailable,
      `Cannot open the PGlite database in ${folder} (is the app still running? PGlite allows one process at a time): ${reasonOf(error)}`,
      'database_unavailable',
      { cause: error },
    );
  }
}

/** A connection string without its password. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reasonOf(error.errors[0]);
  if (error instanceof Error) return error.message || ((error as { code?: string }).code ?? error.name);
  return String(error);
}
