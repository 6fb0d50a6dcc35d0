import { readFile, stat, writeFile } from 'node:fs/promises';
import { systemClock } from '@tessera/core';
import { CapturingConsumer, createTestTessera, goodPassword } from '@tessera/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitCodes } from '../src/index.js';
import type { ImportReport } from '../src/import/import-report.js';
import { auditOf, jsonOf, pgMemDatabase, runTessera, temporaryFolder, tesseraOn, testOperator, testReader, type PgMemDatabase } from './cli-harness.js';

const secret = 'the-apps-own-secret-of-at-least-32-characters';
const withMail = { TESSERA_EVENT_CONSUMERS: 'mailer', TESSERA_SECRET: secret };

/** A CSV with a byte-order mark, CRLF line ends, and one kind of bad row per line. */
const badRows = [
  '\uFEFFEmail,First Name,Last Name,Role,Verified,Phone',
  'ann@example.com,"Ann, ""The Boss""",Smith,manager,yes,123', // 2: quotes and commas inside fields
  'not-an-email,Bob,B,,,', // 3: wrong email
  'ANN@example.com,Dup,D,,,', // 4: duplicate in the file
  'carl@example.com,Carl', // 5: missing columns
  'existing@example.com,Ex,E,,,', // 6: in the database already
  'dora@example.com,"Dora\r\nDoe",Line,,,', // 7-8: a line break inside a name
  'eve@example.com,Eve,E,WIZARD,,', // 9: no such role
  'fay@example.com,Fay,F,,maybe,', // 10: not a yes/no
  'gus@example.com,=HYPERLINK(1),G,,no,', // 11: fine (a formula-like name)
].join('\r\n');

let folder: { path: (name: string) => string; remove: () => Promise<void> };
let database: PgMemDatabase;

beforeEach(async () => {
  database = await pgMemDatabase();
  folder = await temporaryFolder();
});
afterEach(async () => folder.remove());

async function csvFile(name: string, content: string): Promise<string> {
  const path = folder.path(name);
  await writeFile(path, content);
  return path;
}

const tessera = (args: string[], env: Record<string, string> = {}, extra: { isTTY?: boolean } = {}) => runTessera(args, { database, env, ...extra });

async function withExistingUser() {
  const t = await tesseraOn(database);
  await t.tessera.api.createUser(testReader, { email: 'existing@example.com', emailVerified: true });
  return t;
}

async function counts() {
  const count = async (table: 'tessera_users' | 'tessera_audit_events' | 'tessera_outbox' | 'tessera_one_time_tokens') =>
    Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return { users: await count('tessera_users'), audit: await count('tessera_audit_events'), outbox: await count('tessera_outbox'), tokens: await count('tessera_one_time_tokens') };
}

