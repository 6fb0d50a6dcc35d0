/**
 * Measures `tessera import users` against the real PostgreSQL of the tests (not part of the
 * suite: no timing assertions belong in tests). Run from the repository root:
 *
 *   pnpm exec tsx --conditions=@tessera/source packages/cli/test/measure-import-rate.ts [rows] [rowsWithTemporaryPasswords]
 *
 * It creates a throw-away database, imports `rows` users without passwords (verified, so no
 * mail), re-runs the same file (every row skipped), dry-runs it, then imports
 * `rowsWithTemporaryPasswords` more users with temporary passwords (argon2id each), and
 * prints the rates.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '@tessera/testkit';
import { processIo, runCli } from '../src/index.js';

const rows = Number(process.argv[2] ?? 100_000);
const rowsWithPasswords = Number(process.argv[3] ?? 2_000);
const folder = await mkdtemp(join(tmpdir(), 'tessera-import-rate-'));
const database = await createTestDatabase();
const io = { ...processIo(), env: { ...process.env, DATABASE_URL: database.connectionString, TESSERA_OPERATOR: 'benchmark' }, isTTY: false };

async function csvOf(count: number, prefix: string): Promise<string> {
  const file = join(folder, `${prefix}.csv`);
  const lines = ['email,firstName,lastName,role'];
  for (let index = 0; index < count; index += 1) lines.push(`${prefix}.${index}@example.com,"First ${index}","Last, ${index}",${index % 50 === 0 ? 'MANAGER' : ''}`);
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

async function timed(label: string, count: number, args: string[]): Promise<void> {
  const started = performance.now();
  const exitCode = await runCli(args, { ...io, stdout: process.stderr });
  const seconds = (performance.now() - started) / 1000;
  console.log(`${label}: ${count} rows in ${seconds.toFixed(1)} s = ${Math.round(count / seconds)} rows/s (exit ${exitCode})`);
}

try {
  await runCli(['migrate', 'latest'], io);
  const plain = await csvOf(rows, 'plain');
  await timed('import without passwords (--verified)', rows, ['import', 'users', plain, '--verified', '--json']);
  await timed('re-run, every row skipped', rows, ['import', 'users', plain, '--verified', '--json']);
  await timed('dry run, every row skipped', rows, ['import', 'users', plain, '--verified', '--dry-run', '--json']);
  const withPasswords = await csvOf(rowsWithPasswords, 'temporary');
  await timed('import with temporary passwords', rowsWithPasswords, ['import', 'users', withPasswords, '--verified', '--temporary-passwords', join(folder, 'passwords.csv'), '--json']);
  const unverified = await csvOf(Math.min(rows, 10_000), 'unverified');
  await timed('import unverified (token + event + audit per row)', Math.min(rows, 10_000), ['import', 'users', unverified, '--event-consumers', 'mailer', '--json']);
} finally {
  await database.drop();
  await rm(folder, { recursive: true, force: true });
}
