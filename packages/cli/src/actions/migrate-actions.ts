import { createTesseraMigrator } from '@tessera/kysely';
import type { MigrationResult } from 'kysely/migration';
import { CliError } from '../cli-error.js';
import type { CommandContext } from '../command-context.js';
import { confirmDestructive } from '../confirm-destructive.js';
import { exitCodes } from '../exit-codes.js';
import { formatTable } from '../format-table.js';
import { withDatabase } from '../with-session.js';

/**
 * Applies every pending migration (`latest`), the next one (`up`), or undoes the last one
 * (`down`, after confirmation). Prints what ran.
 *
 * @throws CliError `failure` naming the migration that failed; `refused` without confirmation.
 */
export async function migrate(context: CommandContext, direction: 'latest' | 'up' | 'down', options: { force?: boolean }): Promise<void> {
  // Migrations build indexes on large tables: no statement timeout.
  await withDatabase(context, { mustExist: direction === 'down', statementTimeoutMillis: 0 }, async (database) => {
    const migrator = createTesseraMigrator(database.db);
    if (direction === 'down') {
      const last = (await migrator.getMigrations()).filter((migration) => migration.executedAt !== undefined).at(-1);
      if (last === undefined) {
        context.output.result({ results: [] }, () => 'Nothing to undo: no migration is applied.');
        return;
      }
      await confirmDestructive(context, { force: options.force === true, what: `undo migration ${last.name} on ${database.description}`, answer: last.name });
    }
    const { error, results = [] } =
      direction === 'latest' ? await migrator.migrateToLatest() : direction === 'up' ? await migrator.migrateUp() : await migrator.migrateDown();
    const shown = results.map(toResult);
    if (error !== undefined) {
      const failed = results.find((result) => result.status === 'Error');
      const reason = error instanceof Error ? error.message : JSON.stringify(error);
      if (!context.output.json) context.output.note(describe(shown));
      throw new CliError(exitCodes.failure, `Migration ${failed?.migrationName ?? '(unknown)'} failed: ${reason}`, 'migration_failed', { cause: error });
    }
    context.output.result({ results: shown }, () => (shown.length === 0 ? 'Nothing to apply: the database is up to date.' : describe(shown)));
  });
}

/** Lists every migration with the time it was applied, or "pending". */
export async function migrationStatus(context: CommandContext): Promise<void> {
  await withDatabase(context, { mustExist: true }, async (database) => {
    const migrations = await createTesseraMigrator(database.db).getMigrations();
    const rows = migrations.map((migration) => ({ name: migration.name, appliedAt: migration.executedAt?.toISOString() ?? null }));
    const pending = rows.filter((row) => row.appliedAt === null).length;
    context.output.result({ migrations: rows, pending }, () =>
      formatTable(['migration', 'applied'], rows.map((row) => [row.name, row.appliedAt ?? 'pending'])) +
      (pending === 0 ? 'Up to date.' : `${pending} pending: run \`tessera migrate latest\`.`),
    );
  });
}

interface ShownResult {
  readonly migration: string;
  readonly direction: 'up' | 'down';
  readonly status: 'applied' | 'undone' | 'failed' | 'not run';
}

function toResult(result: MigrationResult): ShownResult {
  const direction = result.direction === 'Up' ? 'up' : 'down';
  const status = result.status === 'Success' ? (direction === 'up' ? 'applied' : 'undone') : result.status === 'Error' ? 'failed' : 'not run';
  return { migration: result.migrationName, direction, status };
}

function describe(results: readonly ShownResult[]): string {
  return results.map((result) => `${result.status.padEnd(8)} ${result.migration}`).join('\n');
}
