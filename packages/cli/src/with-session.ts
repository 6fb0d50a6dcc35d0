import type { OperatorCaller, Tessera } from '@tessera/core';
import { createTesseraMigrator } from '@tessera/kysely';
import { CliError } from './cli-error.js';
import type { CommandContext } from './command-context.js';
import type { EventConsumerSettings } from './parse-event-consumers.js';
import { exitCodes } from './exit-codes.js';
import { openDatabase, type CliDatabase, type OpenDatabaseOptions } from './open-database.js';
import { openTessera, type OpenTesseraOptions } from './open-tessera.js';
import type { Output } from './output.js';

/** A command's open database and Tessera instance, and the operator it acts as. */
export interface Session extends CommandContext {
  readonly database: CliDatabase;
  readonly tessera: Tessera;
  readonly events: EventConsumerSettings;
  /** The operator in the audit log: `operator:cli:<name>`. */
  readonly caller: OperatorCaller;
}

/** Opens the database for `work` and closes it afterwards, whatever happens. */
export async function withDatabase<T>(context: CommandContext, options: OpenDatabaseOptions, work: (database: CliDatabase) => Promise<T>): Promise<T> {
  const database = context.io.openDatabase ? await context.io.openDatabase() : await openDatabase(context.settings.connection, options);
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

/**
 * Opens the database, checks that it is migrated, creates Tessera and runs `work` as the
 * operator; closes everything afterwards.
 *
 * @throws CliError `unavailable` when the database has no Tessera tables yet.
 */
export async function withSession<T>(
  context: CommandContext,
  options: OpenTesseraOptions & { readonly maxConnections?: number },
  work: (session: Session) => Promise<T>,
): Promise<T> {
  return withDatabase(context, { mustExist: true, ...(options.maxConnections !== undefined && { maxConnections: options.maxConnections }) }, async (database) => {
    await ensureMigrated(database, context.output);
    const { tessera, events } = await openTessera(database, context.settings, options);
    try {
      return await work({ ...context, database, tessera, events, caller: { operator: context.settings.operator } });
    } finally {
      await tessera.close();
    }
  });
}

async function ensureMigrated(database: CliDatabase, output: Output): Promise<void> {
  const migrations = await createTesseraMigrator(database.db).getMigrations();
  const pending = migrations.filter((migration) => migration.executedAt === undefined);
  if (pending.length === migrations.length) {
    throw new CliError(exitCodes.unavailable, `The database (${database.description}) has no Tessera tables yet: run \`tessera migrate latest\`.`, 'not_migrated');
  }
  if (pending.length > 0) {
    output.warn(`${pending.length} Tessera migration(s) not applied yet (${pending.map((migration) => migration.name).join(', ')}): run \`tessera migrate latest\`.`);
  }
}
