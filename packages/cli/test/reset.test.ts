import { describe, expect, it } from 'vitest';
import { exitCodes } from '../src/index.js';
import { jsonOf, pgMemDatabase, runTessera, type PgMemDatabase } from './cli-harness.js';

const tesseraTables = [
  'tessera_audit_events',
  'tessera_bootstrap',
  'tessera_migrations',
  'tessera_migrations_lock',
  'tessera_one_time_tokens',
  'tessera_outbox',
  'tessera_rate_limits',
  'tessera_refresh_tokens',
  'tessera_users',
];

async function tablesOf(database: PgMemDatabase): Promise<string[]> {
  return database.memoryDb.public
    .many("select table_name from information_schema.tables where table_name like 'tessera_%'")
    .map((row: { table_name: string }) => row.table_name)
    .sort();
}

describe('tessera reset (pg-mem)', () => {
  it('refuses without --force when nobody can confirm, and drops nothing', async () => {
    const database = await pgMemDatabase();
    const result = await runTessera(['reset'], { database });
    expect(result.exitCode).toBe(exitCodes.refused);
    expect(result.stderr).toContain('--force');
    expect(await tablesOf(database)).toEqual(tesseraTables);
  });

  it('refuses at a terminal unless the operator types the confirmation', async () => {
    const database = await pgMemDatabase();
    const result = await runTessera(['reset'], { database, isTTY: true, stdin: 'yes\n' });
    expect(result.exitCode).toBe(exitCodes.refused);
    expect(result.stderr).toContain('Type "reset" to confirm');
    expect(await tablesOf(database)).toEqual(tesseraTables);
  });

  it('drops every Tessera table and the migration tables once confirmed', async () => {
    const database = await pgMemDatabase();
    const result = await runTessera(['reset'], { database, isTTY: true, stdin: 'reset\n' });
    expect(result.exitCode).toBe(exitCodes.ok);
    expect(await tablesOf(database)).toEqual([]);
  });

  it('drops them with --force, and reports them as JSON', async () => {
    const database = await pgMemDatabase();
    const result = await runTessera(['reset', '--force', '--json'], { database });
    expect(result.exitCode).toBe(exitCodes.ok);
    expect(jsonOf(result)).toEqual({ dropped: tesseraTables, database: 'pg-mem' });
    expect(await tablesOf(database)).toEqual([]);
    const status = await runTessera(['stats'], { database });
    expect(status.exitCode).toBe(exitCodes.unavailable);
    expect(status.stderr).toContain('tessera migrate latest');
  });
});
