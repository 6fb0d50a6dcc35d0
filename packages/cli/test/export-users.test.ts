import { readFile, stat } from 'node:fs/promises';
import type { AdminUserView } from '@tessera/core';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitCodes } from '../src/index.js';
import { jsonOf, pgMemDatabase, runTessera, temporaryFolder, tesseraOn, testReader, type PgMemDatabase } from './cli-harness.js';

const columns = ['id', 'email', 'username', 'role', 'status', 'emailVerified', 'proStatus', 'firstName', 'lastName', 'location', 'createdAt', 'lastLoginAt'];

let database: PgMemDatabase;
let folder: Awaited<ReturnType<typeof temporaryFolder>>;
let users: AdminUserView[];

beforeEach(async () => {
  database = await pgMemDatabase();
  folder = await temporaryFolder();
  const t = await tesseraOn(database);
  await t.tessera.api.createUser(testReader, { email: 'ada@example.com', role: 'ADMIN', emailVerified: true, profile: { firstName: 'Ada', lastName: 'Lovelace, Countess' } });
  await t.tessera.api.createUser(testReader, { email: 'bob@example.com', profile: { firstName: '=HYPERLINK("x")', location: 'Paris, "France"' } });
  await t.tessera.api.createUser(testReader, { email: 'cyd@example.com', role: 'MANAGER' });
  users = [];
  for await (const user of t.tessera.api.exportUsers(testReader)) users.push(user);
});
afterEach(async () => folder.remove());

const run = (...args: string[]) => runTessera(args, { database });

describe('tessera export users (pg-mem)', () => {
  it('streams CSV to stdout with the API export’s columns and data', async () => {
    const result = await run('export', 'users');
    expect(result.exitCode).toBe(exitCodes.ok);
    const [header, ...rows] = parse(result.stdout);
    expect(header).toEqual(columns);
    expect(rows).toEqual(
      users.map((user) => [
        user.id,
        user.email,
        user.username,
        user.role,
        user.status,
        String(user.emailVerified),
        user.pro.status,
        // Cells a spreadsheet would run as a formula are defused, as in the HTTP export.
        user.profile.firstName?.startsWith('=') ? `'${user.profile.firstName}` : (user.profile.firstName ?? ''),
        user.profile.lastName ?? '',
        user.profile.location ?? '',
        user.createdAt,
        user.lastLoginAt ?? '',
      ]),
    );
  });

  it('writes the same CSV to a file created with mode 0600', async () => {
    const output = folder.path('users.csv');
    const result = await run('export', 'users', '--output', output, '--json');
    expect(jsonOf(result)).toEqual({ exported: 3, format: 'csv', output });
    expect(await readFile(output, 'utf8')).toBe((await run('export', 'users')).stdout);
    expect((await stat(output)).mode & 0o777).toBe(0o600);
  });

  it('exports a JSON array, or NDJSON, of the admin view', async () => {
    expect(jsonOf<AdminUserView[]>(await run('export', 'users', '--json'))).toEqual(users);
    const ndjson = (await run('export', 'users', '--format', 'ndjson')).stdout.trim().split('\n');
    expect(ndjson.map((line) => JSON.parse(line) as AdminUserView)).toEqual(users);
    await run('export', 'users', '-o', folder.path('users.json'));
    expect(JSON.parse(await readFile(folder.path('users.json'), 'utf8'))).toEqual(users);
  });

  it('filters like the API', async () => {
    const managers = jsonOf<AdminUserView[]>(await run('export', 'users', '--role', 'MANAGER,ADMIN', '--json'));
    expect(managers.map((user) => user.email)).toEqual(['ada@example.com', 'cyd@example.com']);
    const unverified = jsonOf<AdminUserView[]>(await run('export', 'users', '--verified', 'false', '--search', 'bob', '--json'));
    expect(unverified.map((user) => user.email)).toEqual(['bob@example.com']);
    const none = await run('export', 'users', '--created-from', '2999-01-01', '--json');
    expect(jsonOf(none)).toEqual([]);
    expect(parse((await run('export', 'users', '--created-from', '2999-01-01')).stdout)).toEqual([columns]);
  });
});