describe('tessera import users (pg-mem)', () => {
  describe('a file with bad rows', () => {
    it('imports the good rows and names every rejected line, field and code', async () => {
      const t = await withExistingUser();
      const file = await csvFile('people.csv', badRows);
      const result = await tessera(['import', 'users', file, '--verified', '--json']);
      expect(result.exitCode).toBe(exitCodes.refused);
      const report = jsonOf<ImportReport>(result);
      expect(report).toMatchObject({ rows: 9, created: 2, skipped: 1, rejected: 6, dryRun: false });
      expect(report.rejects.map((reject) => [reject.line, reject.column, reject.code])).toEqual([
        [3, 'Email', 'validation_failed'],
        [4, 'Email', 'duplicate_in_file'],
        [5, null, 'column_count'],
        [7, 'First Name', 'validation_failed'],
        [9, 'Role', 'validation_failed'],
        [10, 'Verified', 'invalid_boolean'],
      ]);
      expect(report.rejects[1]?.message).toBe('repeats the address of line 2');

      const ann = (await t.tessera.api.listUsers(testReader, { search: 'ann@example.com' })).items[0];
      expect(ann).toMatchObject({ role: 'MANAGER', emailVerified: true, hasPassword: false, profile: { firstName: 'Ann, "The Boss"', lastName: 'Smith' } });
      const created = await auditOf(t, 'user.created');
      expect(created.filter((entry) => entry.actor.label === `operator:cli:${testOperator}`)).toHaveLength(2);
    });

    it('prints the rejected lines for a person, and warns about columns it ignores', async () => {
      await withExistingUser();
      const result = await tessera(['import', 'users', await csvFile('people.csv', badRows), '--verified']);
      expect(result.stdout).toContain('9 rows: 2 created, 1 skipped (already exist), 6 rejected.');
      expect(result.stdout).toContain('line 3: Email: must be a valid email address (validation_failed)');
      expect(result.stdout).toContain('line 5: row: has 2 fields, the header has 6 (column_count)');
      expect(result.stdout).toContain('line 10: Verified: "maybe" is not true/false');
      expect(result.stderr).toContain('warning: not imported (no such field; map them with --map): Phone.');
    });

    it('writes the rejected rows with line and reason under the file’s own header', async () => {
      await withExistingUser();
      const rejects = folder.path('rejects.csv');
      await tessera(['import', 'users', await csvFile('people.csv', badRows), '--verified', '--rejects', rejects]);
      const content = await readFile(rejects, 'utf8');
      expect(content.split('\r\n')[0]).toBe('line,reason,Email,First Name,Last Name,Role,Verified,Phone');
      expect(content).toContain('3,Email: must be a valid email address (validation_failed),not-an-email,Bob,B,,,\r\n');
      expect(content).toContain('4,Email: repeats the address of line 2 (duplicate_in_file),ANN@example.com,Dup,D,,,\r\n');
      expect(content).toContain('5,"row: has 2 fields, the header has 6 (column_count)",carl@example.com,Carl\r\n');
      expect(content).toContain('7,First Name: must not contain control characters or line breaks (validation_failed),dora@example.com,"Dora\r\nDoe",Line,,,\r\n');
      expect((await stat(rejects)).mode & 0o777).toBe(0o600);
    });

    it('exits 0 with --allow-rejects', async () => {
      const result = await tessera(['import', 'users', await csvFile('people.csv', badRows), '--verified', '--allow-rejects']);
      expect(result.exitCode).toBe(exitCodes.ok);
    });

    it('skips everything on a second run', async () => {
      await withExistingUser();
      const file = await csvFile('people.csv', badRows);
      await tessera(['import', 'users', file, '--verified']);
      const before = await counts();
      const again = jsonOf<ImportReport>(await tessera(['import', 'users', file, '--verified', '--json']));
      expect(again).toMatchObject({ created: 0, updated: 0, skipped: 3, rejected: 6 });
      expect(await counts()).toEqual(before);
    });

    it('rejects addresses that have an account with --on-existing reject', async () => {
      await withExistingUser();
      const report = jsonOf<ImportReport>(await tessera(['import', 'users', await csvFile('people.csv', badRows), '--verified', '--on-existing', 'reject', '--json']));
      expect(report.rejects.find((reject) => reject.line === 6)).toMatchObject({ column: 'Email', code: 'email_taken' });
    });

    it('rejects a username twice in the file', async () => {
      const file = await csvFile('names.csv', 'email,username\na@example.com,ada-l\nb@example.com,ADA-L\n');
      const report = jsonOf<ImportReport>(await tessera(['import', 'users', file, '--verified', '--json']));
      expect(report.rejects).toEqual([expect.objectContaining({ line: 3, column: 'username', code: 'duplicate_in_file', message: 'repeats the username of line 2' })]);
    });
  });

  describe('--dry-run', () => {
    it('validates every row, also against the database, and writes nothing to it', async () => {
      await withExistingUser();
      const before = await counts();
      const result = await tessera(['import', 'users', await csvFile('people.csv', badRows), '--dry-run', '--rejects', folder.path('rejects.csv'), '--json']);
      expect(result.exitCode).toBe(exitCodes.refused);
      expect(jsonOf<ImportReport>(result)).toMatchObject({ dryRun: true, created: 2, skipped: 1, rejected: 6 });
      expect(await counts()).toEqual(before);
      expect(await readFile(folder.path('rejects.csv'), 'utf8')).toContain('not-an-email');
    });

    it('sends nothing and needs no mail settings', async () => {
      const result = await tessera(['import', 'users', await csvFile('ok.csv', 'email\nann@example.com\n'), '--dry-run', '--invite']);
      expect(result.exitCode).toBe(exitCodes.ok);
      expect(result.stdout).toContain('1 would be created');
      expect(result.stdout).toContain('1 would be invited');
      expect(await counts()).toEqual({ users: 0, audit: 0, outbox: 0, tokens: 0 });
    });
  });

  describe('--on-existing update', () => {
    it('brings existing accounts in line with the file (audited), then finds nothing to change', async () => {
      const t = await withExistingUser();
      const file = await csvFile('update.csv', 'email,firstName,lastName,role\nexisting@example.com,Erin,Example,manager\n');
      const first = jsonOf<ImportReport>(await tessera(['import', 'users', file, '--on-existing', 'update', '--verified', '--json']));
      expect(first).toMatchObject({ updated: 1, created: 0 });
      const user = (await t.tessera.api.listUsers(testReader, { search: 'existing@' })).items[0];
      expect(user).toMatchObject({ role: 'MANAGER', profile: { firstName: 'Erin', lastName: 'Example' } });
      expect((await auditOf(t, 'user.updated', 'user.role_changed')).map((entry) => entry.action).sort()).toEqual(['user.role_changed', 'user.updated']);
      const second = jsonOf<ImportReport>(await tessera(['import', 'users', file, '--on-existing', 'update', '--verified', '--json']));
      expect(second).toMatchObject({ updated: 0, unchanged: 1 });
    });
  });

  describe('the header', () => {
    it('maps headers with --map', async () => {
      const t = await tesseraOn(database);
      const file = await csvFile('mapped.csv', 'E-Mail Address;Vorname\nann@example.com;Anna\n');
      const result = await tessera(['import', 'users', file, '--verified', '--delimiter', ';', '--map', 'E-Mail Address=email,Vorname=firstName']);
      expect(result.exitCode).toBe(exitCodes.ok);
      expect((await t.tessera.api.listUsers(testReader, {})).items[0]?.profile.firstName).toBe('Anna');
    });

    it('refuses a file without an email column, importing nothing', async () => {
      const result = await tessera(['import', 'users', await csvFile('no-email.csv', 'name\nAnn\n'), '--verified']);
      expect(result.exitCode).toBe(exitCodes.refused);
      expect(result.stderr).toContain('No email column');
      expect((await counts()).users).toBe(0);
    });

    it('refuses --map naming a column the file lacks, with exit 2', async () => {
      const result = await tessera(['import', 'users', await csvFile('a.csv', 'email\na@example.com\n'), '--verified', '--map', 'Mail=email']);
      expect(result.exitCode).toBe(exitCodes.usage);
    });

    it('refuses an empty file', async () => {
      const result = await tessera(['import', 'users', await csvFile('empty.csv', ''), '--verified']);
      expect(result.exitCode).toBe(exitCodes.refused);
      expect(result.stderr).toContain('is empty');
    });

    it('refuses a malformed file whole, naming the line, before importing anything', async () => {
      const file = await csvFile('broken.csv', 'email,firstName\nann@example.com,Ann\nbob@example.com,"Bob\n');
      const result = await tessera(['import', 'users', file, '--verified']);
      expect(result.exitCode).toBe(exitCodes.refused);
      expect(result.stderr).toMatch(/broken\.csv line \d+: malformed CSV: Quote Not Closed/);
      expect((await counts()).users).toBe(0);
    });

    it('reports a file it cannot read with exit 2', async () => {
      const result = await tessera(['import', 'users', folder.path('missing.csv'), '--verified']);
      expect(result.exitCode).toBe(exitCodes.usage);
      expect(result.stderr).toContain('Cannot read');
    });
  });

  describe('mail', () => {
    it('refuses to import users who need a verification mail while the app’s consumers are unknown', async () => {
      const result = await tessera(['import', 'users', await csvFile('ok.csv', 'email\nann@example.com\n')]);
      expect(result.exitCode).toBe(exitCodes.usage);
      expect(result.stderr).toContain('TESSERA_EVENT_CONSUMERS');
      expect((await counts()).users).toBe(0);
    });

    it('refuses when the consumers are named but the app’s secret is not', async () => {
      const result = await tessera(['import', 'users', await csvFile('ok.csv', 'email\nann@example.com\n')], { TESSERA_EVENT_CONSUMERS: 'mailer' });
      expect(result.exitCode).toBe(exitCodes.usage);
      expect(result.stderr).toContain('TESSERA_SECRET');
    });

    it('queues a verification mail, sealed with the app’s secret, for each unverified user', async () => {
      const result = await tessera(['import', 'users', await csvFile('ok.csv', 'email\nann@example.com\nbob@example.com\n')], withMail);
      expect(result.exitCode).toBe(exitCodes.ok);
      const rows = await database.db.selectFrom('tessera_outbox').select(['consumer', 'event_type', 'sealed_secrets']).execute();
      expect(rows.map((row) => [row.consumer, row.event_type])).toEqual([
        ['mailer', 'user.registered'],
        ['mailer', 'user.registered'],
      ]);
      expect(rows.every((row) => row.sealed_secrets?.startsWith('v1.'))).toBe(true);
      // The app (same secret, same consumer name, and the real clock the CLI wrote them with) can open and deliver them.
      const mailer = new CapturingConsumer('mailer');
      const app = await createTestTessera(database.store, { secret, clock: systemClock, events: { consumers: [mailer] } });
      await app.tessera.outbox.drain();
      expect(mailer.ofType('user.registered').map((event) => event.payload.user.email).sort()).toEqual(['ann@example.com', 'bob@example.com']);
      expect(mailer.ofType('user.registered')[0]?.secrets.verification.token).toMatch(/.{20,}/);
    });

    it('imports without mail when TESSERA_EVENT_CONSUMERS=none', async () => {
      const result = await tessera(['import', 'users', await csvFile('ok.csv', 'email\nann@example.com\n')], { TESSERA_EVENT_CONSUMERS: 'none' });
      expect(result.exitCode).toBe(exitCodes.ok);
      expect(await counts()).toMatchObject({ users: 1, outbox: 0 });
    });

    it('invites users without a password: a "set your password" mail, audited as the operator', async () => {
      const t = await tesseraOn(database);
      const result = await tessera(['import', 'users', await csvFile('ok.csv', 'email\nann@example.com\n'), '--invite', '--json'], withMail);
      expect(jsonOf<ImportReport>(result)).toMatchObject({ created: 1, invited: 1 });
      const rows = await database.db.selectFrom('tessera_outbox').select(['event_type']).execute();
      expect(rows.map((row) => row.event_type)).toEqual(['user.password_reset_requested']);
      const [started] = await auditOf(t, 'user.password_reset_started');
      expect(started?.actor.label).toBe(`operator:cli:${testOperator}`);
    });

    it('refuses --invite with --temporary-passwords', async () => {
      const result = await tessera(['import', 'users', await csvFile('ok.csv', 'email\nann@example.com\n'), '--invite', '--temporary-passwords', folder.path('p.csv')], withMail);
      expect(result.exitCode).toBe(exitCodes.usage);
    });
  });

  describe('--temporary-passwords', () => {
    it('gives new users without a password a working one, written only to the 0600 file', async () => {
      const file = await csvFile('people.csv', `email,password\nann@example.com,\nbob@example.com,${goodPassword}\n`);
      const passwords = folder.path('passwords.csv');
      const result = await tessera(['import', 'users', file, '--verified', '--temporary-passwords', passwords, '--rejects', folder.path('rejects.csv')]);
      expect(result.exitCode).toBe(exitCodes.ok);
      expect(result.stdout).toContain('1 temporary password written to');
      expect((await stat(passwords)).mode & 0o777).toBe(0o600);
      const [header, line, ...rest] = (await readFile(passwords, 'utf8')).trim().split('\r\n');
      expect(header).toBe('email,password');
      expect(rest).toEqual([]);
      const [email, password = ''] = line!.split(',');
      expect(email).toBe('ann@example.com');
      expect(password).toMatch(/^[A-Za-z2-9]{20}$/);
      expect(result.stdout + result.stderr).not.toContain(password);
      expect(result.stdout + result.stderr).not.toContain(goodPassword);

      const t = await tesseraOn(database);
      await expect(t.tessera.api.login({ email: 'ann@example.com', password })).resolves.toMatchObject({ user: { email: 'ann@example.com' } });
      await expect(t.tessera.api.login({ email: 'bob@example.com', password: goodPassword })).resolves.toMatchObject({ user: { email: 'bob@example.com' } });
    });

    it('never overwrites an existing passwords file', async () => {
      const passwords = await csvFile('passwords.csv', 'email,password\r\nold@example.com,keep-me\r\n');
      const result = await tessera(['import', 'users', await csvFile('ok.csv', 'email\nann@example.com\n'), '--verified', '--temporary-passwords', passwords]);
      expect(result.exitCode).toBe(exitCodes.usage);
      expect(await readFile(passwords, 'utf8')).toContain('keep-me');
      expect((await counts()).users).toBe(0);
    });

    it('leaves password cells out of the rejects file', async () => {
      const rejects = folder.path('rejects.csv');
      await tessera(['import', 'users', await csvFile('people.csv', 'email,password\nnot-an-email,hunter2-hunter2-hunter2\n'), '--verified', '--rejects', rejects]);
      const content = await readFile(rejects, 'utf8');
      expect(content).toContain('not-an-email,\r\n');
      expect(content).not.toContain('hunter2');
    });
  });

  describe('progress', () => {
    it('prints plain progress lines on stderr when not at a terminal', async () => {
      const result = await tessera(['import', 'users', await csvFile('ok.csv', 'email\nann@example.com\nbob@example.com\n'), '--verified']);
      expect(result.stderr).toMatch(/^import: 2\/2 rows, \d+ rows\/s, done in \d+\.\d s$/m);
    });

    it('draws a bar with rate and ETA at a terminal', async () => {
      const result = await tessera(['import', 'users', await csvFile('ok.csv', 'email\nann@example.com\n'), '--verified'], {}, { isTTY: true });
      expect(result.stderr).toMatch(/import \|.*\| 100% \| 1\/1 rows \| \d+ rows\/s \| ETA/);
    });

    it('shows no progress with --json, and stdout is one JSON document', async () => {
      const result = await tessera(['import', 'users', await csvFile('ok.csv', 'email\nann@example.com\n'), '--verified', '--json']);
      expect(result.stderr).toBe('');
      expect(jsonOf<ImportReport>(result).created).toBe(1);
    });
  });
});
