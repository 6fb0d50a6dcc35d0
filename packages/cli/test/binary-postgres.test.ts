import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock, type AdminUserView, type AuditPage } from '@tessera/core';
import { createPostgresStore } from '@tessera/kysely/postgres';
import { createTestDatabase, createTestTessera, goodPassword, postgresAvailable, type TestDatabase } from '@tessera/testkit';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { exitCodes } from '../src/index.js';
import type { ImportReport } from '../src/import/import-report.js';
import { runBinary } from './run-binary.js';

const available = await postgresAvailable();
const exampleDir = join(import.meta.dirname, '..', '..', '..', 'examples', 'hono');

// Each test gets a throw-away database on the test server; the binary runs as its own
// process (TypeScript sources through tsx in this workspace, so nothing needs building).
describe.skipIf(!available)('the tessera binary on PostgreSQL', () => {
  const opened: Array<() => Promise<void>> = [];
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'tessera-cli-binary-'));
  });
  afterEach(async () => {
    for (const close of opened.splice(0).reverse()) await close();
  });
  afterAll(async () => rm(folder, { recursive: true, force: true }));

  /** A fresh database, migrated by the binary itself; `tessera` runs against it. */
  async function freshDatabase(): Promise<{ database: TestDatabase; tessera: (args: string[], options?: { stdin?: string; env?: Record<string, string> }) => ReturnType<typeof runBinary> }> {
    const database = await createTestDatabase();
    opened.push(() => database.drop());
    const tessera = (args: string[], options: { stdin?: string; env?: Record<string, string> } = {}) =>
      runBinary(args, { ...options, env: { DATABASE_URL: database.connectionString, TESSERA_OPERATOR: 'ci', ...options.env } });
    const migrated = await tessera(['migrate', 'latest']);
    expect(migrated.exitCode, migrated.stderr).toBe(exitCodes.ok);
    return { database, tessera };
  }

  /** Reads the database the way the app would. */
  async function appOn(database: TestDatabase) {
    const postgres = createPostgresStore({ connectionString: database.connectionString });
    opened.push(postgres.close);
    return { ...(await createTestTessera(postgres.store, { clock: systemClock })), db: postgres.db };
  }

  it('prints its help from an example app’s folder', async () => {
    const result = await runBinary(['--help'], { cwd: exampleDir });
    expect(result.exitCode).toBe(exitCodes.ok);
    expect(result.stdout).toContain('Usage: tessera [options] [command]');
    const importHelp = await runBinary(['import', 'users', '--help']);
    expect(importHelp.stdout).toContain('--dry-run');
  });

  it('migrates a fresh database, reports the status, undoes and reapplies every migration', async () => {
    const { tessera } = await freshDatabase();
    const status = JSON.parse((await tessera(['migrate', 'status', '--json'])).stdout) as { pending: number };
    expect(status.pending).toBe(0);
    expect((await tessera(['migrate', 'down'])).exitCode).toBe(exitCodes.refused);
    expect((await tessera(['migrate', 'down', '--force'])).stdout).toContain('undone   0004-session-indexes');
    expect((await tessera(['migrate', 'down', '--force'])).stdout).toContain('undone   0003-rate-limits');
    expect((await tessera(['migrate', 'down', '--force'])).stdout).toContain('undone   0002-admin-search');
    expect((await tessera(['migrate', 'down', '--force'])).stdout).toContain('undone   0001-identity');
    expect((await tessera(['stats'])).exitCode).toBe(exitCodes.unavailable);
    const latest = await tessera(['migrate', 'latest']);
    expect(latest.stdout).toBe('applied  0001-identity\napplied  0002-admin-search\napplied  0003-rate-limits\napplied  0004-session-indexes\n');
  });

  it('creates the first admin with the password from stdin', async () => {
    const { database, tessera } = await freshDatabase();
    const result = await tessera(['admin', 'create', '--email', 'ada@example.com', '--password-stdin', '--json'], { stdin: `${goodPassword}\n` });
    expect(result.exitCode, result.stderr).toBe(exitCodes.ok);
    expect(JSON.parse(result.stdout)).toMatchObject({ email: 'ada@example.com', role: 'ADMIN', emailVerified: true });
    const app = await appOn(database);
    await expect(app.tessera.api.login({ email: 'ada@example.com', password: goodPassword })).resolves.toMatchObject({ user: { role: 'ADMIN' } });
  });

  it('imports a CSV with bad rows, names their lines, writes the rejects, and skips everything on a second run', async () => {
    const { database, tessera } = await freshDatabase();
    const app = await appOn(database);
    await app.tessera.api.createUser({ operator: 'seed' }, { email: 'existing@example.com' });
    const file = join(folder, 'people.csv');
    await writeFile(
      file,
      [
        '\uFEFFemail,first_name,last_name,role',
        'ann@example.com,"Ann, ""The Boss""",Smith,MANAGER',
        'wrong-at-example.com,Bob,B,',
        'Ann@Example.com,Dup,D,',
        'existing@example.com,Ex,E,',
        'carl@example.com,Carl',
        'dan@example.com,Dan,D,',
      ].join('\r\n'),
    );
    const rejects = join(folder, 'rejects.csv');
    const dryRun = await tessera(['import', 'users', file, '--verified', '--dry-run', '--json']);
    expect(JSON.parse(dryRun.stdout)).toMatchObject({ dryRun: true, created: 2, skipped: 1, rejected: 3 });
    expect((await app.tessera.api.listUsers({ operator: 'seed' }, { includeTotal: true })).total).toBe(1);

    const first = await tessera(['import', 'users', file, '--verified', '--rejects', rejects]);
    expect(first.exitCode).toBe(exitCodes.refused);
    expect(first.stdout).toContain('6 rows: 2 created, 1 skipped (already exist), 3 rejected.');
    expect(first.stdout).toContain('line 3: email: must be a valid email address (validation_failed)');
    expect(first.stdout).toContain('line 4: email: repeats the address of line 2 (duplicate_in_file)');
    expect(first.stdout).toContain('line 6: row: has 2 fields, the header has 4 (column_count)');
    expect(first.stderr).toMatch(/^import: 6\/6 rows, \d+ rows\/s, done in/m);
    expect(await readFile(rejects, 'utf8')).toBe(
      'line,reason,email,first_name,last_name,role\r\n' +
        '3,email: must be a valid email address (validation_failed),wrong-at-example.com,Bob,B,\r\n' +
        '4,email: repeats the address of line 2 (duplicate_in_file),Ann@Example.com,Dup,D,\r\n' +
        '6,"row: has 2 fields, the header has 4 (column_count)",carl@example.com,Carl\r\n',
    );
    const ann = (await app.tessera.api.listUsers({ operator: 'seed' }, { search: 'ann@' })).items[0];
    expect(ann).toMatchObject({ role: 'MANAGER', emailVerified: true, hasPassword: false, profile: { firstName: 'Ann, "The Boss"', lastName: 'Smith' } });

    const second = JSON.parse((await tessera(['import', 'users', file, '--verified', '--json'])).stdout) as ImportReport;
    expect(second).toMatchObject({ created: 0, skipped: 3, rejected: 3 });
  });

  it('manages a user through the services, each change audited with the operator as actor', async () => {
    const { database, tessera } = await freshDatabase();
    const app = await appOn(database);
    const bob = await app.tessera.api.createUser({ operator: 'seed' }, { email: 'bob@example.com', emailVerified: true });
    expect(JSON.parse((await tessera(['user', 'set-role', 'bob@example.com', 'MANAGER', '--json'])).stdout)).toMatchObject({ role: 'MANAGER' });
    expect((await tessera(['user', 'lock', 'bob@example.com'])).exitCode).toBe(exitCodes.ok);
    expect((await tessera(['user', 'unlock', 'bob@example.com'])).exitCode).toBe(exitCodes.ok);
    expect((await tessera(['user', 'suspend', 'bob@example.com'])).exitCode).toBe(exitCodes.ok);
    expect((await tessera(['user', 'reactivate', 'bob@example.com'])).exitCode).toBe(exitCodes.ok);
    const found = JSON.parse((await tessera(['user', 'find', 'bob', '--json'])).stdout) as { items: AdminUserView[] };
    expect(found.items.map((user) => [user.email, user.role, user.status])).toEqual([['bob@example.com', 'MANAGER', 'active']]);
    expect((await tessera(['user', 'show', 'nobody@example.com'])).exitCode).toBe(exitCodes.notFound);
    expect((await tessera(['user', 'delete', 'bob@example.com'])).exitCode).toBe(exitCodes.refused);
    expect((await tessera(['user', 'delete', 'bob@example.com', '--force'])).exitCode).toBe(exitCodes.ok);

    const audit: AuditPage = await app.tessera.api.listAuditEvents({ operator: 'seed' }, { targetId: bob.id, limit: 20 });
    expect(audit.items.map((entry) => [entry.action, entry.actor.label]).reverse()).toEqual([
      ['user.created', 'operator:seed'],
      ['user.role_changed', 'operator:cli:ci'],
      ['user.locked', 'operator:cli:ci'],
      ['user.unlocked', 'operator:cli:ci'],
      ['user.suspended', 'operator:cli:ci'],
      ['user.reactivated', 'operator:cli:ci'],
      ['user.deleted', 'operator:cli:ci'],
    ]);
  });

  it('exports users to stdout and to a file, and counts them', async () => {
    const { database, tessera } = await freshDatabase();
    const app = await appOn(database);
    await app.tessera.api.createUser({ operator: 'seed' }, { email: 'ann@example.com', role: 'MANAGER', profile: { firstName: 'Ann' } });
    await app.tessera.api.createUser({ operator: 'seed' }, { email: 'bob@example.com', emailVerified: true });
    const stdout = await tessera(['export', 'users']);
    expect(stdout.stdout.split('\r\n').map((line) => line.split(',')[1])).toEqual(['email', 'ann@example.com', 'bob@example.com', undefined]);
    const file = join(folder, 'export.csv');
    expect((await tessera(['export', 'users', '--output', file])).stdout).toBe(`Exported 2 users to ${file} (csv).\n`);
    expect(await readFile(file, 'utf8')).toBe(stdout.stdout);
    const ndjson = await tessera(['export', 'users', '--role', 'MANAGER', '--format', 'ndjson']);
    expect(ndjson.stdout.trim().split('\n').map((line) => (JSON.parse(line) as AdminUserView).email)).toEqual(['ann@example.com']);

    const stats = JSON.parse((await tessera(['stats', '--json'])).stdout) as { total: number; byRole: Record<string, number>; emailVerified: Record<string, number> };
    expect(stats).toMatchObject({ total: 2, byRole: { ADMIN: 0, MANAGER: 1, AUTHENTICATED: 1 }, emailVerified: { verified: 1, unverified: 1 } });
  });

  it('refuses to reset without confirmation, resets with --force, and can migrate again', async () => {
    const { database, tessera } = await freshDatabase();
    const refused = await tessera(['reset']);
    expect(refused.exitCode).toBe(exitCodes.refused);
    expect(refused.stderr).toContain('without confirmation');
    expect((await tessera(['stats'])).exitCode).toBe(exitCodes.ok);

    const reset = JSON.parse((await tessera(['reset', '--force', '--json'])).stdout) as { dropped: string[] };
    expect(reset.dropped).toContain('tessera_users');
    expect(reset.dropped).toContain('tessera_migrations');
    const app = await appOn(database);
    const { rows } = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_name like 'tessera%'`.execute(app.db);
    expect(rows).toEqual([]);
    expect((await tessera(['migrate', 'latest'])).exitCode).toBe(exitCodes.ok);
  });

  it('exits 5 when the database does not exist', async () => {
    const { database } = await freshDatabase();
    const missing = database.connectionString.replace(/\/[^/]+$/, '/tessera_no_such_database');
    const result = await runBinary(['stats'], { env: { DATABASE_URL: missing } });
    expect(result.exitCode).toBe(exitCodes.unavailable);
    expect(result.stderr).toContain('does not exist');
  });
});
