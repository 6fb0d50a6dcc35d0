import pg from 'pg';

/** The server the Postgres legs run on; override with `TESSERA_TEST_DATABASE_URL`. */
export const postgresAdminUrl = process.env.TESSERA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let reachability: Promise<boolean> | undefined;

/**
 * Whether the Postgres legs can run. With `CI=true` an unreachable server fails the run;
 * locally the leg is skipped with a visible notice.
 */
export function postgresAvailable(): Promise<boolean> {
  reachability ??= checkPostgres(postgresAdminUrl, { isCi: process.env.CI === 'true' || process.env.CI === '1' });
  return reachability;
}

/**
 * Connects once to `url`. Unreachable: rejects when `isCi` (a CI run must not pass without
 * its database), otherwise warns and resolves `false`.
 */
export async function checkPostgres(url: string, options: { isCi: boolean }): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (error) {
    if (options.isCi) {
      throw new Error(`CI=true and PostgreSQL at ${redact(url)} is unreachable: ${String(error)}`, { cause: error });
    }
    console.warn(`\n[tessera] SKIPPING the PostgreSQL leg: ${redact(url)} is unreachable (${String(error)}).\n`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A throw-away database on the test server. */
export interface TestDatabase {
  readonly connectionString: string;
  drop(): Promise<void>;
}

/** Creates a database with a random name, so parallel test files never collide. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `tessera_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await withAdmin((client) => client.query(`create database "${name}"`));
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    connectionString: url.toString(),
    drop: () => withAdmin((client) => client.query(`drop database if exists "${name}" with (force)`)).then(() => undefined),
  };
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresAdminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}
