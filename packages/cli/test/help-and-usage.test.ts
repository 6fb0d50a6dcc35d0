import { userRoles, userViewSchema } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { exitCodes } from '../src/index.js';
import { filterProStatuses, filterRoles, filterStatuses } from '../src/user-filter-options.js';
import { runTessera } from './cli-harness.js';

const commands = [
  [],
  ['migrate'],
  ['migrate', 'latest'],
  ['migrate', 'up'],
  ['migrate', 'down'],
  ['migrate', 'status'],
  ['admin'],
  ['admin', 'create'],
  ['user'],
  ...['find', 'show', 'set-role', 'lock', 'unlock', 'suspend', 'reactivate', 'delete'].map((name) => ['user', name]),
  ['import'],
  ['import', 'users'],
  ['export'],
  ['export', 'users'],
  ['reset'],
  ['stats'],
];

describe('help and usage', () => {
  it.each(commands.map((command) => [command.join(' ') || '(root)', command]))('prints the help of %s with exit 0', async (_name, command) => {
    const result = await runTessera([...command, '--help']);
    expect(result.exitCode).toBe(exitCodes.ok);
    expect(result.stdout).toContain(`Usage: tessera${command.length > 0 ? ` ${command.join(' ')}` : ''}`);
  });

  it('shows examples, the exit codes and the environment in the help', async () => {
    const root = await runTessera(['--help']);
    expect(root.stdout).toContain('Exit codes:');
    expect(root.stdout).toContain('DATABASE_URL');
    expect(root.stdout).toContain('--json');
    const importHelp = await runTessera(['import', 'users', '--help']);
    expect(importHelp.stdout).toContain('Examples:');
    expect(importHelp.stdout).toContain('--temporary-passwords');
    expect(importHelp.stdout).toContain('see `tessera --help`');
  });

  it('prints the version', async () => {
    const result = await runTessera(['--version']);
    expect(result.exitCode).toBe(exitCodes.ok);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([
    ['an unknown command', ['frobnicate']],
    ['an unknown option', ['stats', '--bogus']],
    ['a missing argument', ['user', 'show']],
    ['a command group without its command', ['user']],
    ['a wrong role', ['user', 'set-role', 'ada@example.com', 'KING']],
    ['a wrong date', ['user', 'find', '--created-from', 'yesterday']],
    ['a wrong boolean', ['export', 'users', '--verified', 'maybe']],
    ['a wrong format', ['export', 'users', '--format', 'xml']],
  ])('exits 2 on %s', async (_name, args) => {
    const result = await runTessera(args);
    expect(result.exitCode).toBe(exitCodes.usage);
    expect(result.stderr).toMatch(/error|Usage/);
  });

  it('exits 2 and says how to name the database when none is given', async () => {
    const result = await runTessera(['stats']);
    expect(result.exitCode).toBe(exitCodes.usage);
    expect(result.stderr).toContain('DATABASE_URL');
    expect(result.stderr).toContain('--data-dir');
  });

  it('reports errors as one JSON document on stderr with --json', async () => {
    const result = await runTessera(['stats', '--json']);
    expect(result.exitCode).toBe(exitCodes.usage);
    expect(result.stdout).toBe('');
    expect(JSON.parse(result.stderr)).toEqual({ error: expect.objectContaining({ code: 'missing_database', exitCode: exitCodes.usage }) });
  });

  it('refuses --database-url together with --data-dir', async () => {
    const result = await runTessera(['stats', '--database-url', 'postgres://localhost/x', '--data-dir', '.data']);
    expect(result.exitCode).toBe(exitCodes.usage);
    expect(result.stderr).toContain('not both');
  });

  it('names an environment variable that is not a number', async () => {
    const result = await runTessera(['stats'], { env: { DATABASE_URL: 'postgres://localhost/x', TESSERA_PASSWORD_MIN_LENGTH: 'long' } });
    expect(result.exitCode).toBe(exitCodes.usage);
    expect(result.stderr).toContain('TESSERA_PASSWORD_MIN_LENGTH');
  });

  it('reports an unreachable PostgreSQL with exit 5, without its password', async () => {
    const result = await runTessera(['stats'], { env: { DATABASE_URL: 'postgres://app:s3cret@127.0.0.1:1/app' } });
    expect(result.exitCode).toBe(exitCodes.unavailable);
    expect(result.stderr).toContain('postgres://app:***@127.0.0.1:1/app');
    expect(result.stderr).not.toContain('s3cret');
  });

  it("keeps the filter values in step with core's", () => {
    expect([...filterRoles]).toEqual([...userRoles]);
    expect([...filterStatuses]).toEqual(userViewSchema.shape.status.options);
    expect([...filterProStatuses]).toEqual(userViewSchema.shape.pro.shape.status.options);
  });
});
