import { goodPassword } from '@tessera/testkit';
import { describe, expect, it } from 'vitest';
import { exitCodes } from '../src/index.js';
import { auditOf, jsonOf, pgMemDatabase, runTessera, tesseraOn } from './cli-harness.js';

interface CreatedAdmin {
  id: string;
  email: string;
  role: string;
  emailVerified: boolean;
}

describe('tessera admin create (pg-mem)', () => {
  it('creates a verified ADMIN with the password from stdin, who can sign in with it', async () => {
    const database = await pgMemDatabase();
    const result = await runTessera(['admin', 'create', '--email', 'Ada@Example.com', '--password-stdin', '--json'], { database, stdin: `${goodPassword}\n` });
    expect(result.exitCode).toBe(exitCodes.ok);
    const admin = jsonOf<CreatedAdmin>(result);
    expect(admin).toMatchObject({ email: 'ada@example.com', role: 'ADMIN', emailVerified: true });
    expect(result.stdout + result.stderr).not.toContain(goodPassword);

    const t = await tesseraOn(database);
    const session = await t.tessera.api.login({ email: 'ada@example.com', password: goodPassword });
    expect(session.user.id).toBe(admin.id);
    expect(await auditOf(t, 'user.created')).toEqual([expect.objectContaining({ targetId: admin.id, actor: { id: null, label: 'operator' } })]);
  });

  it('prints a sentence without --json', async () => {
    const database = await pgMemDatabase();
    const result = await runTessera(['admin', 'create', '--email', 'ada@example.com', '--password-stdin'], { database, stdin: goodPassword });
    expect(result.stdout).toMatch(/^Created ADMIN ada@example.com \(id [0-9a-f-]{36}, username [a-z0-9-]+\)\.\n$/);
  });

  it('refuses a password the policy refuses, with exit 4, and follows --password-min-length', async () => {
    const database = await pgMemDatabase();
    const weak = await runTessera(['admin', 'create', '--email', 'ada@example.com', '--password-stdin'], { database, stdin: 'short pass\n' });
    expect(weak.exitCode).toBe(exitCodes.refused);
    expect(weak.stderr).toContain('at least 15 characters');
    expect(weak.stderr).not.toContain('short pass');
    const allowed = await runTessera(['admin', 'create', '--email', 'ada@example.com', '--password-stdin', '--password-min-length', '10'], { database, stdin: 'short pass\n' });
    expect(allowed.exitCode).toBe(exitCodes.ok);
  });

  it('refuses an address that has an account, with exit 4', async () => {
    const database = await pgMemDatabase();
    await runTessera(['admin', 'create', '--email', 'ada@example.com', '--password-stdin'], { database, stdin: goodPassword });
    const again = await runTessera(['admin', 'create', '--email', 'ada@example.com', '--password-stdin', '--json'], { database, stdin: goodPassword });
    expect(again.exitCode).toBe(exitCodes.refused);
    expect(JSON.parse(again.stderr)).toEqual({ error: expect.objectContaining({ code: 'email_taken' }) });
  });

  it('asks for --password-stdin when there is no terminal to prompt on', async () => {
    const database = await pgMemDatabase();
    const result = await runTessera(['admin', 'create', '--email', 'ada@example.com'], { database });
    expect(result.exitCode).toBe(exitCodes.usage);
    expect(result.stderr).toContain('--password-stdin');
  });

  it('prompts twice without echo at a terminal, and refuses two different entries', { timeout: 15_000 }, async () => {
    const database = await pgMemDatabase();
    const typed = await runTessera(['admin', 'create', '--email', 'ada@example.com'], { database, isTTY: true, stdin: [`${goodPassword}\n`, `${goodPassword}\n`] });
    expect(typed.exitCode).toBe(exitCodes.ok);
    expect(typed.stderr).toContain('Password');
    expect(typed.stderr).not.toContain(goodPassword);
    const differing = await runTessera(['admin', 'create', '--email', 'bob@example.com'], { database, isTTY: true, stdin: [`${goodPassword}\n`, 'something else entirely\n'] });
    expect(differing.exitCode).toBe(exitCodes.refused);
    expect(differing.stderr).toContain('differ');
  });
});
