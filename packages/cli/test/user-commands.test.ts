import type { AdminUserView, UserPage } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { exitCodes } from '../src/index.js';
import { auditOf, jsonOf, pgMemDatabase, runTessera, tesseraOn, testOperator, testReader, type PgMemDatabase } from './cli-harness.js';

const operatorLabel = `operator:cli:${testOperator}`;

/** A database with an admin, a manager and two users. */
async function seeded() {
  const database = await pgMemDatabase();
  const t = await tesseraOn(database);
  const create = (email: string, role: 'ADMIN' | 'MANAGER' | 'AUTHENTICATED', extra: object = {}) =>
    t.tessera.api.createUser(testReader, { email, role, emailVerified: true, ...extra });
  const ada = await create('ada@example.com', 'ADMIN', { username: 'ada' });
  const mia = await create('mia@example.com', 'MANAGER', { profile: { firstName: 'Mia', lastName: 'Meyer' } });
  const bob = await create('bob@example.com', 'AUTHENTICATED', { username: 'bobby' });
  const cyd = await create('cyd@example.com', 'AUTHENTICATED');
  return { database, t, ada, mia, bob, cyd };
}

const run = (database: PgMemDatabase, ...args: string[]) => runTessera(args, { database });

describe('tessera user (pg-mem)', () => {
  describe('find', () => {
    it('lists users newest first as a table', async () => {
      const { database } = await seeded();
      const result = await run(database, 'user', 'find');
      expect(result.exitCode).toBe(exitCodes.ok);
      const lines = result.stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^id\s+email\s+username\s+role\s+status\s+verified/);
      expect(lines.slice(1, 5).map((line) => line.split(/\s+/)[1])).toEqual(['cyd@example.com', 'bob@example.com', 'mia@example.com', 'ada@example.com']);
      expect(lines.at(-1)).toBe('4 users.');
    });

    it('searches and filters like the API, with the total', async () => {
      const { database } = await seeded();
      const page = jsonOf<UserPage>(await run(database, 'user', 'find', 'meyer', '--json', '--total'));
      expect(page.items.map((user) => user.email)).toEqual(['mia@example.com']);
      expect(page.total).toBe(1);
      const byRole = jsonOf<UserPage>(await run(database, 'user', 'find', '--role', 'admin,manager', '--sort', 'email', '--json'));
      expect(byRole.items.map((user) => user.email)).toEqual(['ada@example.com', 'mia@example.com']);
    });

    it('pages with a cursor it prints', async () => {
      const { database } = await seeded();
      const first = await run(database, 'user', 'find', '--limit', '3');
      const cursor = /--cursor (\S+)/.exec(first.stdout)?.[1];
      expect(cursor).toBeDefined();
      const next = jsonOf<UserPage>(await run(database, 'user', 'find', '--limit', '3', '--cursor', cursor!, '--json'));
      expect(next.items.map((user) => user.email)).toEqual(['ada@example.com']);
    });

    it('refuses a limit beyond the API’s, with exit 4', async () => {
      const { database } = await seeded();
      const result = await run(database, 'user', 'find', '--limit', '1000');
      expect(result.exitCode).toBe(exitCodes.refused);
      expect(result.stderr).toContain('limit');
    });
  });

  describe('show', () => {
    it('finds a user by email, username or id', async () => {
      const { database, bob } = await seeded();
      for (const reference of ['BOB@example.com', 'bobby', bob.id]) {
        const result = await run(database, 'user', 'show', reference, '--json');
        expect(result.exitCode).toBe(exitCodes.ok);
        expect(jsonOf<AdminUserView>(result)).toMatchObject({ id: bob.id, email: 'bob@example.com', hasPassword: false });
      }
      const text = await run(database, 'user', 'show', 'bob@example.com');
      expect(text.stdout).toContain('password      none (must reset)');
    });

    it('exits 3 for nobody', async () => {
      const { database } = await seeded();
      for (const reference of ['nobody@example.com', 'nobody', '01936f4e-8c00-7000-8000-00000000a0da']) {
        const result = await run(database, 'user', 'show', reference);
        expect(result.exitCode).toBe(exitCodes.notFound);
      }
    });
  });

  describe('changes', () => {
    it('sets a role through the service, audited with the operator as actor', async () => {
      const { database, t, bob } = await seeded();
      const result = await run(database, 'user', 'set-role', 'bob@example.com', 'manager', '--json');
      expect(result.exitCode).toBe(exitCodes.ok);
      expect(jsonOf<AdminUserView>(result).role).toBe('MANAGER');
      expect(await auditOf(t, 'user.role_changed')).toEqual([
        expect.objectContaining({ actor: { id: null, label: operatorLabel }, targetId: bob.id, before: { role: 'AUTHENTICATED' }, after: { role: 'MANAGER' } }),
      ]);
    });

    it('names the operator given by --operator in the audit log', async () => {
      const { database, t } = await seeded();
      await runTessera(['user', 'lock', 'bob@example.com', '--operator', 'alice'], { database });
      expect((await auditOf(t, 'user.locked'))[0]?.actor.label).toBe('operator:cli:alice');
    });

    it.each([
      ['lock', 'user.locked', 'locked'],
      ['suspend', 'user.suspended', 'suspended'],
    ] as const)('%s, then undo it, each audited', async (command, action, status) => {
      const { database, t, cyd } = await seeded();
      const changed = await run(database, 'user', command, 'cyd@example.com', '--json');
      expect(jsonOf<AdminUserView>(changed).status).toBe(status);
      const undo = command === 'lock' ? 'unlock' : 'reactivate';
      const restored = await run(database, 'user', undo, 'cyd@example.com');
      expect(restored.exitCode).toBe(exitCodes.ok);
      expect(restored.stdout).toContain('status active');
      const undoAction = command === 'lock' ? 'user.unlocked' : 'user.reactivated';
      const entries = await auditOf(t, action, undoAction);
      expect(entries.map((entry) => [entry.action, entry.targetId, entry.actor.label])).toEqual([
        [undoAction, cyd.id, operatorLabel],
        [action, cyd.id, operatorLabel],
      ]);
    });

    it('refuses to demote, lock or delete the last admin, with exit 4', async () => {
      const { database } = await seeded();
      for (const args of [['set-role', 'ada', 'MANAGER'], ['lock', 'ada'], ['suspend', 'ada'], ['delete', 'ada', '--force']]) {
        const result = await run(database, 'user', ...args, '--json');
        expect(result.exitCode).toBe(exitCodes.refused);
        expect(JSON.parse(result.stderr)).toEqual({ error: expect.objectContaining({ code: 'last_admin' }) });
      }
    });

    it('warns that the user is not notified unless the app’s consumers are named, and queues their events when they are', async () => {
      const { database } = await seeded();
      const silent = await run(database, 'user', 'suspend', 'bob@example.com');
      expect(silent.stderr).toContain('TESSERA_EVENT_CONSUMERS is not set');
      const notified = await runTessera(['user', 'reactivate', 'bob@example.com'], { database, env: { TESSERA_EVENT_CONSUMERS: 'mailer' } });
      expect(notified.stderr).toBe('');
      const rows = await database.db.selectFrom('tessera_outbox').select(['consumer', 'event_type']).execute();
      expect(rows).toEqual([{ consumer: 'mailer', event_type: 'user.reactivated' }]);
    });

    it('writes outbox rows only for the event types a consumer subscribed to', async () => {
      const { database } = await seeded();
      await runTessera(['user', 'lock', 'bob@example.com'], { database, env: { TESSERA_EVENT_CONSUMERS: 'dev-mailbox:user.registered,user.password_reset_requested; audit' } });
      const rows = await database.db.selectFrom('tessera_outbox').select(['consumer', 'event_type']).execute();
      expect(rows).toEqual([{ consumer: 'audit', event_type: 'user.account_locked' }]);
    });

    it('refuses a malformed consumer list with exit 2', async () => {
      const { database } = await seeded();
      const result = await runTessera(['user', 'lock', 'bob@example.com'], { database, env: { TESSERA_EVENT_CONSUMERS: 'mailer:not a type' } });
      expect(result.exitCode).toBe(exitCodes.usage);
    });
  });

  describe('delete', () => {
    it('refuses without --force when nobody can confirm, and deletes with it (audited, personal data erased)', async () => {
      const { database, t, bob } = await seeded();
      const refused = await run(database, 'user', 'delete', 'bob@example.com');
      expect(refused.exitCode).toBe(exitCodes.refused);
      expect((await run(database, 'user', 'show', 'bob@example.com')).exitCode).toBe(exitCodes.ok);

      const deleted = await run(database, 'user', 'delete', 'bob@example.com', '--force', '--json');
      expect(deleted.exitCode).toBe(exitCodes.ok);
      expect(jsonOf(deleted)).toEqual({ deleted: { id: bob.id, email: 'bob@example.com' } });
      expect((await run(database, 'user', 'show', bob.id)).exitCode).toBe(exitCodes.notFound);
      const [entry] = await auditOf(t, 'user.deleted');
      expect(entry).toMatchObject({ targetId: bob.id, actor: { label: operatorLabel }, after: null });
      expect(JSON.stringify(entry)).not.toContain('bob@example.com');
    });

    it('deletes after the operator types the address at a terminal', async () => {
      const { database } = await seeded();
      const wrong = await runTessera(['user', 'delete', 'bobby'], { database, isTTY: true, stdin: 'y\n' });
      expect(wrong.exitCode).toBe(exitCodes.refused);
      expect(wrong.stderr).toContain('Type "bob@example.com" to confirm');
      const typed = await runTessera(['user', 'delete', 'bobby'], { database, isTTY: true, stdin: 'bob@example.com\n' });
      expect(typed.exitCode).toBe(exitCodes.ok);
    });
  });
});
