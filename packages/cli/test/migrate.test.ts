import { describe, expect, it } from 'vitest';
import { exitCodes } from '../src/index.js';
import { jsonOf, pgMemDatabase, runTessera } from './cli-harness.js';

interface Status {
  migrations: Array<{ name: string; appliedAt: string | null }>;
  pending: number;
}

describe('tessera migrate (pg-mem)', () => {
  it('lists the applied migrations, as text and as JSON', async () => {
    const database = await pgMemDatabase();
    const text = await runTessera(['migrate', 'status'], { database });
    expect(text.exitCode).toBe(exitCodes.ok);
    expect(text.stdout).toContain('0001-identity');
    expect(text.stdout).toContain('Up to date.');
    const status = jsonOf<Status>(await runTessera(['migrate', 'status', '--json'], { database }));
    expect(status.pending).toBe(0);
    expect(status.migrations.map((migration) => migration.name)).toEqual(['0001-identity', '0002-admin-search', '0003-rate-limits', '0004-session-indexes']);
    expect(status.migrations.every((migration) => migration.appliedAt !== null)).toBe(true);
  });

  it('has nothing to apply on a migrated database', async () => {
    const database = await pgMemDatabase();
    const result = await runTessera(['migrate', 'latest', '--json'], { database });
    expect(result.exitCode).toBe(exitCodes.ok);
    expect(jsonOf(result)).toEqual({ results: [] });
  });

  it('refuses to undo a migration without --force when nobody can confirm', async () => {
    const database = await pgMemDatabase();
    const result = await runTessera(['migrate', 'down'], { database });
    expect(result.exitCode).toBe(exitCodes.refused);
    expect(result.stderr).toContain('--force');
    expect(jsonOf<Status>(await runTessera(['migrate', 'status', '--json'], { database })).pending).toBe(0);
  });

  it('undoes the last migration with --force, then applies it again with up', async () => {
    const database = await pgMemDatabase();
    const down = await runTessera(['migrate', 'down', '--force', '--json'], { database });
    expect(down.exitCode).toBe(exitCodes.ok);
    expect(jsonOf(down)).toEqual({ results: [{ migration: '0004-session-indexes', direction: 'down', status: 'undone' }] });
    expect(jsonOf<Status>(await runTessera(['migrate', 'status', '--json'], { database })).pending).toBe(1);

    const stats = await runTessera(['stats'], { database });
    expect(stats.stderr).toContain('not applied yet (0004-session-indexes)');

    const up = await runTessera(['migrate', 'up'], { database });
    expect(up.exitCode).toBe(exitCodes.ok);
    expect(up.stdout).toContain('applied  0004-session-indexes');
  });

  it('undoes a migration after the operator types its name at a terminal', async () => {
    const database = await pgMemDatabase();
    const refused = await runTessera(['migrate', 'down'], { database, isTTY: true, stdin: 'yes\n' });
    expect(refused.exitCode).toBe(exitCodes.refused);
    expect(refused.stderr).toContain('Type "0004-session-indexes" to confirm');
    const confirmed = await runTessera(['migrate', 'down'], { database, isTTY: true, stdin: '0004-session-indexes\n' });
    expect(confirmed.exitCode).toBe(exitCodes.ok);
    expect(confirmed.stdout).toContain('undone   0004-session-indexes');
  });
});
