import type { TesseraDatabase } from '@tessera/kysely';
import { sql, type Kysely } from 'kysely';
import type { CommandContext } from '../command-context.js';
import { confirmDestructive } from '../confirm-destructive.js';
import type { CliDatabase } from '../open-database.js';
import { withDatabase } from '../with-session.js';

/**
 * Drops every table whose name starts with `tessera_` in the current schema: Tessera's tables
 * and its migration bookkeeping (`tessera_migrations`, `tessera_migrations_lock`), in one
 * transaction where the engine has them. Asks for confirmation unless `--force`.
 *
 * @throws CliError `refused` without confirmation.
 */
export async function resetDatabase(context: CommandContext, options: { force?: boolean }): Promise<void> {
  await withDatabase(context, { mustExist: true, statementTimeoutMillis: 0 }, async (database) => {
    const tables = await tesseraTables(database.db);
    if (tables.length === 0) {
      context.output.result({ dropped: [], database: database.description }, () => `Nothing to drop: ${database.description} has no Tessera tables.`);
      return;
    }
    const answer = database.engine === 'postgres' ? await databaseName(database.db) : 'reset';
    await confirmDestructive(context, { force: options.force === true, what: `drop ${tables.length} Tessera tables from ${database.description}`, answer });
    await dropTables(database, tables);
    context.output.result({ dropped: tables, database: database.description }, () => `Dropped ${tables.length} tables from ${database.description}: ${tables.join(', ')}.`);
  });
}

async function tesseraTables(db: Kysely<TesseraDatabase>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'
  `.execute(db);
  return rows
    .map((row) => row.name)
    .filter((name) => name.startsWith('tessera_'))
    .sort();
}

async function databaseName(db: Kysely<TesseraDatabase>): Promise<string> {
  const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(db);
  return rows[0]?.name ?? 'reset';
}

async function dropTables(database: CliDatabase, tables: readonly string[]): Promise<void> {
  const drop = async (db: Kysely<TesseraDatabase>) => {
    for (const table of tables) await sql`drop table if exists ${sql.table(table)} cascade`.execute(db);
  };
  // pg-mem cannot roll back DDL; the real engines drop all or nothing.
  if (database.engine === 'pg-mem') await drop(database.db);
  else await database.db.transaction().execute(drop);
}
