import { checkPostgres, createTestDatabase, postgresAvailable } from '../src/index.js';
import { sql, type Kysely } from 'kysely';
import type { TesseraDatabase } from '@tessera/kysely';
import { describe, expect, it } from 'vitest';
import { createTesseraMigrator, migrateToLatest } from '@tessera/kysely';
import { createPgMemStore } from '@tessera/kysely/pg-mem';
import { createPostgresStore } from '@tessera/kysely/postgres';

const migrationNames = ['0001-identity', '0002-admin-search', '0003-rate-limits', '0004-session-indexes'];
const tesseraTables = ['tessera_audit_events', 'tessera_bootstrap', 'tessera_one_time_tokens', 'tessera_outbox', 'tessera_rate_limits', 'tessera_refresh_tokens', 'tessera_users'];

async function tablesOf(db: Kysely<TesseraDatabase>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_name like 'tessera_%' order by table_name`.execute(db);
  return rows.map((row) => row.name).filter((name) => !name.startsWith('tessera_migrations'));
}

async function expectDownAndUpAgain(db: Kysely<TesseraDatabase>, options: { upAgain: boolean } = { upAgain: true }) {
  expect(await tablesOf(db)).toEqual(tesseraTables);
  const again = await migrateToLatest(db);
  expect(again.results).toEqual([]);
  const migrator = createTesseraMigrator(db);
  // One step down undoes only the newest migration: its indexes go, the tables stay; the one
  // before it takes its table with it.
  const oneDown = await migrator.migrateDown();
  expect(oneDown.error).toBeUndefined();
  expect(oneDown.results).toEqual([expect.objectContaining({ migrationName: '0004-session-indexes', direction: 'Down', status: 'Success' })]);
  expect(await tablesOf(db)).toEqual(tesseraTables);
  const twoDown = await migrator.migrateDown();
  expect(twoDown.results).toEqual([expect.objectContaining({ migrationName: '0003-rate-limits', direction: 'Down', status: 'Success' })]);
  expect(await tablesOf(db)).toEqual(tesseraTables.filter((table) => table !== 'tessera_rate_limits'));
  await migrateToLatest(db);
  const undone = [];
  for (const _ of migrationNames) {
    const step = await migrator.migrateDown();
    expect(step.error).toBeUndefined();
    undone.push(...(step.results ?? []).map((result) => [result.migrationName, result.direction, result.status]));
  }
  expect(undone).toEqual([...migrationNames].reverse().map((name) => [name, 'Down', 'Success']));
  expect(await tablesOf(db)).toEqual([]);
  if (!options.upAgain) return;
  await migrateToLatest(db);
  expect(await tablesOf(db)).toEqual(tesseraTables);
}

const postgres = await postgresAvailable();

describe('migrations', () => {
  it('go down on pg-mem, and a second run to latest does nothing', async () => {
    const { db, close } = await createPgMemStore();
    // pg-mem keeps a dropped table's primary-key index name, so re-creating the tables in the
    // same in-memory database fails there; up-after-down is proved on PostgreSQL below.
    await expectDownAndUpAgain(db, { upAgain: false });
    await close();
  });

  // Skipped only when no server is reachable locally; with CI=true that is a failure instead.
  it.skipIf(!postgres)('go down and up again on PostgreSQL, and instances migrating at once are safe', async () => {
    const database = await createTestDatabase();
    const instances = Array.from({ length: 3 }, () => createPostgresStore({ connectionString: database.connectionString }));
    try {
      const results = await Promise.all(instances.map((instance) => migrateToLatest(instance.db)));
      // Exactly one instance applies each migration; the others find nothing left to do.
      const applied = results.flatMap((result) => result.results ?? []).filter((result) => result.status === 'Success');
      expect(applied.map((result) => result.migrationName)).toEqual(migrationNames);
      await expectDownAndUpAgain(instances[0]!.db);
    } finally {
      await Promise.all(instances.map((instance) => instance.close()));
      await database.drop();
    }
  });
});

describe('the PostgreSQL leg guard', () => {
  it('fails a CI run whose database is unreachable, and only warns locally', async () => {
    const unreachable = 'postgres://postgres@127.0.0.1:1/nowhere';
    await expect(checkPostgres(unreachable, { isCi: true })).rejects.toThrow(/CI=true and PostgreSQL .* is unreachable/);
    await expect(checkPostgres(unreachable, { isCi: false })).resolves.toBe(false);
  });
});
